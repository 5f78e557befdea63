// dlib's face descriptor network (dlib_face_recognition_resnet_model_v1: a 29-layer ResNet, 150×150
// RGB in, 128-D out), run from the weights face-api loads, with each layer's affine "scale" folded
// into its convolution: conv(x, W)·s + b·s + β = conv(x, W·s) + (b·s + β). One fused convolution
// (bias and ReLU included) replaces four kernels per layer, and the shortcut's zero padding is a pad,
// not concatenated zero tensors. The descriptors equal face-api's own forward pass to float rounding
// (test/kernel/face_match.test.ts checks it); the comparison is about a fifth faster.
import type * as tfTypes from '@tensorflow/tfjs-core';

type Tf = typeof import('@tensorflow/tfjs-core');
type Tensor = tfTypes.Tensor;
type Tensor4D = tfTypes.Tensor4D;

interface ConvLayerParams {
  conv: { filters: Tensor; bias: Tensor };
  scale: { weights: Tensor; biases: Tensor };
}
interface ResidualParams {
  conv1: ConvLayerParams;
  conv2: ConvLayerParams;
}
/** face-api's FaceRecognitionNet parameters, as it loads them from model/face_recognition_model */
export interface DlibParams {
  conv32_down: ConvLayerParams;
  conv32_1: ResidualParams;
  conv32_2: ResidualParams;
  conv32_3: ResidualParams;
  conv64_down: ResidualParams;
  conv64_1: ResidualParams;
  conv64_2: ResidualParams;
  conv64_3: ResidualParams;
  conv128_down: ResidualParams;
  conv128_1: ResidualParams;
  conv128_2: ResidualParams;
  conv256_down: ResidualParams;
  conv256_1: ResidualParams;
  conv256_2: ResidualParams;
  conv256_down_out: ResidualParams;
  fc: Tensor;
}

interface Folded {
  filter: tfTypes.Tensor4D;
  bias: tfTypes.Tensor1D;
}

/** dlib's mean colour, subtracted before the input is scaled to 0–1 */
const MEAN_RGB = [122.782, 117.001, 104.298];
const BLOCKS = ['conv32_1', 'conv32_2', 'conv32_3', 'conv64_down', 'conv64_1', 'conv64_2', 'conv64_3', 'conv128_down', 'conv128_1', 'conv128_2', 'conv256_down', 'conv256_1', 'conv256_2', 'conv256_down_out'] as const;

export function dlibDescriptor(tf: Tf, params: DlibParams) {
  const fold = (p: ConvLayerParams): Folded =>
    tf.tidy(() => ({
      filter: tf.mul(p.conv.filters, p.scale.weights) as tfTypes.Tensor4D,
      bias: tf.add(tf.mul(p.conv.bias, p.scale.weights), p.scale.biases) as tfTypes.Tensor1D,
    }));
  const first = fold(params.conv32_down);
  const blocks = BLOCKS.map((name) => ({ down: name.endsWith('down') || name.endsWith('down_out'), conv1: fold(params[name].conv1), conv2: fold(params[name].conv2) }));
  const fc = params.fc;
  const mean = tf.tensor1d(MEAN_RGB);

  const conv = (x: Tensor4D, f: Folded, strides: 1 | 2, relu: boolean) =>
    tf.fused.conv2d({ x, filter: f.filter, bias: f.bias, strides, pad: strides === 2 ? 'valid' : 'same', activation: relu ? 'relu' : 'linear' });

  function block(x: Tensor4D, b: (typeof blocks)[number]): Tensor4D {
    let out = conv(conv(x, b.conv1, b.down ? 2 : 1, true), b.conv2, 1, false);
    let shortcut = x;
    if (b.down) {
      shortcut = tf.avgPool(x, 2, 2, 'valid');
      // a 'valid' stride-2 convolution can come out one row and column short of the pooled shortcut
      const dh = shortcut.shape[1] - out.shape[1];
      const dw = shortcut.shape[2] - out.shape[2];
      if (dh > 0 || dw > 0) out = tf.pad(out, [[0, 0], [0, dh], [0, dw], [0, 0]]);
      const dc = out.shape[3] - shortcut.shape[3];
      if (dc > 0) shortcut = tf.pad(shortcut, [[0, 0], [0, 0], [0, 0], [0, dc]]);
    }
    return tf.relu(tf.add(out, shortcut));
  }

  return {
    /** 128-D descriptors of aligned 150×150 RGB chips (0–255), in one batch */
    async describe(chips: Float32Array[]): Promise<Float32Array[]> {
      if (!chips.length) return [];
      const batch = new Float32Array(chips.length * 150 * 150 * 3);
      chips.forEach((c, i) => batch.set(c, i * c.length));
      const out = tf.tidy(() => {
        const input = tf.div(tf.sub(tf.tensor4d(batch, [chips.length, 150, 150, 3]), mean), 255) as Tensor4D;
        let x = tf.maxPool(conv(input, first, 2, true), 3, 2, 'valid');
        for (const b of blocks) x = block(x, b);
        return tf.matMul(tf.mean(x, [1, 2]) as tfTypes.Tensor2D, fc as tfTypes.Tensor2D);
      });
      try {
        const data = await out.data();
        return chips.map((_, i) => Float32Array.from(data.subarray(i * 128, (i + 1) * 128)));
      } finally {
        out.dispose();
      }
    },
  };
}

export type DlibDescriptor = ReturnType<typeof dlibDescriptor>;
