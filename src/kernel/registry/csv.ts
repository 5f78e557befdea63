// RFC 4180 CSV, streamed: quoted fields (with commas, quotes and line breaks inside), CRLF or LF, a
// UTF-8 byte-order mark. Yields each record with the line number it starts on; never loads the file.
import { createReadStream } from 'node:fs';

export async function* readCsv(file: string): AsyncGenerator<{ line: number; fields: string[] }> {
  let field = '';
  let fields: string[] = [];
  let quoted = false;
  let afterQuote = false;
  let line = 1;
  let recordLine = 1;
  let first = true;
  let pendingCR = false;
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 });
  for await (const chunk of stream as AsyncIterable<string>) {
    let text = chunk;
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    for (const c of text) {
      if (pendingCR) {
        pendingCR = false;
        if (c === '\n') continue;
      }
      if (quoted) {
        if (c === '"') {
          quoted = false;
          afterQuote = true;
        } else {
          if (c === '\n') line++;
          field += c;
        }
        continue;
      }
      if (c === '"') {
        // a doubled quote inside a quoted field is a literal quote
        if (afterQuote) field += '"';
        quoted = true;
        afterQuote = false;
        continue;
      }
      afterQuote = false;
      if (c === ',') {
        fields.push(field);
        field = '';
      } else if (c === '\n' || c === '\r') {
        if (c === '\r') pendingCR = true;
        fields.push(field);
        if (fields.length > 1 || fields[0] !== '') yield { line: recordLine, fields };
        fields = [];
        field = '';
        line++;
        recordLine = line;
      } else {
        field += c;
      }
    }
  }
  if (field !== '' || fields.length) {
    fields.push(field);
    yield { line: recordLine, fields };
  }
}

/** The records of a CSV file with a header row, each as column name → value ('' when short). */
export async function* readCsvRecords(file: string): AsyncGenerator<{ line: number; row: Record<string, string> }> {
  let header: string[] | undefined;
  for await (const { line, fields } of readCsv(file)) {
    if (!header) {
      header = fields;
      continue;
    }
    yield { line, row: Object.fromEntries(header.map((h, i) => [h, fields[i] ?? ''])) };
  }
}
