/**
 * ACCOUNT_TRANSFER 转移接续 flows: what the receiving centre (转入地) and the sending centre (转出地)
 * write for each step of the saga (shared/transfers/saga.ts decides each step). Every state change
 * is one transaction with its ledger entries and with the message it owes (kept on the record, the
 * outbox), relayed after the write; the sweeps re-send what is unanswered, so a crash between the
 * write and the send, or a lost message, strands nothing.
 */
import { type ApplicationItem, applicationUpdate, transitionItem } from '../applications/kernel.js';
import { recordApplicationOnce, relayUnsent } from '../applications/outbox.js';
import { type Channel, type Reason, workQueue, workQueueKey } from '../applications/records.js';
import { monthOf } from '../calendar/dates.js';
import { committedDeadline, toBeijingDate } from '../calendar/working-days.js';
import { catalogueItem } from '../catalogue/catalogue.js';
import type { CityCode } from '../config/cities.js';
import { sweepResendAfterMs } from '../config/runtime.js';
import { ledgerOf } from '../deposits/interest.js';
import { lastDepositMonth } from '../deposits/rules.js';
import {
  getPersonalAccount,
  openAccountOfPerson,
  type PersonalAccountRecord,
  termsFor,
} from '../deposits/store.js';
import { DomainError } from '../errors/domain-error.js';
import { ACCOUNT_SK, type LedgerPosting, postingsItems } from '../ledger/ledger.js';
import { factsDeadlineFrom } from '../loans/apply.js';
import { type LoanIndexRecord, loanIndexKey } from '../loans/store.js';
import {
  type DepositHistorySummary,
  type MessageOf,
  newMessage,
  parseEnvelope,
  reissue,
} from '../messaging/envelope.js';
import { sendToInbox } from '../messaging/inbox.js';
import { logger } from '../observability/logger.js';
import type { CentreRepository, TransactItem } from '../persistence/centre-repository.js';
import { recordDisclosure } from '../persistence/disclosures.js';
import { centreKey } from '../persistence/table.js';
import { isConditionFailure, withOptimisticRetry } from '../persistence/transactions.js';
import { interestToDateFromLedger } from '../withdrawals/rules.js';
import { onCancellation, onDebit, onLetter, onRefusal, onResult, type RefusalCode } from './saga.js';
import {
  getTransfer,
  getTransferOut,
  receivingStateOf,
  type TransferApplication,
  type TransferOutRecord,
  transferIdFor,
  transferInKey,
  transferKey,
  transferOutKey,
} from './store.js';

function reason(code: string, zh: string, en: string): Reason {
  return { code, message: { 'zh-CN': zh, en } };
}

/** Why the sending centre refused, in words the applicant understands. */
export const REFUSALS: Readonly<Record<RefusalCode, Reason>> = {
  TRANSFER_ACCOUNT_NOT_SEALED: reason(
    'TRANSFER_ACCOUNT_NOT_SEALED',
    '转出地账户尚未封存（仍有单位为您缴存），请原单位办理封存后再申请转移。',
    'The account you are leaving is not sealed (an employer still deposits there): ask that employer to seal it, then apply again.',
  ),
  TRANSFER_ACCOUNT_CLOSED: reason(
    'TRANSFER_ACCOUNT_CLOSED',
    '转出地账户已销户。',
    'The account you are leaving is closed.',
  ),
  TRANSFER_ACCOUNT_NOT_FOUND: reason(
    'TRANSFER_ACCOUNT_NOT_FOUND',
    '转出地中心未找到您名下的该账户。',
    'The sending centre holds no such account of yours.',
  ),
  TRANSFER_LOAN_OUTSTANDING: reason(
    'TRANSFER_LOAN_OUTSTANDING',
    '您有未结清的公积金贷款，须先结清后再办理转移接续。',
    'You hold an HPF loan that is not repaid: repay it first, then move the account.',
  ),
  TRANSFER_CANCELLED: reason('TRANSFER_CANCELLED', '申请已撤回。', 'The application was cancelled.'),
  TRANSFER_LETTER_EXPIRED: reason(
    'TRANSFER_LETTER_EXPIRED',
    '联系函已过答复时限，请重新申请。',
    'The transfer letter reached the sending centre after its deadline; please apply again.',
  ),
};

const RECEIVING_ACCOUNT_CLOSED = reason(
  'TRANSFER_RECEIVING_ACCOUNT_CLOSED',
  '转入地账户已不能入账（已销户），资金已退回转出地账户。',
  'The receiving account can no longer be credited (it is closed): the money went back to the account it came from.',
);

