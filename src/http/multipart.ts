// multipart/form-data for uploads: a few named files, each at most maxFileBytes, and small text
// fields; anything else is refused with a clear 4xx before it is buffered.
import busboy from 'busboy';
import type { Context } from 'koa';
import { HttpError } from './errors.ts';

export interface Multipart {
  fields: Record<string, string>;
  files: Record<string, Buffer>;
}

export function readMultipart(ctx: Context, opts: { files: string[]; maxFileBytes: number; maxFields?: number; maxFieldBytes?: number }): Promise<Multipart> {
  if (!ctx.is('multipart/form-data')) return Promise.reject(new HttpError(415, 'badForm'));
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: ctx.req.headers, limits: { files: opts.files.length, fileSize: opts.maxFileBytes, fields: opts.maxFields ?? 10, fieldSize: opts.maxFieldBytes ?? 4096, parts: (opts.maxFields ?? 10) + 10 } });
    } catch {
      reject(new HttpError(400, 'badForm'));
      return;
    }
    const fields: Record<string, string> = {};
    const files: Record<string, Buffer> = {};
    let failure: HttpError | undefined;
    bb.on('field', (name, value, info) => {
      if (info.valueTruncated) failure ??= new HttpError(413, 'tooLarge');
      // a repeated name (checkboxes) is kept as one comma-separated value
      fields[name] = name in fields ? `${fields[name]},${value}` : value;
    });
    bb.on('fieldsLimit', () => {
      failure ??= new HttpError(413, 'tooLarge');
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
