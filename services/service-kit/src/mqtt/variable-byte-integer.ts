/**
 * MQTT's Variable Byte Integer (OASIS MQTT 5.0 §1.5.5), the remaining length of every packet:
 * what the simulator's devices and the bridge both write by hand.
 */

/** Bytes `value` takes (0 to 268,435,455). */
export function variableByteIntegerLength(value: number): number {
  return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
}

/** Writes `value` at `offset`; returns the offset after it. */
export function writeVariableByteInteger(buffer: Buffer, offset: number, value: number): number {
  let rest = value;
  let at = offset;
  do {
    let byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    buffer[at++] = byte;
  } while (rest > 0);
  return at;
}
