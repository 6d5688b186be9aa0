/**
 * A job's work run as that declared job (scheduled or one-off): tests call the domain functions a
 * job's handler calls, and through this the capability guard checks them against the job's
 * capabilities, as it checks handlers run by the gateway and workers run by the pollers.
 */
import { runAsFunction } from '../../shared/capabilities/guard.js';
import { ONE_OFF_JOBS, SCHEDULED_JOBS } from '../../shared/services/declaration.js';

export function asJob<T>(id: string, body: () => Promise<T>): Promise<T> {
  const job = [...SCHEDULED_JOBS, ...ONE_OFF_JOBS].find((j) => j.id === id);
  if (!job) throw new Error(`no declared job ${id}`);
  return runAsFunction({ id: job.id, capabilities: job.capabilities }, body);
}
