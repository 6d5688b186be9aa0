/**
 * ACCOUNT_TRANSFER 转移接续 as a saga between two centres, without AWS: the states of each side,
 * what each side does with each message, and the conservation invariant. The flows
 * (shared/transfers/flows.ts) call these functions, and the unit test drives them through random
 * deliveries, duplicates, reorders, losses and timeouts.
 *
 * The receiving centre (转入地) accepts the application and sends the transfer letter (联系函) to the
 * sending centre (转出地). The sending centre answers every letter of a transfer the same way: it
 * decides once (refuse, or settle interest to date and debit the whole balance into its in-transit
 * record, closing the account) and repeats that answer to any later letter. The receiving centre
 * decides once what to do with a confirmed debit (credit it, or send it back) and repeats that
 * decision to any later copy. So each side's money moves at most once per transfer id, whatever
 * the network does, and the sending side re-sends its debit until it hears the receiving side's
 * decision.
 */

/** 转入地: the application's saga state. */
export const RECEIVING_STATES = [
  // the letter is out, no answer yet
  'letter-sent',
  // the sending centre refused the letter (not sealed, a loan there…): nothing moved
  'refused',
  // the applicant cancelled before any debit arrived
  'cancelled',
  // the sending centre did not answer by the deadline: with staff
  'no-answer',
  // the confirmed debit is credited to the receiving account
  'credited',
  // the confirmed debit could not be credited (or came after the saga ended): sent back
  'returned',
] as const;
export type ReceivingState = (typeof RECEIVING_STATES)[number];

/** 转出地: the record a sending centre keeps of a transfer, in its own partition. */
export const SENDING_STATES = [
  // the applicant cancelled before the letter was handled: any later letter is refused
  'cancelled',
  'refused',
  // debited and closed; the amount waits in transit for the receiving centre's decision
  'in-transit',
  // the receiving centre credited it
  'completed',
  // the receiving centre sent it back: credited back to the (reopened, sealed) account
  'returned',
] as const;
export type SendingState = (typeof SENDING_STATES)[number];

/** Which saga state may follow which, on each side; anything else is refused by the store. */
export const RECEIVING_TRANSITIONS: Readonly<Record<ReceivingState, readonly ReceivingState[]>> = {
  'letter-sent': ['refused', 'cancelled', 'no-answer', 'credited', 'returned'],
  // staff ask again, or refuse (four eyes); the applicant may cancel; a late debit is sent back
  'no-answer': ['letter-sent', 'refused', 'cancelled', 'returned'],
  // refused by staff (four eyes) while a debit was under way: that debit is sent back
  cancelled: ['returned'],
  refused: ['returned'],
  credited: [],
  returned: [],
};
export const SENDING_TRANSITIONS: Readonly<Record<'none' | SendingState, readonly SendingState[]>> = {
  none: ['cancelled', 'refused', 'in-transit'],
  'in-transit': ['completed', 'returned'],
  cancelled: [],
  refused: [],
  completed: [],
  returned: [],
};

export function canReceive(from: ReceivingState, to: ReceivingState): boolean {
  return RECEIVING_TRANSITIONS[from].includes(to);
}
export function canSend(from: 'none' | SendingState, to: SendingState): boolean {
  return SENDING_TRANSITIONS[from].includes(to);
}

/** Why a sending centre refuses a letter, as the applicant reads it. */
export type RefusalCode =
  | 'TRANSFER_ACCOUNT_NOT_SEALED'
  | 'TRANSFER_ACCOUNT_CLOSED'
  | 'TRANSFER_ACCOUNT_NOT_FOUND'
  | 'TRANSFER_LOAN_OUTSTANDING'
  | 'TRANSFER_CANCELLED'
  | 'TRANSFER_LETTER_EXPIRED';

export interface SendingAccountFacts {
  /** The account the letter names, if it is the person's. */
  status: 'normal' | 'sealed' | 'closed' | 'none';
  /** HPF loans of the person not repaid, here or in the regional loan index. */
  outstandingLoans: number;
}

