/**
 * Optimistic concurrency, written once: read, decide, write guarded by what was read; when the
 * guard fails (another writer moved the record) read again and decide again. Every flow that
 * writes on a version it read goes through `withOptimisticRetry`.
 */
import { DomainError } from '../errors/domain-error.js';

/** The reason codes of a cancelled transaction, in item order; undefined if it was not a cancellation. */
export function cancellationReasons(error: unknown): (string | undefined)[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as Error & { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return reasons?.map((reason) => (reason.Code === 'None' ? undefined : reason.Code)) ?? [];
}

/** Errors worth retrying as they are: another transaction held an item, or capacity ran short. */
export function isTransientConflict(error: unknown): boolean {
  const reasons = cancellationReasons(error);
  if (reasons) return reasons.some((code) => code === 'TransactionConflict' || code === 'ThrottlingError');
  return (
    error instanceof Error &&
    [
      'TransactionConflictException',
      'ProvisionedThroughputExceededException',
      'ThrottlingException',
    ].includes(error.name)
  );
}

/** A guarded write failed because what it read has moved: a condition, or a cancelled transaction. */
export function isConditionFailure(error: unknown): boolean {
  return (
    (error instanceof Error && error.name === 'ConditionalCheckFailedException') ||
    cancellationReasons(error) !== undefined ||
    isTransientConflict(error)
  );
}

export const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.min(2000, 20 * 2 ** attempt + Math.random() * 20)));

export const DEFAULT_ATTEMPTS = 8;

/**
 * Runs `attempt` (which reads what it needs itself) until it completes without a condition
 * failure; backs off between tries. When the tries run out the caller gets one 409
 * (`CONCURRENT_UPDATE`), never a raw DynamoDB error. Any other error passes through at once.
 */
export async function withOptimisticRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: { attempts?: number; isRetryable?: (error: unknown) => boolean } = {},
): Promise<T> {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  const retryable = options.isRetryable ?? isConditionFailure;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!retryable(error)) throw error;
      if (n + 1 >= attempts) throw new DomainError('CONCURRENT_UPDATE', { attempts });
      await backoff(n);
    }
  }
}