// ------------------------------------------------------------------------------------------------
// The receiving centre accepts

export interface SubmitTransferInput {
  sendingAccount: PersonalAccountRecord;
  receivingAccount: PersonalAccountRecord;
  idempotencySeed: string;
  idNumberMasked: string;
  channel: Channel;
  agentOrgId?: string;
  acceptedBy: string;
  correlationId: string;
  now?: Date;
}

export async function submitTransfer(
  repository: CentreRepository,
  input: SubmitTransferInput,
): Promise<{ replayed: boolean; transfer: TransferApplication }> {
  const now = input.now ?? new Date();
  const city = repository.city;
  const from = input.sendingAccount.city;
  const id = transferIdFor(city, input.idempotencySeed);
  const existing = await getTransfer(repository, id);
  if (existing) return { replayed: true, transfer: existing };
  const { committedWorkingDays } = catalogueItem('ACCOUNT_TRANSFER');
  const deadline = committedDeadline(now, committedWorkingDays);
  const factsDeadline = factsDeadlineFrom(now);
  const letter = newMessage(
    'transfer-letter',
    { from: city, to: from, correlationId: input.correlationId, deadline: factsDeadline, now },
    {
      payload: {
        transferId: id,
        personKey: input.sendingAccount.personKey,
        sendingAccountNo: input.sendingAccount.personalAccountNo,
      },
    },
  );
  const transfer: TransferApplication = {
    ...transferKey(city, id),
    GSI1PK: workQueueKey(city, 'awaiting_facts'),
    GSI1SK: `${deadline.deadline}#${id}`,
    applicationId: id,
    itemCode: 'ACCOUNT_TRANSFER',
    city,
    channel: input.channel,
    ...(input.agentOrgId ? { agentOrgId: input.agentOrgId } : {}),
    acceptedBy: input.acceptedBy,
    personKey: input.sendingAccount.personKey,
    idNumberMasked: input.idNumberMasked,
    fromCity: from,
    sendingAccountNo: input.sendingAccount.personalAccountNo,
    receivingAccountNo: input.receivingAccount.personalAccountNo,
    status: 'awaiting_facts',
    timeline: [
      { status: 'awaiting_facts', at: now.toISOString(), by: input.acceptedBy, note: 'letter sent' },
    ],
    acceptedAt: now.toISOString(),
    committedDeadline: deadline.deadline,
    committedDeadlineCalendar: deadline.calendar,
    committedWorkingDays,
    factsDeadline: factsDeadline.toISOString(),
    requests: { [from]: { requestId: letter.requestId, message: JSON.stringify(letter) } },
    facts: {},
    version: 0,
  };
  const recorded = await recordApplicationOnce(
    repository,
    transfer,
    () => getTransfer(repository, id),
    'TRANSFER',
  );
  if (recorded.replayed) return { replayed: true, transfer: recorded.application };
  await relayUnsent(repository, transfer, now);
  return { replayed: false, transfer };
}

/** The applicant cancels while no debit has reached the receiving centre. */
export async function cancelTransfer(
  repository: CentreRepository,
  transferId: string,
  by: string,
  now: Date,
): Promise<TransferApplication> {
  const cancelled = await withOptimisticRetry(async () => {
    const transfer = await getTransfer(repository, transferId);
    if (!transfer) throw new DomainError('NOT_FOUND');
    if (transfer.status === 'withdrawn') return transfer;
    if (receivingStateOf(transfer) !== 'letter-sent' && receivingStateOf(transfer) !== 'no-answer') {
      throw new DomainError('APPLICATION_STATUS_CONFLICT', {
        applicationStatus: transfer.status,
        requestedStatus: 'withdrawn',
      });
    }
    const message = newMessage(
      'transfer-cancellation',
      {
        from: repository.city,
        to: transfer.fromCity,
        correlationId: parseEnvelope(transfer.requests[transfer.fromCity]?.message ?? '').correlationId,
        deadline: new Date(transfer.committedDeadline),
        now,
      },
      { payload: { transferId } },
    );
    await repository.update(
      transitionItem(
        transfer,
        'withdrawn',
        by,
        now,
        { cancellationMessage: JSON.stringify(message) },
        'cancelled',
      ),
    );
    return { ...transfer, cancellationMessage: JSON.stringify(message) };
  });
  if (cancelled.cancellationMessage) {
    try {
      await sendToInbox(parseEnvelope(cancelled.cancellationMessage));
    } catch (error) {
      // Best effort: the letter's own deadline makes a late letter refused anyway, and a debit that
      // still comes is sent back (saga.onDebit).
      logger.warn('transfer cancellation not sent', { transferId, error: error as Error });
    }
  }
  return (await getTransfer(repository, transferId)) as TransferApplication;
}

