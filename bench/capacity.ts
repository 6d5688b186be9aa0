/**
 * Consumed read and write capacity units, as DynamoDB reports them (ReturnConsumedCapacity TOTAL on
 * every call of the process's one client), added up per label: whatever runs inside
 * `measured(label, …)` (and what it starts, through AsyncLocalStorage) counts towards that label.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { dynamoClient } from '../shared/persistence/client.js';

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

export interface CapacityTotals {
  calls: number;
  rcu: number;
  wcu: number;
}

const label = new AsyncLocalStorage<string>();
const totals = new Map<string, CapacityTotals>();
let installed = false;

/** Units of one ConsumedCapacity entry: a read-only call reports CapacityUnits alone. */
function add(into: CapacityTotals, capacity: Capacity, commandName: string): void {
  const reads = /Get|Query|Scan/.test(commandName);
  into.rcu += capacity.ReadCapacityUnits ?? (reads ? (capacity.CapacityUnits ?? 0) : 0);
  into.wcu += capacity.WriteCapacityUnits ?? (reads ? 0 : (capacity.CapacityUnits ?? 0));
}

export function installCapacityMeter(): void {
  if (installed) return;
  installed = true;
  dynamoClient().middlewareStack.add(
    (next, context) => async (args) => {
      const current = label.getStore();
      if (current === undefined) return next(args);
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const output = result.output as { ConsumedCapacity?: Capacity | Capacity[] };
      const into = totals.get(current) ?? { calls: 0, rcu: 0, wcu: 0 };
      into.calls += 1;
      const commandName = String(context.commandName ?? '');
      for (const capacity of [output.ConsumedCapacity ?? []].flat()) add(into, capacity, commandName);
      totals.set(current, into);
      return result;
    },
    { step: 'initialize', name: 'benchConsumedCapacity', priority: 'high' },
  );
}

export function measured<T>(name: string, work: () => Promise<T>): Promise<T> {
  return label.run(name, work);
}

export function capacityOf(name: string): CapacityTotals {
  return totals.get(name) ?? { calls: 0, rcu: 0, wcu: 0 };
}

export function resetCapacity(name: string): void {
  totals.delete(name);
}
