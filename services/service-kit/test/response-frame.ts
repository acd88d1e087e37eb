/** A Kafka response frame as a broker stand-in writes it: size prefix, correlation id, `payload`. */
export function responseFrame(correlationId: number, payload: Buffer): Buffer {
  const frame = Buffer.alloc(8 + payload.length);
  frame.writeInt32BE(4 + payload.length, 0);
  frame.writeInt32BE(correlationId, 4);
  payload.copy(frame, 8);
  return frame;
}
