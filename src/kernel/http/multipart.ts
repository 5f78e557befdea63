// multipart/form-data for uploads: a few named files, each at most maxFileBytes, and small text
// fields; anything else is refused with a clear 4xx before it is buffered. The reader never throws
// past its caller: a malformed or cut-off body (busboy's errors on itself or on a file stream) is a 400.
import busboy from 'busboy';
import type { Context } from 'koa';
import { HttpError } from './errors.ts';

export interface Multipart {
  /** each field's value (the last, when a name repeats) */
  fields: Record<string, string>;
  /** every value of each field, in order (checkbox groups repeat a name) */
  lists: Record<string, string[]>;
  files: Record<string, Buffer>;
  /** the name each file had on the sender's device, for messages about it ("IMG_0042.HEIC is not a photo") */
  fileNames: Record<string, string>;
}

/** A file name fit to show: no path, no control characters, at most 80 characters. */
export function displayFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop()!.replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
  return base.length > 80 ? `${base.slice(0, 38)}…${base.slice(-38)}` : base;
}

export function readMultipart(ctx: Context, opts: { files: string[]; maxFileBytes: number; maxFields?: number; maxFieldBytes?: number }): Promise<Multipart> {
  if (!ctx.is('multipart/form-data')) return Promise.reject(new HttpError(415, 'badForm'));
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: ctx.req.headers, defParamCharset: 'utf8', limits: { files: opts.files.length, fileSize: opts.maxFileBytes, fields: opts.maxFields ?? 10, fieldSize: opts.maxFieldBytes ?? 4096, parts: (opts.maxFields ?? 10) + 10 } });
    } catch {
      reject(new HttpError(400, 'badForm'));
      return;
    }
    // no prototype: a field named __proto__ is just a field
    const fields: Record<string, string> = Object.create(null);
    const lists: Record<string, string[]> = Object.create(null);
    const files: Record<string, Buffer> = {};
    const fileNames: Record<string, string> = {};
    let failure: HttpError | undefined;
    let settled = false;
    /** The body cannot be read: answer now, and let the rest of it drain unread. */
    const malformed = () => {
      if (settled) return;
      settled = true;
      ctx.req.unpipe(bb);
      ctx.req.resume();
      reject(new HttpError(400, 'badForm'));
    };
    bb.on('field', (name, value, info) => {
      if (info.valueTruncated) failure ??= new HttpError(413, 'tooLarge');
      // the edge (input.ts) does not read multipart bodies: their text fields are checked here
      if (value.includes('\0')) failure ??= new HttpError(400, 'badForm');
      fields[name] = value;
      (lists[name] ??= []).push(value);
    });
    bb.on('fieldsLimit', () => {
      failure ??= new HttpError(413, 'tooLarge');
    });
    bb.on('file', (name, stream, info) => {
      // a file part cut off before its boundary errors on this stream: without a handler it would end the process
      stream.on('error', malformed);
      stream.on('limit', () => {
        failure ??= new HttpError(413, 'tooLarge');
      });
      if (!opts.files.includes(name)) {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      fileNames[name] = displayFileName(info.filename);
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        files[name] = Buffer.concat(chunks);
      });
    });
    bb.on('filesLimit', () => {
      failure ??= new HttpError(413, 'tooLarge');
    });
    bb.on('error', malformed);
    ctx.req.on('error', malformed);
    // a client that goes away mid-body: nothing more will come
    ctx.req.on('close', () => {
      if (!ctx.req.complete) malformed();
    });
    bb.on('close', () => {
      if (settled) return;
      settled = true;
      if (failure) reject(failure);
      else resolve({ fields, lists, files, fileNames });
    });
    ctx.req.pipe(bb);
  });
}
