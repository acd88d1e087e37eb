import { describe, expect, it } from 'vitest';
import { LineBatch } from '../src/line-batch.js';

function batchOf(lines: readonly string[]): LineBatch {
  const batch = new LineBatch();
  lines.forEach((line, i) => {
    batch.add(line, i % 2 === 0 ? 'reading' : 'rejection');
  });
  return batch;
}

describe('line batch', () => {
  const lines = Array.from({ length: 200 }, (_, i) =>
    i % 7 === 0
      ? `t_rejection,device=d${i} count=1i,detail="two\nlines" ${i}`
      : `t_reading,device=d${i} value=${i} ${i}`,
  );

  it('line batch should give the lines joined by newlines, whatever their number', () => {
    for (const count of [0, 1, 63, 64, 65, 200]) {
      const batch = batchOf(lines.slice(0, count));
      expect(batch.size).toBe(count);
      expect(batch.body().toString()).toBe(lines.slice(0, count).join('\n'));
      expect(batch.body().toString()).toBe(lines.slice(0, count).join('\n'));
    }
  });

  it('line batch should give any range of its lines, and each line, even with line breaks inside', () => {
    const batch = batchOf(lines);
    batch.body();
    for (const [from, to] of [
      [0, 100],
      [100, 200],
      [63, 65],
      [7, 8],
      [199, 200],
    ] as const) {
      expect(batch.body(from, to).toString()).toBe(lines.slice(from, to).join('\n'));
    }
    lines.forEach((line, i) => {
      expect(batch.line(i)).toBe(line);
    });
    expect(batch.kinds.slice(0, 3)).toEqual(['reading', 'rejection', 'reading']);
  });

  it('line batch should keep lines written in place, forget abandoned ones, and grow past its first buffer', () => {
    const batch = new LineBatch();
    const expected: string[] = [];
    for (let i = 0; i < 3_000; i++) {
      const line = `t_reading,device=d${i},site=é value=${i} ${i}000000`;
      if (i % 3 === 0) {
        batch.add(line, 'reading');
      } else {
        const bytes = batch.room(line.length * 3);
        const end = batch.start + bytes.write(line, batch.start);
        // An abandoned line: written, never committed.
        if (i % 7 === 0) continue;
        batch.commit(end, 'reading');
      }
      expected.push(line);
    }
    const body = batch.body();
    expect(body.length).toBeGreaterThan(64 * 1024);
    expect(body.toString()).toBe(expected.join('\n'));
    expect(batch.line(2_000)).toBe(expected[2_000]);
    expect(batch.body(5, 5).length).toBe(0);
  });

  it('line batch should hand its grown buffer to a later batch once released, which starts empty', () => {
    const first = batchOf(lines);
    const firstBody = first.body().toString();
    first.release();
    const second = batchOf(lines.slice(0, 3));
    expect(second.size).toBe(3);
    expect(second.body().toString()).toBe(lines.slice(0, 3).join('\n'));
    expect(firstBody).toBe(lines.join('\n'));
  });
});
