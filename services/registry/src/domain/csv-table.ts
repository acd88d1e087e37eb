/**
 * RFC 4180 CSV, read into records that remember the line they start on, so that an import can
 * report "line 17: kind is invalid" in the numbering a spreadsheet user sees.
 *
 * A small reader of our own rather than a library: the format is tiny, and what the import needs
 * (the physical line of each record, a precise error on a broken quote, bounded work) is easier to
 * guarantee in 80 lines than to configure.
 */

/** One CSV record: its cells, and the 1-based line of the file it starts on. */
export interface CsvRecord {
  readonly line: number;
  readonly cells: readonly string[];
}

export type CsvTable =
  | { readonly ok: true; readonly records: readonly CsvRecord[] }
  | { readonly ok: false; readonly line: number; readonly message: string };

/**
 * Splits CSV text into records. Accepts LF and CRLF line ends, a UTF-8 byte-order mark, quoted
 * cells with doubled quotes and line breaks inside them. Blank lines are skipped (a spreadsheet
 * often leaves one at the end). A quote inside an unquoted cell, text after a closing quote, or a
 * quote never closed is an error naming its line.
 */
export function readCsvTable(text: string): CsvTable {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < text.length) {
    const start = line;
    const cells: string[] = [];
    let endOfRecord = false;
    while (!endOfRecord) {
      let cell = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) return { ok: false, line: start, message: 'a quoted cell is never closed' };
          const c = text[i] as string;
          if (c === '"') {
            if (text[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          cell += c;
          i++;
        }
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\n' && !(next === '\r' && text[i + 1] === '\n')) {
          return {
            ok: false,
            line,
            message: 'text after a closing quote (write a quote inside a cell as "")',
          };
        }
      } else {
        while (i < text.length) {
          const c = text[i] as string;
          if (c === ',' || c === '\n' || (c === '\r' && text[i + 1] === '\n')) break;
          if (c === '"') return { ok: false, line, message: 'a quote inside an unquoted cell' };
          cell += c;
          i++;
        }
      }
      cells.push(cell);
      if (text[i] === ',') {
        i++;
        continue;
      }
      // End of line or of text: the record is complete.
      if (text[i] === '\r') i++;
      if (text[i] === '\n') {
        i++;
        line++;
      }
      endOfRecord = true;
    }
    const blank = cells.length === 1 && cells[0] === '';
    if (!blank) records.push({ line: start, cells });
  }
  return { ok: true, records };
}
