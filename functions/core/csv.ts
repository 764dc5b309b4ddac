/**
 * CSV as the suppression import and export use it (RFC 4180, one record per line): quoted fields
 * with `""` for a quote, CRLF or LF line ends, a leading byte order mark. A record spanning
 * lines is not supported, since no field of ours may hold a line break; such a line is reported
 * as an unterminated quote, which keeps every report's line numbers exact. A field that a
 * spreadsheet would run as a formula is written with a leading `'`, which reading removes.
 */

export type CsvLineResult = { ok: true; fields: string[] } | { ok: false; error: string };

export function parseCsvLine(line: string): CsvLineResult {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return { ok: false, error: 'unterminated quoted field' };
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (i < line.length && line[i] !== ',') return { ok: false, error: 'text after a closing quote' };
      fields.push(unguard(value));
    } else {
      const comma = line.indexOf(',', i);
      const raw = comma < 0 ? line.slice(i) : line.slice(i, comma);
      if (raw.includes('"')) return { ok: false, error: 'a quote inside an unquoted field' };
      fields.push(unguard(raw.trim()));
      i = comma < 0 ? line.length : comma;
    }
    if (i >= line.length) return { ok: true, fields };
    i++; // the comma
  }
}

// A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection"),
// and any address may start with one. The writer puts a `'` in front; the reader takes exactly
// that one off again. A value that already starts with quotes before such a character gets one
// more, so that reading always inverts writing.
const FORMULA_START = /^'*[=+\-@\t\r]/;
const GUARDED_FORMULA = /^'+[=+\-@\t\r]/;
const unguard = (field: string): string => (GUARDED_FORMULA.test(field) ? field.slice(1) : field);

/** One CSV field: guarded against formulas, quoted when it has to be. */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvRecord = (fields: readonly string[]): string => `${fields.map(csvField).join(',')}\r\n`;

export type TextLine = { line: number; text: string } | { line: number; error: string };

export interface LineLimits {
  /** Lines read at most; the rest is not read. */
  maxLines: number;
  /** Bytes read at most; the rest is not read. */
  maxBytes: number;
  /** Longer lines are reported, not kept in memory. */
  maxLineLength: number;
}

/**
 * Splits a byte stream into numbered text lines (UTF-8, BOM dropped, LF or CRLF), holding one
 * line at a time. Past a limit, it yields one `error` for the first line not read and stops.
 */
export async function* textLines(chunks: AsyncIterable<Uint8Array>, limits: LineLimits): AsyncGenerator<TextLine> {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: false });
  let bytes = 0;
  let lineNo = 1;
  let current = '';
  let tooLong = false;
  const finish = (): TextLine => {
    const text = current.endsWith('\r') ? current.slice(0, -1) : current;
    const out: TextLine = tooLong ? { line: lineNo, error: `line longer than ${limits.maxLineLength} characters` } : { line: lineNo, text };
    current = '';
    tooLong = false;
    lineNo++;
    return out;
  };
  const overLines = () => lineNo > limits.maxLines;
  const stop = (why: string): TextLine => ({ line: lineNo, error: `not read: ${why}; send the lines from here on in another request` });

  for await (const chunk of chunks) {
    bytes += chunk.byteLength;
    if (bytes > limits.maxBytes) {
      yield stop(`a request holds at most ${limits.maxBytes} bytes`);
      return;
    }
    const text = decoder.decode(chunk, { stream: true });
    for (let pos = 0; ; ) {
      const nl = text.indexOf('\n', pos);
      if (!tooLong) {
        current += nl < 0 ? text.slice(pos) : text.slice(pos, nl);
        if (current.length > limits.maxLineLength + 1) {
          tooLong = true;
          current = '';
        }
      }
      if (nl < 0) break;
      if (overLines()) {
        yield stop(`a request holds at most ${limits.maxLines} lines`);
        return;
      }
      yield finish();
      pos = nl + 1;
    }
  }
  current += decoder.decode();
  if (current !== '' || tooLong) {
    if (overLines()) {
      yield stop(`a request holds at most ${limits.maxLines} lines`);
      return;
    }
    yield finish();
  }
}
