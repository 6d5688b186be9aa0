/**
 * `queryAll` on DynamoDB Local: a partition bigger than one Query page (1 MB) comes back whole,
 * in sort-key order, and `limit` cuts it where the caller asked, not at a page boundary.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { centreKey } from '../../shared/persistence/table.js';

const ITEMS = 30;
/** ~40 KB each: 30 of them are ~1.2 MB, more than one page. */
const PAYLOAD = 'x'.repeat(40 * 1024);

const repository = centreRepository('320300');
const partition = centreKey('320300', 'TEST', randomBytes(6).toString('hex'));
const sortKeys = Array.from({ length: ITEMS }, (_, i) => `ITEM#${String(i).padStart(3, '0')}`);

beforeAll(async () => {
  // Written out of order: the Query, not the writes, gives the order.
  const shuffled = [...sortKeys].sort(() => Math.random() - 0.5);
  for (let i = 0; i < shuffled.length; i += 5) {
    await Promise.all(
      shuffled.slice(i, i + 5).map((SK) => repository.put({ PK: partition, SK, payload: PAYLOAD })),
    );
  }
});

describe('queryAll', () => {
  it('one Query returns a first page only, with where to go on', async () => {
    const page = await repository.query(partition, { ConsistentRead: true });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.length).toBeLessThan(ITEMS);
    expect(page.lastEvaluatedKey).toBeDefined();
    expect(page.items.map((item) => item.SK)).toEqual(sortKeys.slice(0, page.items.length));
  });

  it('returns every item of the partition, in sort-key order', async () => {
    const items = await repository.queryAll(partition, { ConsistentRead: true });
    expect(items).toHaveLength(ITEMS);
    expect(items.map((item) => item.SK)).toEqual(sortKeys);
    expect(items.every((item) => item.PK === partition && item.payload === PAYLOAD)).toBe(true);
  });

  it('returns the items in reverse order when asked', async () => {
    const items = await repository.queryAll(partition, { ConsistentRead: true, ScanIndexForward: false });
    expect(items.map((item) => item.SK)).toEqual([...sortKeys].reverse());
  });

  it('keeps a sort-key condition across pages', async () => {
    const items = await repository.queryAll(partition, {
      ConsistentRead: true,
      sortKeyCondition: 'SK >= :from',
      ExpressionAttributeValues: { ':from': 'ITEM#005' },
    });
    expect(items.map((item) => item.SK)).toEqual(sortKeys.slice(5));
  });

  it('returns the first `limit` items, and no more', async () => {
    const five = await repository.queryAll(partition, { ConsistentRead: true, limit: 5 });
    expect(five.map((item) => item.SK)).toEqual(sortKeys.slice(0, 5));
    // A limit beyond the first page is still met exactly, across the page boundary.
    const page = await repository.query(partition, { ConsistentRead: true });
    const beyond = page.items.length + 3;
    expect(beyond).toBeLessThan(ITEMS);
    const more = await repository.queryAll(partition, { ConsistentRead: true, limit: beyond });
    expect(more.map((item) => item.SK)).toEqual(sortKeys.slice(0, beyond));
    // A limit above the partition's size returns the whole partition.
    expect(await repository.queryAll(partition, { ConsistentRead: true, limit: 1000 })).toHaveLength(ITEMS);
  });

  it('refuses another centre’s partition', async () => {
    await expect(centreRepository('371300').queryAll(partition)).rejects.toThrow(/may not query/);
  });
});
