import { describe, expect, it } from 'vitest';
import { csvField, csvRecord, parseCsvLine, textLines } from '../../functions/core/csv';

async function* chunks(text: string, size: number) {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

const collect = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe('parseCsvLine', () => {
  it('reads plain, quoted and escaped fields', () => {
    expect(parseCsvLine('a,b,,d')).toEqual({ ok: true, fields: ['a', 'b', '', 'd'] });
    expect(parseCsvLine('"a,1","say ""hi""", c ')).toEqual({ ok: true, fields: ['a,1', 'say "hi"', 'c'] });
    expect(parseCsvLine('')).toEqual({ ok: true, fields: [''] });
  });
  it('reports broken quoting', () => {
    expect(parseCsvLine('"abc,d')).toEqual({ ok: false, error: 'unterminated quoted field' });
    expect(parseCsvLine('"a"b,c')).toEqual({ ok: false, error: 'text after a closing quote' });
    expect(parseCsvLine('a"b,c')).toEqual({ ok: false, error: 'a quote inside an unquoted field' });
  });
  it('writes what it reads', () => {
    for (const fields of [
      ['a', 'b,c', 'say "x"', ' pad '],
      ['', 'x'],
    ]) {
      const line = csvRecord(fields);
      expect(line.endsWith('\r\n')).toBe(true);
      expect(parseCsvLine(line.slice(0, -2))).toEqual({ ok: true, fields });
    }
    expect(csvField('plain@example.com')).toBe('plain@example.com');
  });
});

describe('formula cells (OWASP CSV injection)', () => {
  const formulas = ["=cmd|'/ccalc'!A1@example.com", '+1+1@example.com', '-2@example.com', '@SUM(A1)@example.com', '\tx@example.com', '\rx@example.com'];

  it('writes no field that a spreadsheet would run as a formula', () => {
    for (const v of formulas) {
      const line = csvRecord([v, 'manual']);
      const first = (parseCsvLine(line.slice(0, -2)) as { ok: true; fields: string[] }).fields[0] ?? '';
      // What the spreadsheet sees as the cell: the written text, unquoted.
      const cell = line.startsWith('"') ? line.slice(1, line.indexOf('"', 1)) : line.slice(0, line.indexOf(','));
      expect(cell.startsWith("'"), v).toBe(true);
      expect(first, v).toBe(v);
    }
  });

  it('reads back exactly what was written, and strips only the one quote it added', () => {
    for (const v of [...formulas, "'=already@example.com", "''+x@example.com", "o'brien@example.com", "'plain@example.com", 'plain@example.com']) {
      expect(parseCsvLine(csvRecord([v]).slice(0, -2)), v).toEqual({ ok: true, fields: [v] });
    }
    // A file written by hand (or by a spreadsheet) with the guard quote imports as the address.
    expect(parseCsvLine("'=x@example.com,manual")).toEqual({ ok: true, fields: ['=x@example.com', 'manual'] });
    expect(parseCsvLine("'x@example.com,manual")).toEqual({ ok: true, fields: ["'x@example.com", 'manual'] });
  });
});

describe('textLines', () => {
  const limits = { maxLines: 100, maxBytes: 10_000, maxLineLength: 20 };

  it('numbers lines across chunk borders, drops the BOM and CR, keeps multibyte characters whole', async () => {
    const lines = await collect(textLines(chunks('\uFEFFhead\r\nあいう,1\r\n\r\nlast', 1), limits));
    expect(lines).toEqual([
      { line: 1, text: 'head' },
      { line: 2, text: 'あいう,1' },
      { line: 3, text: '' },
      { line: 4, text: 'last' },
    ]);
  });

  it('reports a line that is too long without keeping it, and goes on', async () => {
    const lines = await collect(textLines(chunks(`ok\n${'x'.repeat(50)}\nok2\n`, 8), limits));
    expect(lines).toEqual([
      { line: 1, text: 'ok' },
      { line: 2, error: 'line longer than 20 characters' },
      { line: 3, text: 'ok2' },
    ]);
  });

  it('stops at the line and byte limits, naming the first line not read', async () => {
    const many = await collect(textLines(chunks('a\nb\nc\nd\n', 3), { ...limits, maxLines: 2 }));
    expect(many.at(-1)).toEqual({ line: 3, error: expect.stringContaining('at most 2 lines') });
    expect(many).toHaveLength(3);
    const big = await collect(textLines(chunks('aaaa\nbbbb\ncccc\n', 5), { ...limits, maxBytes: 12 }));
    expect(big).toEqual([
      { line: 1, text: 'aaaa' },
      { line: 2, text: 'bbbb' },
      { line: 3, error: expect.stringContaining('at most 12 bytes') },
    ]);
  });
});
