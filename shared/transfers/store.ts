/**
 * ACCOUNT_TRANSFER records, each in the partition of the centre that owns it:
 *
 * | record                                          | PK                                  | SK            |
 * |-------------------------------------------------|-------------------------------------|---------------|
 * | the application, at the receiving centre (转入地) | `C#<to>#TRANSFER#<transferId>`      | `APPLICATION` |
 * | its decision on the money: credited or returned | `C#<to>#TRANSFER#<transferId>`      | `IN`          |
 * | the sending centre's (转出地) in-transit record   | `C#<from>#TRANSFEROUT#<transferId>` | `OUT`         |
 *
 * The application sits in the receiving centre's work queue like any other (GSI1
 * `C#<to>#APPS#<status>`). The sending record is in the sending centre's work queue while its money
 * is in transit (`approved`: debited, waiting for the receiving centre), in `review` once that is
 * past its committed deadline; it leaves the index when the receiving centre's decision is applied.
 * Each side's ledger entries (`TRANSFER-OUT#`, `TRANSFER-IN#`, `TRANSFER-RETURN#<transferId>`) are
 * on the accounts, guarded once per reference.
 */
import type { ApplicationBase, Reason, TimelineEntry } from '../applications/records.js';
import type { CityCode } from '../config/cities.js';
import type { DepositHistorySummary, MessageOf } from '../messaging/envelope.js';
import type { CentreRepository } from '../persistence/centre-repository.js';
import { centreKey } from '../persistence/table.js';
import type { ReceivingState, SendingState } from './saga.js';

export type TransferAnswerPayload = MessageOf<'transfer-answer'>['payload'];

export interface TransferApplication extends ApplicationBase {
  itemCode: 'ACCOUNT_TRANSFER';
  fromCity: CityCode;
  sendingAccountNo: string;
  receivingAccountNo: string;
  /** The receiving centre's decision on the debited money, taken once. */
  creditResult?: 'credited' | 'returned';
  amountFen?: number;
  interestFen?: number;
  history?: DepositHistorySummary;
  /** The result message as last sent (the sending centre's re-sent debit gets it again). */
  resultMessage?: string;
  /** The cancellation sent to the sending centre (best effort: an expired letter is refused anyway). */
  cancellationMessage?: string;
}

export interface TransferOutRecord {
  PK: string;
  SK: 'OUT';
  GSI1PK?: string;
  GSI1SK?: string;
  applicationId: string;
  itemCode: 'ACCOUNT_TRANSFER';
  kind: 'transfer-out';
  /** The queue line's status at the sending centre. */
  status: 'approved' | 'review' | 'paid' | 'rejected' | 'withdrawn';
  state: SendingState;
  city: CityCode;
  toCity: CityCode;
  channel: 'online';
  personKey: string;
  idNumberMasked: string;
  sendingAccountNo?: string;
  acceptedAt: string;
  committedDeadline: string;
  committedDeadlineCalendar: 'official' | 'provisional';
  amountFen: number;
  interestFen: number;
  /** The answer, repeated to every later letter of this transfer. */
  answer: TransferAnswerPayload;
  /** The letter answered first, and the envelope of the answer as last sent (re-sent by the sweep). */
  letterRequestId?: string;
  answerMessage?: string;
  answerSentAt?: string;
  resultAt?: string;
  reasons?: Reason[];
  /** As an application's, so the kernel's deadline recompute and the staff views read it alike. */
  timeline: TimelineEntry[];
  version: number;
}

export function transferKey(city: CityCode, transferId: string) {
  return { PK: centreKey(city, 'TRANSFER', transferId), SK: 'APPLICATION' as const };
}
export function transferInKey(city: CityCode, transferId: string) {
  return { PK: centreKey(city, 'TRANSFER', transferId), SK: 'IN' as const };
}
export function transferOutKey(city: CityCode, transferId: string) {
  return { PK: centreKey(city, 'TRANSFEROUT', transferId), SK: 'OUT' as const };
}

/** `<to city>-T-<16>`: the receiving centre is in the id. */
export function transferIdFor(city: CityCode, idempotencySeed: string): string {
  return `${city}-T-${idempotencySeed.slice(0, 16).toUpperCase()}`;
}
export function isTransferId(id: string): boolean {
  return /^\d{6}-T-[A-Z0-9]{16}$/.test(id);
}

export async function getTransfer(
  repository: CentreRepository,
  transferId: string,
): Promise<TransferApplication | undefined> {
  return repository.get<TransferApplication & Record<string, unknown>>(
    transferKey(repository.city, transferId),
    { consistent: true },
  );
}

export async function getTransferOut(
  repository: CentreRepository,
  transferId: string,
): Promise<TransferOutRecord | undefined> {
  return repository.get<TransferOutRecord & Record<string, unknown>>(
    transferOutKey(repository.city, transferId),
    { consistent: true },
  );
}

/** The saga state of the receiving side, from the kernel status and the decision on the money. */
export function receivingStateOf(
  application: Pick<TransferApplication, 'status' | 'creditResult'>,
): ReceivingState {
  if (application.creditResult) return application.creditResult;
  switch (application.status) {
    case 'awaiting_facts':
      return 'letter-sent';
    case 'review':
    case 'pending_confirmation':
      return 'no-answer';
    case 'withdrawn':
      return 'cancelled';
    default:
      return 'refused';
  }
}
