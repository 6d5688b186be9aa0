/** Open applications past their committed deadline, counted per centre and item (for the metric). */
import type { CityCode } from '../config/cities.js';
import { OPEN_STATUSES, workQueue } from './records.js';

export interface OverdueCount {
  city: CityCode;
  itemCode: string;
  overdue: number;
}

/** The work queues sort by deadline: only their overdue part is read. */
export async function countOverdue(cities: readonly CityCode[], now: Date): Promise<OverdueCount[]> {
  const counts = new Map<string, OverdueCount>();
  for (const city of cities) {
    for (const status of OPEN_STATUSES) {
      for (const application of await workQueue(city, status, { dueBefore: now })) {
        const key = `${city}#${application.itemCode}`;
        const entry = counts.get(key) ?? { city, itemCode: application.itemCode, overdue: 0 };
        entry.overdue += 1;
        counts.set(key, entry);
      }
    }
  }
  return [...counts.values()];
}
