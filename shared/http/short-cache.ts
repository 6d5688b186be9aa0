/**
 * A value computed at most once per period and key, shared by the calls that arrive meanwhile
 * (including those that arrive while it is being computed): what a public route that probes other
 * services answers from, so that its cost does not grow with its callers.
 */
export interface ShortCache<T> {
  get(key: string, compute: () => Promise<T>): Promise<T>;
}

export function shortCache<T>(ttlMs: number, now: () => number = Date.now): ShortCache<T> {
  let entry: { key: string; at: number; value: Promise<T> } | undefined;
  return {
    get(key, compute) {
      const at = now();
      if (entry && entry.key === key && at - entry.at < ttlMs) return entry.value;
      const value = compute();
      const mine = { key, at, value };
      entry = mine;
      // A failed computation is not kept: the next call tries again.
      value.catch(() => {
        if (entry === mine) entry = undefined;
      });
      return value;
    },
  };
}
