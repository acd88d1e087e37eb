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
      expect(batch.body()).toBe(lines.slice(0, count).join('\n'));
      expect(batch.body()).toBe(lines.slice(0, count).join('\n'));
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
      expect(batch.body(from, to)).toBe(lines.slice(from, to).join('\n'));
    }
    lines.forEach((line, i) => {
      expect(batch.line(i)).toBe(line);
    });
    expect(batch.kinds.slice(0, 3)).toEqual(['reading', 'rejection', 'reading']);
  });
});
