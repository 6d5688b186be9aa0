import { describe, expect, it } from '@jest/globals';
import { shortCache } from '../../../shared/http/short-cache.js';

describe('shortCache', () => {
  it('computes once per period for a key, shared by concurrent callers', async () => {
    let clock = 0;
    let calls = 0;
    const cache = shortCache<number>(10_000, () => clock);
    const compute = async () => ++calls;
    const answers = await Promise.all(Array.from({ length: 20 }, () => cache.get('a', compute)));
    expect(answers).toEqual(Array(20).fill(1));
    clock = 9_999;
    expect(await cache.get('a', compute)).toBe(1);
    clock = 10_000;
    expect(await cache.get('a', compute)).toBe(2);
    expect(calls).toBe(2);
  });

  it('never answers one key with the value of another', async () => {
    const cache = shortCache<string>(10_000, () => 0);
    expect(await cache.get('a', async () => 'for a')).toBe('for a');
    expect(await cache.get('b', async () => 'for b')).toBe('for b');
  });

  it('does not keep a failure', async () => {
    const cache = shortCache<string>(10_000, () => 0);
    await expect(cache.get('a', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('a', async () => 'up')).toBe('up');
  });
});
