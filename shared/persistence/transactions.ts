/** Reading why DynamoDB cancelled a transaction, item by item. */

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

export const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.min(2000, 20 * 2 ** attempt + Math.random() * 20)));
