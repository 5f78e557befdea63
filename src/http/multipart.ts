// multipart/form-data for uploads: a few named files, each at most maxFileBytes, and small text
// fields; anything else is refused with a clear 4xx before it is buffered.
import busboy from 'busboy';
import type { Context } from 'koa';
import { HttpError } from './errors.ts';

export interface Multipart {
  fields: Record<string, string>;
  files: Record<string, Buffer>;
}

export function readMultipart(ctx: Context, opts: { files: string[]; maxFileBytes: number }): Promise<Multipart> {
  if (!ctx.is('multipart/form-data')) return Promise.reject(new HttpError(415, 'badForm'));
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: ctx.req.headers, limits: { files: opts.files.length, fileSize: opts.maxFileBytes, fields: 10, fieldSize: 4096, parts: 20 } });
    } catch {
      reject(new HttpError(400, 'badForm'));
      return;
    }
    const fields: Record<string, string> = {};
    const files: Record<string, Buffer> = {};
    let failure: HttpError | undefined;
    bb.on('field', (name, value) => {
      fields[name] = value;
    });
    bb.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => {
        failure ??= new HttpError(413, 'tooLarge');
      });
      stream.on('end', () => {
        if (opts.files.includes(name)) files[name] = Buffer.concat(chunks);
      });
    });
    bb.on('filesLimit', () => {
      failure ??= new HttpError(413, 'tooLarge');
    });
    bb.on('error', () => reject(new HttpError(400, 'badForm')));
    bb.on('close', () => (failure ? reject(failure) : resolve({ fields, files })));
    ctx.req.pipe(bb);
  });
}
