import { describe, expect, it } from 'vitest';
import { cryptoRandom } from '../../functions/deps';

describe('cryptoRandom ids (pooled CSPRNG bytes)', () => {
  it('gives 128-bit base64url ids, none repeated across several pool refills', () => {
    const ids = Array.from({ length: 2000 }, () => cryptoRandom.id());
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