/**
 * What the sending centre does with a letter: repeat its earlier answer, or decide now. Sealed
 * (封存) is the account's status: its employer stopped remitting there and sealed it (DEPOSIT_CHANGE
 * `status: "sealed"`); a normal account still receives an employer's deposits and stays.
 */
export function onLetter(
  existing: SendingState | undefined,
  account: SendingAccountFacts,
  letterExpired: boolean,
): { action: 'repeat' } | { action: 'refuse'; code: RefusalCode } | { action: 'debit' } {
  if (existing !== undefined) return { action: 'repeat' };
  // The receiving centre stopped waiting: a debit now would only travel back.
  if (letterExpired) return { action: 'refuse', code: 'TRANSFER_LETTER_EXPIRED' };
  if (account.status === 'none') return { action: 'refuse', code: 'TRANSFER_ACCOUNT_NOT_FOUND' };
  if (account.status === 'closed') return { action: 'refuse', code: 'TRANSFER_ACCOUNT_CLOSED' };
  if (account.status !== 'sealed') return { action: 'refuse', code: 'TRANSFER_ACCOUNT_NOT_SEALED' };
  if (account.outstandingLoans > 0) return { action: 'refuse', code: 'TRANSFER_LOAN_OUTSTANDING' };
  return { action: 'debit' };
}

/** A cancellation reaching the sending centre: it stops a letter not yet handled, nothing else. */
export function onCancellation(existing: SendingState | undefined): 'tombstone' | 'ignore' {
  return existing === undefined ? 'tombstone' : 'ignore';
}

/**
 * What the receiving centre does with a confirmed debit: credit it only while the saga waits for
 * it and the receiving account is open; once the saga ended (cancelled, no answer) or the account
 * closed, send it back; a debit it decided on already, it answers again with that decision.
 */
export function onDebit(
  state: ReceivingState,
  receivingAccountOpen: boolean,
): 'credit' | 'return' | 'repeat' {
  if (state === 'credited' || state === 'returned') return 'repeat';
  if (state === 'letter-sent' && receivingAccountOpen) return 'credit';
  return 'return';
}

/**
 * A refusal reaching the receiving centre ends a saga still waiting for it; otherwise it is dropped
 * (with staff, asking again brings the same refusal back to a waiting saga).
 */
export function onRefusal(state: ReceivingState): 'refuse' | 'ignore' {
  return state === 'letter-sent' ? 'refuse' : 'ignore';
}

/** The receiving centre's decision reaching the sending centre: applied once, while in transit. */
export function onResult(
  state: SendingState | undefined,
  result: 'credited' | 'returned',
): 'complete' | 'credit-back' | 'ignore' {
  if (state !== 'in-transit') return 'ignore';
  return result === 'credited' ? 'complete' : 'credit-back';
}

/** The cancellation route: only while no debit has been answered to the receiving centre. */
export function mayCancel(state: ReceivingState): boolean {
  return state === 'letter-sent' || state === 'no-answer';
}

// ------------------------------------------------------------------------------------------------
// Conservation

export interface MoneyView {
  /** Both balances before the saga, fen. */
  startTotalFen: number;
  /** Interest to date the sending centre settled with its debit (0 before, or when refused). */
  interestSettledFen: number;
  sendingBalanceFen: number;
  receivingBalanceFen: number;
  /** Debited by the sending centre and neither credited by the receiving one nor credited back. */
  inTransitFen: number;
}

/** In every committed state: sending + in transit + receiving = the starting total + interest settled. */
export function conserved(view: MoneyView): boolean {
  return (
    view.sendingBalanceFen + view.inTransitFen + view.receivingBalanceFen ===
    view.startTotalFen + view.interestSettledFen
  );
}

/**
 * The amount in transit as the two centres' records show it: the sending centre debited it
 * (`in-transit`, or `completed`/`returned` once it heard back), the receiving centre has not
 * credited it, and the sending centre has not credited it back.
 */
export function inTransitFen(
  sending: { state: SendingState | undefined; amountFen: number },
  receiving: ReceivingState,
): number {
  const debited =
    sending.state === 'in-transit' || sending.state === 'completed' || sending.state === 'returned';
  if (!debited) return 0;
  if (receiving === 'credited' || sending.state === 'returned') return 0;
  return sending.amountFen;
}
