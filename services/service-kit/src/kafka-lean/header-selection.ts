import { type Cursor, type KnownName, knownNameOf, sameBytes } from './record-cursor.js';

/**
 * The header names a reader takes from every record, compiled once: their bytes, to find them in
 * a record without decoding the names, and their known names, which carry the value cache.
 */
class HeaderSelection {
  private readonly lengths: Int32Array;
  private readonly known: readonly KnownName[];

  constructor(names: readonly string[]) {
    this.known = names.map(knownNameOf);
    this.lengths = Int32Array.from(this.known, (known) => known.bytes.length);
  }

  /**
   * Reads a record's headers from the cursor (at their count) and puts the last value of each
   * selected name in `into`, undefined for a name the record lacks.
   */
  read(cursor: Cursor, into: Array<string | undefined>): void {
    const { lengths, known } = this;
    for (let j = 0; j < lengths.length; j++) into[j] = undefined;
    const count = cursor.varint();
    for (let h = 0; h < count; h++) {
      const length = cursor.varint();
      const j = this.indexOf(cursor.buffer, cursor.at, length);
      cursor.at += length;
      if (j < 0) cursor.skip();
      else into[j] = cursor.headerValue(known[j] as KnownName);
    }
  }

  private indexOf(buffer: Buffer, start: number, length: number): number {
    const { lengths, known } = this;
    for (let j = 0; j < lengths.length; j++) {
      if (lengths[j] === length && sameBytes(buffer, start, (known[j] as KnownName).bytes)) return j;
    }
    return -1;
  }
}

/** Compiled selections by the readers' own name lists: a reader passes the same list every time. */
const selections = new WeakMap<readonly string[], HeaderSelection>();
let lastNames: readonly string[] | undefined;
let lastSelection: HeaderSelection | undefined;

export function headerSelectionOf(names: readonly string[]): HeaderSelection {
  if (names === lastNames && lastSelection !== undefined) return lastSelection;
  let selection = selections.get(names);
  if (selection === undefined) {
    selection = new HeaderSelection(names);
    selections.set(names, selection);
  }
  lastNames = names;
  lastSelection = selection;
  return selection;
}
