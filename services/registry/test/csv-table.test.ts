import { describe, expect, it } from 'vitest';
import { readCsvTable } from '../src/domain/csv-table.js';

describe('readCsvTable', () => {
  it('should give each record the line it starts on, skipping blank lines', () => {
    const table = readCsvTable('a,b\n1,2\n\n3,4\n');
    expect(table).toEqual({
      ok: true,
      records: [
        { line: 1, cells: ['a', 'b'] },
        { line: 2, cells: ['1', '2'] },
        { line: 4, cells: ['3', '4'] },
      ],
    });
  });

  it('should read CRLF line ends, a byte-order mark and a last line without a line end', () => {
    const table = readCsvTable('\uFEFFa,b\r\n1,2\r\n3,4');
    expect(table.ok && table.records.map((r) => [r.line, ...r.cells])).toEqual([
      [1, 'a', 'b'],
      [2, '1', '2'],
      [3, '3', '4'],
    ]);
  });

  it('should read quoted cells with commas, doubled quotes and line breaks, counting lines inside them', () => {
    const table = readCsvTable('a,b\n"x, y","say ""hi"""\n"two\nlines",z\nlast,1\n');
    expect(table.ok && table.records).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'say "hi"'] },
      { line: 3, cells: ['two\nlines', 'z'] },
      { line: 5, cells: ['last', '1'] },
    ]);
  });

  it('should keep empty cells, including a trailing one', () => {
    const table = readCsvTable('a,,c,\n');
    expect(table.ok && table.records[0]?.cells).toEqual(['a', '', 'c', '']);
  });

  it('should refuse a quote never closed, naming the line it opened on', () => {
    expect(readCsvTable('a,b\n1,2\n"open,3\n4,5\n')).toEqual({
      ok: false,
      line: 3,
      message: 'a quoted cell is never closed',
    });
  });

  it('should refuse a quote inside an unquoted cell and text after a closing quote', () => {
    expect(readCsvTable('a,b\nx"y,2\n')).toMatchObject({ ok: false, line: 2 });
    expect(readCsvTable('a,b\n"x"y,2\n')).toMatchObject({ ok: false, line: 2 });
  });
});
