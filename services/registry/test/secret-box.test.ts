import { describe, expect, it } from 'vitest';
import { createSecretBox } from '../src/jobs/secret-box.js';

describe('secret box for job payloads', () => {
  const box = createSecretBox('k'.repeat(40));

  it('should open what it sealed, and never show the secret in the sealed text', () => {
    const sealed = box.seal('device-password-123');
    expect(sealed).not.toContain('device-password-123');
    expect(box.open(sealed)).toBe('device-password-123');
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('should refuse a text sealed with another key, or altered', () => {
    const sealed = box.seal('secret');
    expect(() => createSecretBox('z'.repeat(40)).open(sealed)).toThrow();
    const altered = Buffer.from(sealed, 'base64url');
    altered[altered.length - 1] = (altered[altered.length - 1] ?? 0) ^ 1;
    expect(() => box.open(altered.toString('base64url'))).toThrow();
  });
});