// ------------------------------------------------------------------------------------------------
// The sending centre answers the letter

async function outstandingLoans(repository: CentreRepository, personKey: string): Promise<number> {
  const index = await repository.get<LoanIndexRecord & Record<string, unknown>>(loanIndexKey(personKey), {
    consistent: true,
  });
  return index && index.status !== 'released' ? 1 : 0;
}

/** The deposit history that travels: the months the loan rules count, and what they came with. */
export function historyOf(account: PersonalAccountRecord, today: string): DepositHistorySummary {
  const months = [
    ...new Set([...(account.depositMonths ?? []), ...(account.transferredInMonths ?? [])]),
  ].sort();
  const last = lastDepositMonth(months);
  return {
    openedAt: account.openedAt,
    depositMonths: months,
    backPaidMonths: [...(account.backPaidMonths ?? [])].sort(),
    ...(last ? { lastDepositMonth: last } : {}),
    monthlyDepositBaseFen: termsFor(account, monthOf(today)).monthlyDepositBaseFen,
  };
}

/**
 * The answer to a letter, kept on the in-transit record (the sweep announces it again from there)
 * and returned for the worker to send: as the letter's idempotent result it is sent again whenever
 * the same letter comes again (functions/centre-worker/messages.ts).
 */
async function keptAnswer(
  repository: CentreRepository,
  out: TransferOutRecord,
  letter: Pick<MessageOf<'transfer-letter'>, 'from' | 'requestId' | 'correlationId'>,
  now: Date,
): Promise<MessageOf<'transfer-answer'>> {
  const answer = newMessage(
    'transfer-answer',
    {
      from: repository.city,
      to: letter.from,
      correlationId: letter.correlationId,
      deadline: new Date(out.committedDeadline),
      now,
    },
    { inReplyTo: letter.requestId, payload: out.answer },
  );
  await repository.update({
    Key: transferOutKey(repository.city, out.applicationId),
    UpdateExpression: 'SET answerMessage = :message, answerSentAt = :at',
    ExpressionAttributeValues: { ':message': JSON.stringify(answer), ':at': now.toISOString() },
  });
  return answer;
}

