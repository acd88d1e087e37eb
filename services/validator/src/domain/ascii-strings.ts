/**
 * Strings found by their bytes: a payload names the same few metrics, units and classes over and
 * over, so matching its bytes against the strings already known costs a comparison, where a decode
 * would cost a new string (and its garbage) per message.
 */
export class AsciiStrings {
  /** Known strings by length. */
  private readonly byLength: string[][] = [];

  /**
   * @param known the strings found from the start.
   * @param maxLearned how many unknown strings of each length `find` learns (decodes and keeps);
   *   0 = none, the set is closed (metric ids, vehicle classes).
   */
  constructor(
    known: Iterable<string>,
    private readonly maxLearned = 0,
  ) {
    for (const text of known) this.listOf(text.length).push(text);
  }

  /**
   * The string of the bytes `[start, end)`, which the caller checked are ASCII; undefined when it is
   * neither known nor learnt.
   */
  find(bytes: Uint8Array, start: number, end: number): string | undefined {
    const length = end - start;
    const list = this.byLength[length];
    if (list !== undefined) {
      for (const text of list) if (sameChars(bytes, start, text)) return text;
    }
    if (this.maxLearned === 0) return undefined;
    let text = '';
    for (let i = start; i < end; i += 1) text += String.fromCharCode(bytes[i] as number);
    const own = this.listOf(length);
    if (own.length < this.maxLearned) own.push(text);
    return text;
  }

  private listOf(length: number): string[] {
    let list = this.byLength[length];
    if (list === undefined) {
      list = [];
      this.byLength[length] = list;
    }
    return list;
  }
}

function sameChars(bytes: Uint8Array, start: number, text: string): boolean {
  for (let i = 0; i < text.length; i += 1) if (bytes[start + i] !== text.charCodeAt(i)) return false;
  return true;
}
