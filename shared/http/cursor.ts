/**
 * The one page cursor (翻页标记) of every list: the position of the last item shown (a sort key, or
 * a ledger version), base64url-wrapped so clients treat it as opaque. A cursor that does not
 * decode to a position the list could have given is a 400 naming the `cursor` field. The query's
 * `limit` and `cursor` members are `pageQueryMembers` (shared/http/fields.ts).
 */
import { DomainError } from '../errors/domain-error.js';

const MAX_PAGE = 100;
const DEFAULT_PAGE = 20;

/** The page size asked, within 1..100 (20 when not asked). */
export function pageLimit(limit: number | undefined): number {
  return Math.min(Math.max(limit ?? DEFAULT_PAGE, 1), MAX_PAGE);
}

export function encodeCursor(position: string): string {
  return Buffer.from(JSON.stringify({ p: position })).toString('base64url');
}

/** The position a cursor carries, if `valid` accepts it; else the field error. */
export function decodeCursor(cursor: string, valid: (position: string) => boolean): string {
  try {
    const { p } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { p: unknown };
    if (typeof p === 'string' && valid(p)) return p;
  } catch {
    // falls through to the field error
  }
  throw new DomainError('VALIDATION_FAILED', {
    errors: [
      {
        in: 'query',
        field: 'cursor',
        code: 'INVALID_CURSOR',
        message: {
          'zh-CN': '翻页标记无效，请从第一页重新查询。',
          en: 'Invalid cursor; start again from the first page.',
        },
      },
    ],
  });
}

/** The characters of the sort keys a cursor may carry (no `~`: it bounds an ascending page). */
const SORT_KEY = /^[A-Za-z0-9#:.-]{1,250}$/;

/**
 * A page of the items whose sort key starts with `prefix`, after the cursor's key, in sort-key
 * order (or newest first, `descending`). `query` runs one key condition on `#sk`; it is asked for
 * two more than the page, since BETWEEN includes the cursor's own item and one more tells whether
 * there is a next page.
 */
export async function sortKeyPage<T>(options: {
  prefix: string;
  limit: number;
  cursor?: string | undefined;
  descending: boolean;
  sortKeyOf: (item: T) => string;
  query: (condition: string, values: Record<string, string>, limit: number) => Promise<T[]>;
}): Promise<{ items: T[]; nextCursor: string | null }> {
  const { prefix, limit } = options;
  const after =
    options.cursor === undefined
      ? undefined
      : decodeCursor(
          options.cursor,
          (p) => p.startsWith(prefix) && p.length > prefix.length && SORT_KEY.test(p),
        );
  const found =
    after === undefined
      ? await options.query('begins_with(#sk, :prefix)', { ':prefix': prefix }, limit + 1)
      : options.descending
        ? await options.query(
            '#sk BETWEEN :prefix AND :after',
            { ':prefix': prefix, ':after': after },
            limit + 2,
          )
        : await options.query(
            '#sk BETWEEN :after AND :end',
            { ':after': after, ':end': `${prefix}~` },
            limit + 2,
          );
  const rest = found.filter((item) => options.sortKeyOf(item) !== after);
  const items = rest.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rest.length > limit && last ? encodeCursor(options.sortKeyOf(last)) : null };
}