/** A closed or reopened account whose balance does not move (nothing to post): status and version only. */
function accountStatusItem(
  account: PersonalAccountRecord,
  allowed: string,
  sets: Record<string, unknown>,
): TransactItem {
  const names: Record<string, string> = { '#version': 'version', '#status': 'status' };
  const values: Record<string, unknown> = {
    ':expected': account.version,
    ':next': account.version + 1,
    ':allowed': allowed,
  };
  const clauses = ['#version = :next'];
  Object.entries(sets).forEach(([name, value], i) => {
    names[`#x${i}`] = name;
    values[`:x${i}`] = value;
    clauses.push(`#x${i} = :x${i}`);
  });
  return {
    Update: {
      Key: { PK: account.PK, SK: ACCOUNT_SK },
      UpdateExpression: `SET ${clauses.join(', ')}`,
      ConditionExpression: '#version = :expected AND #status = :allowed',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * A transfer id names the receiving centre that made it (transferIdFor): a message about a transfer
 * is taken only from that centre, so a third centre can neither close an account with a letter nor
 * stop, complete or send back someone else's transfer.
 */
function madeBy(transferId: string, city: CityCode): boolean {
  return transferId.startsWith(`${city}-T-`);
}

/**
 * The sending centre's one decision on a transfer, repeated to every later letter: refused with the
 * reason, or interest to date settled and the whole balance debited into the in-transit record in
 * one transaction that closes the account (the closing withdrawal's interest rule, DESIGN.md §2b).
 * A letter for a transfer id its sender did not make is ignored (undefined: nothing answered).
 */
export async function answerTransferLetter(
  letter: MessageOf<'transfer-letter'>,
  repository: CentreRepository,
  now = new Date(),
): Promise<(SendingOutcome & { answer: MessageOf<'transfer-answer'> }) | undefined> {
  const { transferId, personKey, sendingAccountNo } = letter.payload;
  if (!madeBy(transferId, letter.from)) {
    logger.warn('transfer letter for a transfer its sender did not make: ignored', {
      transferId,
      from: letter.from,
    });
    return undefined;
  }
  const outcome = await withOptimisticRetry(async (): Promise<SendingOutcome> => {
    const existing = await getTransferOut(repository, transferId);
    const found = await getPersonalAccount(repository, sendingAccountNo);
    const account = found?.personKey === personKey ? found : undefined;
    const decision = onLetter(
      existing?.state,
      {
        status: account?.status ?? 'none',
        outstandingLoans: account ? await outstandingLoans(repository, personKey) : 0,
      },
      now.toISOString() > letter.deadline,
    );
    if (decision.action === 'repeat' && existing) return { out: existing, fresh: false };
    const today = toBeijingDate(now);
    const { committedWorkingDays } = catalogueItem('ACCOUNT_TRANSFER');
    const deadline = committedDeadline(now, committedWorkingDays);
    const base = {
      ...transferOutKey(repository.city, transferId),
      applicationId: transferId,
      itemCode: 'ACCOUNT_TRANSFER' as const,
      kind: 'transfer-out' as const,
      city: repository.city,
      toCity: letter.from,
      channel: 'online' as const,
      personKey,
      idNumberMasked: account?.idNumberMasked ?? '',
      ...(account ? { sendingAccountNo } : {}),
      acceptedAt: now.toISOString(),
      committedDeadline: deadline.deadline,
      committedDeadlineCalendar: deadline.calendar,
      letterRequestId: letter.requestId,
      version: 0,
    };
    const entry = (status: TransferOutRecord['status'], note: string) => [
      { status, at: now.toISOString(), by: `centre:${letter.from}`, note },
    ];
    if (decision.action === 'refuse') {
      const out: TransferOutRecord = {
        ...base,
        status: 'rejected',
        state: 'refused',
        timeline: entry('rejected', 'letter refused'),
        amountFen: 0,
        interestFen: 0,
        answer: { transferId, outcome: 'refused', reason: REFUSALS[decision.code] },
        reasons: [REFUSALS[decision.code]],
      };
      await repository.put(out, { ConditionExpression: 'attribute_not_exists(PK)' });
      return { out, fresh: true };
    }
    if (!account) throw new Error('unreachable: a debit needs the account');
    const interestFen = interestToDateFromLedger(await ledgerOf(repository, account), today).interestFen;
    const amountFen = account.balanceFen + interestFen;
    const history = historyOf(account, today);
    const out: TransferOutRecord = {
      ...base,
      GSI1PK: workQueueKey(repository.city, 'approved'),
      GSI1SK: `${deadline.deadline}#${transferId}`,
      status: 'approved',
      state: 'in-transit',
      timeline: entry('approved', 'debited, in transit'),
      amountFen,
      interestFen,
      answer: {
        transferId,
        outcome: 'debited',
        amountFen,
        interestFen,
        debitedAt: now.toISOString(),
        history,
      },
    };
    const closing = {
      status: 'closed',
      closedAt: now.toISOString(),
      transferredOut: { transferId, toCity: letter.from },
    };
    const postings: LedgerPosting[] = [
      ...(interestFen > 0
        ? [
            {
              // One per closing: an account sent back and reopened may close again (rules.ts reads
              // any INTEREST-TO-DATE entry as interest paid through the day before its value date).
              reference: `INTEREST-TO-DATE#${transferId}`,
              kind: 'interest' as const,
              amountFen: interestFen,
              valueDate: today,
              postedAt: now.toISOString(),
              details: { transferId },
            },
          ]
        : []),
      ...(amountFen > 0
        ? [
            {
              reference: `TRANSFER-OUT#${transferId}`,
              kind: 'transfer-out' as const,
              amountFen: -amountFen,
              valueDate: today,
              postedAt: now.toISOString(),
              details: { transferId, toCity: letter.from },
            },
          ]
        : []),
    ];
    await repository.transactWrite([
      ...(postings.length > 0
        ? postingsItems(repository.city, account, postings, {
            accountSet: closing,
            allowedStatuses: ['sealed'],
          })
        : [accountStatusItem(account, 'sealed', closing)]),
      { Delete: { Key: { PK: centreKey(repository.city, 'PERSON', personKey), SK: 'OPEN_ACCOUNT' } } },
      { Put: { Item: out, ConditionExpression: 'attribute_not_exists(PK)' } },
    ]);
    return { out, fresh: true };
  });
  if (outcome.fresh && outcome.out.state === 'in-transit') {
    await recordDisclosure(
      repository,
      {
        requestId: letter.requestId,
        correlationId: letter.correlationId,
        from: letter.from,
        payload: { purpose: 'account-transfer', applicationId: transferId, personKey },
      },
      ['amountFen', 'interestFen', 'depositHistory'],
      now,
    );
  }
  return { ...outcome, answer: await keptAnswer(repository, outcome.out, letter, now) };
}

interface SendingOutcome {
  out: TransferOutRecord;
  /** Decided by this letter (not a repeat). */
  fresh: boolean;
}

/** A cancellation: a letter not handled yet will be refused. */
export async function recordTransferCancellation(
  message: MessageOf<'transfer-cancellation'>,
  repository: CentreRepository,
  now = new Date(),
): Promise<'tombstone' | 'ignore'> {
  if (!madeBy(message.payload.transferId, message.from)) {
    logger.warn('transfer cancellation for a transfer its sender did not make: ignored', {
      transferId: message.payload.transferId,
      from: message.from,
    });
    return 'ignore';
  }
  const existing = await getTransferOut(repository, message.payload.transferId);
  if (onCancellation(existing?.state) === 'ignore') return 'ignore';
  const deadline = committedDeadline(now, catalogueItem('ACCOUNT_TRANSFER').committedWorkingDays);
  const out: TransferOutRecord = {
    ...transferOutKey(repository.city, message.payload.transferId),
    applicationId: message.payload.transferId,
    itemCode: 'ACCOUNT_TRANSFER',
    kind: 'transfer-out',
    status: 'withdrawn',
    state: 'cancelled',
    timeline: [
      { status: 'withdrawn', at: now.toISOString(), by: `centre:${message.from}`, note: 'cancelled' },
    ],
    city: repository.city,
    toCity: message.from,
    channel: 'online',
    personKey: '',
    idNumberMasked: '',
    acceptedAt: now.toISOString(),
    committedDeadline: deadline.deadline,
    committedDeadlineCalendar: deadline.calendar,
    amountFen: 0,
    interestFen: 0,
    answer: {
      transferId: message.payload.transferId,
      outcome: 'refused',
      reason: REFUSALS.TRANSFER_CANCELLED,
    },
    version: 0,
  };
  try {
    await repository.put(out, { ConditionExpression: 'attribute_not_exists(PK)' });
    return 'tombstone';
  } catch (error) {
    // The letter was handled meanwhile: its answer stands.
    if ((error as Error).name === 'ConditionalCheckFailedException') return 'ignore';
    throw error;
  }
}

// ------------------------------------------------------------------------------------------------
// The receiving centre: the answer

/**
 * A refusal ends a saga still waiting; a confirmed debit is credited once, or sent back once
 * (saga.onDebit), and the decision is sent to the sending centre, again for every later copy.
 */
export async function recordTransferAnswer(
  message: MessageOf<'transfer-answer'>,
  repository: CentreRepository,
  now = new Date(),
): Promise<'refused' | 'credit' | 'return' | 'repeat' | 'ignore'> {
  const payload = message.payload;
  const result = await withOptimisticRetry(async () => {
    const transfer = await getTransfer(repository, payload.transferId);
    if (!transfer || transfer.fromCity !== message.from) {
      logger.warn('transfer answer for no transfer of ours', {
        transferId: payload.transferId,
        from: message.from,
      });
      return 'ignore' as const;
    }
    const state = receivingStateOf(transfer);
    if (payload.outcome === 'refused') {
      if (onRefusal(state) === 'ignore') return 'ignore' as const;
      await repository.update(
        withAnswered(
          transitionItem(
            transfer,
            'rejected',
            `centre:${message.from}`,
            now,
            { reasons: [payload.reason] },
            'refused by the sending centre',
          ),
          transfer.fromCity,
          now,
        ),
      );
      return 'refused' as const;
    }
    const account = await getPersonalAccount(repository, transfer.receivingAccountNo);
    const open =
      account !== undefined && account.status !== 'closed' && account.personKey === transfer.personKey;
    const action = onDebit(state, open);
    if (action === 'repeat') return 'repeat' as const;
    const moved = {
      amountFen: payload.amountFen,
      interestFen: payload.interestFen,
      history: payload.history,
    };
    const inRecord = {
      Put: {
        Item: {
          ...transferInKey(repository.city, payload.transferId),
          transferId: payload.transferId,
          fromCity: message.from,
          outcome: action === 'credit' ? 'credited' : 'returned',
          amountFen: payload.amountFen,
          interestFen: payload.interestFen,
          debitedAt: payload.debitedAt,
          decidedAt: now.toISOString(),
          receivingAccountNo: transfer.receivingAccountNo,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
    if (action === 'credit' && account) {
      const transferredInMonths = [
        ...new Set([...(account.transferredInMonths ?? []), ...payload.history.depositMonths]),
      ].sort();
      const accountSet = { transferredInMonths };
      const today = toBeijingDate(now);
      await repository.transactWrite([
        {
          Update: withAnswered(
            transitionItem(
              transfer,
              'paid',
              'system',
              now,
              { ...moved, creditResult: 'credited' },
              'credited',
            ),
            transfer.fromCity,
            now,
          ),
        },
        ...(payload.amountFen > 0
          ? postingsItems(
              repository.city,
              account,
              [
                {
                  reference: `TRANSFER-IN#${payload.transferId}`,
                  kind: 'transfer-in',
                  amountFen: payload.amountFen,
                  valueDate: today,
                  postedAt: now.toISOString(),
                  details: { transferId: payload.transferId, fromCity: message.from },
                },
              ],
              { accountSet, allowedStatuses: ['normal', 'sealed'] },
            )
          : [accountStatusItem(account, account.status, accountSet)]),
        inRecord,
      ]);
      return 'credit' as const;
    }
    // Sent back: the application ends refused while it was waiting; a cancelled one, or one with
    // staff, keeps its status and records that the money went back.
    const update =
      transfer.status === 'awaiting_facts'
        ? transitionItem(
            transfer,
            'rejected',
            'system',
            now,
            { ...moved, creditResult: 'returned', reasons: [RECEIVING_ACCOUNT_CLOSED] },
            'returned',
          )
        : applicationUpdate(transfer, {
            by: 'system',
            at: now,
            note: 'late debit returned',
            sets: { ...moved, creditResult: 'returned' },
          });
    await repository.transactWrite([{ Update: withAnswered(update, transfer.fromCity, now) }, inRecord]);
    return 'return' as const;
  });
  if (result === 'credit' || result === 'return' || result === 'repeat') {
    await sendResult(repository, payload.transferId, message, now);
  }
  return result;
}

/** The application's request to the sending centre is answered in the same update. */
function withAnswered<
  T extends {
    UpdateExpression?: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
  },
>(update: T, fromCity: CityCode, now: Date): T {
  const [set, ...rest] = (update.UpdateExpression ?? '').split(' REMOVE ');
  return {
    ...update,
    UpdateExpression: [`${set}, requests.#from.answeredAt = :answeredAt`, ...rest].join(' REMOVE '),
    ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#from': fromCity },
    ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':answeredAt': now.toISOString() },
  };
}

async function sendResult(
  repository: CentreRepository,
  transferId: string,
  answer: MessageOf<'transfer-answer'>,
  now: Date,
): Promise<void> {
  const transfer = await getTransfer(repository, transferId);
  if (!transfer?.creditResult) return;
  const message = newMessage(
    'transfer-result',
    {
      from: repository.city,
      to: answer.from,
      correlationId: answer.correlationId,
      deadline: new Date(transfer.committedDeadline),
      now,
    },
    {
      inReplyTo: answer.requestId,
      payload: { transferId, outcome: transfer.creditResult, amountFen: transfer.amountFen ?? 0 },
    },
  );
  await sendToInbox(message);
}

// ------------------------------------------------------------------------------------------------
// The sending centre: the receiving centre's decision

export async function applyTransferResult(
  message: MessageOf<'transfer-result'>,
  repository: CentreRepository,
  now = new Date(),
): Promise<'complete' | 'credit-back' | 'ignore'> {
  return withOptimisticRetry(async () => {
    const out = await getTransferOut(repository, message.payload.transferId);
    if (out && out.toCity !== message.from) {
      // Only the receiving centre decides on the money it was sent.
      logger.warn('transfer result from a centre the money was not sent to: ignored', {
        transferId: message.payload.transferId,
        from: message.from,
        toCity: out.toCity,
      });
      return 'ignore';
    }
    const action = onResult(out?.state, message.payload.outcome);
    if (action === 'ignore' || !out) return 'ignore';
    const outUpdate = (state: 'completed' | 'returned', status: 'paid' | 'rejected'): TransactItem => ({
      Update: {
        Key: transferOutKey(repository.city, out.applicationId),
        // Out of the in-transit queue, into the centre's finished ones (the sweep reads only the former).
        UpdateExpression:
          'SET #state = :state, #status = :status, GSI1PK = :queue, resultAt = :at, #version = :next, timeline = list_append(timeline, :entry)',
        ConditionExpression: '#state = :inTransit AND #version = :version',
        ExpressionAttributeNames: { '#state': 'state', '#status': 'status', '#version': 'version' },
        ExpressionAttributeValues: {
          ':state': state,
          ':status': status,
          ':queue': workQueueKey(repository.city, status),
          ':entry': [{ status, at: now.toISOString(), by: `centre:${message.from}`, note: state }],
          ':at': now.toISOString(),
          ':inTransit': 'in-transit',
          ':version': out.version,
          ':next': out.version + 1,
        },
      },
    });
    if (action === 'complete') {
      await repository.transactWrite([outUpdate('completed', 'paid')]);
      return 'complete';
    }
    // Credited back to the account it left, which is sealed again (the person may transfer anew).
    const account = out.sendingAccountNo
      ? await getPersonalAccount(repository, out.sendingAccountNo)
      : undefined;
    if (!account) throw new Error(`transfer ${out.applicationId}: the account it left is missing`);
    // The person may have opened a new account here meanwhile (a new employer): that one stays the
    // person's open account and the old one is reopened sealed beside it. Otherwise the old one is
    // linked again, on condition, so an account opened in between makes this attempt retry.
    const openNow = await openAccountOfPerson(repository, account.personKey);
    const reopen = { status: 'sealed', returnedTransfer: out.applicationId };
    await repository.transactWrite([
      outUpdate('returned', 'rejected'),
      ...(out.amountFen > 0
        ? postingsItems(
            repository.city,
            account,
            [
              {
                reference: `TRANSFER-RETURN#${out.applicationId}`,
                kind: 'transfer-return',
                amountFen: out.amountFen,
                valueDate: toBeijingDate(now),
                postedAt: now.toISOString(),
                details: { transferId: out.applicationId, fromCity: message.from },
              },
            ],
            { accountSet: reopen, allowedStatuses: ['closed'] },
          )
        : [accountStatusItem(account, 'closed', reopen)]),
      ...(openNow === undefined
        ? [
            {
              Put: {
                Item: {
                  PK: centreKey(repository.city, 'PERSON', account.personKey),
                  SK: 'OPEN_ACCOUNT',
                  personalAccountNo: account.personalAccountNo,
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ]
        : []),
    ]);
    return 'credit-back';
  });
}

// ------------------------------------------------------------------------------------------------
// The sending centre's sweep

export interface TransferSweepReport {
  inTransit: number;
  resent: number;
  toReview: number;
}

const RECEIVER_SILENT = reason(
  'TRANSFER_RECEIVING_CENTRE_SILENT',
  '转入地中心未在承诺时限内确认入账，已转人工处理。',
  'The receiving centre did not confirm the credit within the committed time; passed to staff.',
);

/** Puts back the send time and message a transfer had before a claim whose send failed. */
function restoreExpression(out: { answerSentAt?: string; answerMessage?: string }): string {
  const sets = [
    ...(out.answerSentAt === undefined ? [] : ['answerSentAt = :was']),
    ...(out.answerMessage === undefined ? [] : ['answerMessage = :previous']),
  ];
  const removes = [
    ...(out.answerSentAt === undefined ? ['answerSentAt'] : []),
    ...(out.answerMessage === undefined ? ['answerMessage'] : []),
  ];
  return [
    sets.length > 0 ? `SET ${sets.join(', ')}` : '',
    removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * Money in transit whose receiving centre has not answered for `resendAfterMs` (SWEEP_RESEND_AFTER_MS,
 * like the loan sweep) is announced again
 * (a new message id, so the receiver's idempotency does not swallow it; it answers its decision
 * again); past the committed deadline the record joins the centre's review queue for staff.
 */
export async function sweepTransfersOut(
  repository: CentreRepository,
  options: { now?: Date; resendAfterMs?: number } = {},
): Promise<TransferSweepReport> {
  const now = options.now ?? new Date();
  const resendBefore = new Date(
    now.getTime() - (options.resendAfterMs ?? sweepResendAfterMs(2 * 60_000)),
  ).toISOString();
  const report: TransferSweepReport = { inTransit: 0, resent: 0, toReview: 0 };
  const listed = [
    ...(await workQueue(repository.city, 'approved')),
    ...(await workQueue(repository.city, 'review')),
  ].filter((item) => (item as { kind?: string }).kind === 'transfer-out');
  for (const item of listed) {
    const out = await getTransferOut(repository, item.applicationId);
    if (out?.state !== 'in-transit') continue;
    report.inTransit += 1;
    if (out.status === 'approved' && now.toISOString() > out.committedDeadline) {
      try {
        await repository.update({
          Key: transferOutKey(repository.city, out.applicationId),
          UpdateExpression:
            'SET #status = :review, GSI1PK = :queue, reasons = :reasons, #version = :next, timeline = list_append(timeline, :entry)',
          ConditionExpression: '#state = :inTransit AND #version = :version',
          ExpressionAttributeNames: { '#status': 'status', '#state': 'state', '#version': 'version' },
          ExpressionAttributeValues: {
            ':review': 'review',
            ':queue': workQueueKey(repository.city, 'review'),
            ':reasons': [RECEIVER_SILENT],
            ':entry': [
              { status: 'review', at: now.toISOString(), by: 'sweep', note: 'committed time passed' },
            ],
            ':inTransit': 'in-transit',
            ':version': out.version,
            ':next': out.version + 1,
          },
        });
        report.toReview += 1;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    if (out.answerSentAt && out.answerSentAt >= resendBefore) continue;
    const previous = out.answerMessage ? parseEnvelope(out.answerMessage) : undefined;
    const again = previous
      ? reissue(previous, new Date(out.committedDeadline), now)
      : newMessage(
          'transfer-answer',
          {
            from: repository.city,
            to: out.toCity,
            correlationId: out.applicationId,
            deadline: new Date(out.committedDeadline),
            now,
          },
          { inReplyTo: out.letterRequestId ?? crypto.randomUUID(), payload: out.answer },
        );
    // Claimed before it is sent, over the send time read: of two sweeps at once, one announces it.
    const key = transferOutKey(repository.city, out.applicationId);
    const was = out.answerSentAt === undefined ? {} : { ':was': out.answerSentAt };
    try {
      await repository.update({
        Key: key,
        UpdateExpression: 'SET answerMessage = :message, answerSentAt = :at',
        ConditionExpression: `#state = :inTransit AND ${
          out.answerSentAt === undefined ? 'attribute_not_exists(answerSentAt)' : 'answerSentAt = :was'
        }`,
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':message': JSON.stringify(again),
          ':at': now.toISOString(),
          ':inTransit': 'in-transit',
          ...was,
        },
      });
    } catch (error) {
      if (isConditionFailure(error)) continue;
      throw error;
    }
    try {
      await sendToInbox(again);
      report.resent += 1;
    } catch (error) {
      logger.warn('transfer answer not re-sent; next sweep', {
        transferId: out.applicationId,
        error: error as Error,
      });
      // the claim given back: the next sweep announces it at once
      await repository
        .update({
          Key: key,
          UpdateExpression: restoreExpression(out),
          ConditionExpression: 'answerSentAt = :at',
          ExpressionAttributeValues: {
            ':at': now.toISOString(),
            ...(out.answerMessage === undefined ? {} : { ':previous': out.answerMessage }),
            ...was,
          },
        })
        .catch((released: unknown) => {
          if (!isConditionFailure(released)) logger.warn('claim not released', { error: released as Error });
        });
    }
  }
  if (report.resent > 0 || report.toReview > 0) logger.info('transfers in transit swept', { ...report });
  return report;
}

// ------------------------------------------------------------------------------------------------
// Staff of the receiving centre

const NOTHING_TO_APPROVE = reason(
  'TRANSFER_CREDITED_ONLY_ON_DEBIT',
  '转移接续只在转出地确认划转后入账，工作人员不能直接批准；可再次发函或驳回。',
  'A transfer is credited only on the sending centre’s confirmed debit; staff cannot approve it, only ask again or refuse.',
);

/**
 * Staff with a transfer the sending centre did not answer may ask again (the kernel re-issues the
 * letter) or refuse it (four eyes). They cannot approve: no rule computes a credit without the
 * sending centre's debit, so the kernel finds no limit to approve within.
 */
export const transferItem: ApplicationItem<TransferApplication> = {
  load: getTransfer,
  async evaluate(_repository, transfer) {
    return {
      outcome: 'reject',
      reasons: [NOTHING_TO_APPROVE],
      record: { outcome: 'reject' },
      carryOut: (decision, at) => [
        {
          Update: transitionItem(transfer, 'rejected', decision.confirmedBy ?? decision.by, at, {
            reasons: decision.reasons,
          }),
        },
      ],
    };
  },
};
