/**
 * The one page cursor (shared/http/cursor.ts): a page is one key condition on a sorted list, the
 * cursor's own item never shown twice, nothing skipped at a page boundary in either direction, and
 * a cursor that is not a position of this list refused as a field error.
 */
import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../../../shared/errors/domain-error.js';
import { decodeCursor, encodeCursor, pageLimit, sortKeyPage } from '../../../shared/http/cursor.js';

/** A sorted partition as DynamoDB evaluates the three conditions sortKeyPage writes. */
function partition(keys: string[]) {
  const sorted = [...keys].sort();
  return async (condition: string, values: Record<string, string>, limit: number, descending: boolean) => {
    let found: string[];
    if (condition === 'begins_with(#sk, :prefix)')
      found = sorted.filter((k) => k.startsWith(values[':prefix'] as string));
    else if (condition === '#sk BETWEEN :prefix AND :after')
      found = sorted.filter((k) => k >= (values[':prefix'] as string) && k <= (values[':after'] as string));
    else if (condition === '#sk BETWEEN :after AND :end')
      found = sorted.filter((k) => k >= (values[':after'] as string) && k <= (values[':end'] as string));
    else throw new Error(`unexpected condition ${condition}`);
    return (descending ? found.reverse() : found).slice(0, limit);
  };
}

async function walk(keys: string[], prefix: string, limit: number, descending: boolean) {
  const query = partition(keys);
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await sortKeyPage<string>({
      prefix,
      limit,
      cursor,
      descending,
      sortKeyOf: (k) => k,
      query: (condition, values, n) => query(condition, values, n, descending),
    });
    pages.push(page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && pages.length < 20);
  return pages;
}

// Other kinds of record on both sides of the list, as in a real partition.
const OTHERS = ['ACCOUNT#1', 'APP#LOAN#2026-12-01#L1', 'APP#WITHDRAWAL', 'APP#X#1', 'PROFILE'];
const LIST = ['APP#TRANSFER#2026-11-30#T1', 'APP#TRANSFER#2026-12-01#T2', 'APP#TRANSFER#2026-12-01#T3'];

describe('sortKeyPage', () => {
  it.each([1, 2, 3, 4])('walks the list newest first %i at a time, each item once', async (limit) => {
    const pages = await walk([...OTHERS, ...LIST], 'APP#TRANSFER#', limit, true);
    expect(pages.flat()).toEqual([...LIST].reverse());
    expect(pages.length).toBe(Math.ceil(LIST.length / limit));
  });

  it.each([1, 2, 3])('walks it oldest first %i at a time, stopping before the next kind', async (limit) => {
    const pages = await walk([...OTHERS, ...LIST, 'APP#TRANSFERS'], 'APP#TRANSFER#', limit, false);
    expect(pages.flat()).toEqual(LIST);
  });

  it('an empty list is one empty page with no cursor', async () => {
    expect(await walk(OTHERS, 'APP#TRANSFER#', 5, true)).toEqual([[]]);
  });

  it('refuses a position outside the list, a bound character, garbage and another shape', async () => {
    const wrap = (p: unknown) => Buffer.from(JSON.stringify({ p })).toString('base64url');
    for (const bad of [
      wrap('APP#LOAN#2026#L1'),
      wrap('APP#TRANSFER#~'),
      wrap('APP#TRANSFER#'),
      wrap(7),
      'x',
      '',
    ]) {
      const page = sortKeyPage<string>({
        prefix: 'APP#TRANSFER#',
        limit: 2,
        cursor: bad,
        descending: true,
        sortKeyOf: (k) => k,
        query: async () => [],
      });
      await expect(page).rejects.toBeInstanceOf(DomainError);
      await expect(page).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });
});

describe('the cursor and the page size', () => {
  it('round-trips a position and refuses what the list does not accept', () => {
    expect(decodeCursor(encodeCursor('12'), (p) => /^\d+$/.test(p))).toBe('12');
    expect(() => decodeCursor(encodeCursor('12'), () => false)).toThrow(DomainError);
  });

  it('keeps the page size within 1..100, 20 when not asked', () => {
    expect([pageLimit(undefined), pageLimit(0), pageLimit(1), pageLimit(100), pageLimit(999)]).toEqual([
      20, 1, 1, 100, 100,
    ]);
  });
});
