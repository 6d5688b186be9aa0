/**
 * Withdrawals (提取): retirement (离退休), settling abroad (出境定居), home purchase (购房),
 * repaying an HPF loan held in another region city (提取偿还异地贷款), and from 2026-09-20 (the revised
 * Regulations, DESIGN.md §2a) renting (租房), renovating one's own home (装修) and its property fees (物业费).
 * An application is decided under the national rule version and the centre's parameter version in
 * force on the day it was accepted, and the decision names both.
 *
 * The API function records the application (its id derives from the Idempotency-Key, so a
 * repeated request answers the first application) with the message that starts it, and relays
 * it: `withdrawal-submitted` to the account centre's own inbox, for a loan elsewhere a
 * `loan-repayments-request` to the loan centre, for a purchase a `property-facts-request` to the
 * property city (the register's record, shared/property/register.ts: never the applicant's own
 * word on price or contract date). The account centre's worker decides and pays:
 * the payout is a ledger debit in one transaction with the payout instruction and the decision,
 * guarded by the account's version (no two withdrawals race on one balance) and never below zero.
 *
 * Records (account centre A): `C#A#WDR#<id>` / `APPLICATION`; the payout instruction
 * `C#A#PAYOUT#<id>` / `PAYOUT`; what a repay-a-loan withdrawal covered of each repayment
 * `R#REPAYCOVER#<loanCity>#<loanId>#<repaymentId>` / `COVER` (regional: all centres). Regional: the purchase
 * tally per property `R#PROPERTY#<property city>#<网签备案号>` / `WITHDRAWN` (all buyers, all centres), whose
 * price is the register's. Rent: the person's tally per period `C#A#RENT#<personKey>#<YYYY-MM | YYYY>` /
 * `WITHDRAWN`; the home check reads the account city's register by buyer (shared/property/register.ts).
 * Regional, per home: the last renovation payout `R#RENOVATION#<property city>#<网签备案号>` / `LAST` and
 * the property fees paid per fee year `R#PROPFEE#<property city>#<网签备案号>` / `YEAR#<year>`. Each tally
 * or guard is written in the payout transaction, conditioned on what the decision saw.
 */

import {
  type ApplicationItem,
  actorOf,
  type Decision,
  decideAutomatically,
  type Evaluation,
  transitionItem,
} from '../applications/kernel.js';
import { recordApplicationOnce, relayUnsent } from '../applications/outbox.js';
import { type ApplicationBase, type Channel, type Reason, workQueueKey } from '../applications/records.js';
import { committedDeadline, toBeijingDate } from '../calendar/working-days.js';
import { catalogueItem } from '../catalogue/catalogue.js';
import type { CityCode } from '../config/cities.js';
import { ledgerOf } from '../deposits/interest.js';
import { getPersonalAccount, type PersonalAccountRecord } from '../deposits/store.js';
import { restrictionsOfPerson } from '../enforcement/records.js';
import { barReason, barsInForce, closingWithdrawalReferral, type Restriction } from '../enforcement/rules.js';
import { DomainError } from '../errors/domain-error.js';
import type { StoredBankAccount } from '../identity/bank-account.js';
import { ACCOUNT_SK, personalAccountPartition, postingsItems } from '../ledger/ledger.js';
import { factsDeadlineFrom } from '../loans/apply.js';
import { type LoanIndexRecord, loanIndexKey } from '../loans/store.js';
import {
  type LoanRepayments,
  type MessageOf,
  newMessage,
  type PropertyFacts,
} from '../messaging/envelope.js';
import { logger } from '../observability/logger.js';
import type { CentreRepository, TransactItem } from '../persistence/centre-repository.js';
import { recordDisclosure } from '../persistence/disclosures.js';
import { centreKey, regionalKey } from '../persistence/table.js';
import { filedRecordsOfBuyer, normaliseOnlineSigningNo, propertyTallyKey } from '../property/register.js';
import { type ConsumptionWithdrawalParameters, parametersInForce } from '../rules/centre-parameters.js';
import { nationalRulesInForce, type WithdrawalGround } from '../rules/national.js';
import type { ServiceItemCode } from '../services/declaration.js';
import {
  type HomeInDepositCity,
  ownHomeDocumentRefusal,
  ownHomeRecordRefusal,
  propertyFeeWithdrawalLimit,
  propertyFeeYearRefusal,
  renovationPeriodRefusal,
  renovationWithdrawalLimit,
  rentHomeRefusal,
  rentPeriodOf,
  rentWithdrawalLimit,
} from './consumption.js';
import {
  acceptsRetirementRecord,
  RetirementInputError,
  type RetirementRecordCategory,
  reachedRetirement,
  type WomanCategory,
} from './retirement.js';
import {
  interestToDateFromLedger,
  offsiteRepayWithdrawalLimit,
  purchaseRecordRefusal,
  purchaseWithdrawalLimit,
} from './rules.js';

export type WithdrawalType = WithdrawalGround;

export const ITEM_OF: Record<WithdrawalType, ServiceItemCode> = {
  retirement: 'RETIRE_WITHDRAW',
  emigration: 'EMIGRATE_WITHDRAW',
  purchase: 'PURCHASE_WITHDRAW',
  'offsite-repay': 'OFFSITE_REPAY_WITHDRAW',
  rent: 'RENT_WITHDRAW',
  renovation: 'RENOVATION_WITHDRAW',
  'property-fee': 'PROPERTY_FEE_WITHDRAW',
};

export type WithdrawalRequest =
  | {
      type: 'retirement';
      /** 退休证明: 特殊工种 and 病退 records are accepted at their own ages. */
      retirementRecord?: { retirementDate: string; documentNo: string; category?: RetirementRecordCategory };
    }
  | { type: 'emigration'; settlement: { country: string; documentNo: string; issuedOn: string } }
  | {
      type: 'purchase';
      amountFen: number;
      /** Which record of which city's register: its price, date and buyers are the register's. */
      property: { onlineSigningNo: string; city: CityCode };
    }
  | { type: 'offsite-repay'; loanCity: CityCode }
  | {
      type: 'rent';
      amountFen: number;
      /** A married applicant's spouse: the household must own no home in the deposit city either. */
      spouse?: { personKey: string; idNumberMasked: string };
    }
  | {
      type: 'renovation';
      amountFen: number;
      /** The home renovated: the register's record must name the applicant as a buyer. */
      property: { onlineSigningNo: string; city: CityCode };
      /** 装修发票, declared with its evidence (the centre's file reference of the uploaded copy). */
      invoice: { invoiceNo: string; amountFen: number; issuedOn: string; evidenceRef: string };
    }
  | {
      type: 'property-fee';
      amountFen: number;
      property: { onlineSigningNo: string; city: CityCode };
      /** 物业费缴费通知单 for one fee year, declared with its evidence. */
      feeNotice: { noticeNo: string; amountFen: number; feeYear: number; evidenceRef: string };
    };

export interface WithdrawalRecord extends ApplicationBase {
  kind: 'withdrawal';
  type: WithdrawalType;
  personalAccountNo: string;
  birthDate: string;
  sex: 'male' | 'female';
  request: WithdrawalRequest;
  /** The national rule version in force on the day of acceptance, under which it is decided. */
  ruleVersion: string;
  /** The account centre's parameter version in force on the day of acceptance. */
  parameterVersion: string;
  /** The payee's own account: masked, hashed and encrypted (shared/identity/bank-account.ts), never clear. */
  bankAccount: StoredBankAccount;
  /** The answer under the answering city: the loan centre's (repay-a-loan) or the property city's (purchase). */
  facts: Partial<Record<CityCode, LoanRepayments | PropertyFacts>>;
  decision?: Record<string, unknown>;
  payoutFen?: number;
  /** The bank returned the payout and it was credited back (shared/withdrawals/payout-return.ts). */
  payoutReturned?: { amountFen: number; returnedAt: string; bankReference: string };
}

/** The rule versions a withdrawal accepted on `acceptedAt` is decided under: those of that Beijing day. */
function rulesOfAcceptance(city: CityCode, acceptedAt: Date | string) {
  const day = toBeijingDate(acceptedAt);
  return { national: nationalRulesInForce(day), parameters: parametersInForce(city, day) };
}

function consumptionParameters(withdrawal: WithdrawalRecord): ConsumptionWithdrawalParameters {
  const parameters = rulesOfAcceptance(withdrawal.city, withdrawal.acceptedAt).parameters;
  if (!parameters.consumptionWithdrawals) {
    throw new Error(`${parameters.ruleVersion} states no caps for a ${withdrawal.type} withdrawal`);
  }
  return parameters.consumptionWithdrawals;
}

/** The person's rent withdrawals at this centre in one period (`rentPeriodOf`). */
export function rentTallyKey(city: CityCode, personKey: string, period: string) {
  return { PK: centreKey(city, 'RENT', personKey, period), SK: 'WITHDRAWN' };
}

/** The last renovation payout for one home, region-wide (all buyers, all centres). */
export function renovationKey(city: CityCode, onlineSigningNo: string) {
  return { PK: regionalKey('RENOVATION', city, normaliseOnlineSigningNo(onlineSigningNo)), SK: 'LAST' };
}

/** The property-fee payout for one home and fee year, region-wide. */
export function propertyFeeKey(city: CityCode, onlineSigningNo: string, feeYear: number) {
  return {
    PK: regionalKey('PROPFEE', city, normaliseOnlineSigningNo(onlineSigningNo)),
    SK: `YEAR#${feeYear}`,
  };
}

export function withdrawalKey(city: CityCode, applicationId: string) {
  return { PK: centreKey(city, 'WDR', applicationId), SK: 'APPLICATION' };
}

/** What all buyers withdrew for one property, region-wide; numbers are unique within a property city only. */
export function propertyKey(city: CityCode, onlineSigningNo: string) {
  return propertyTallyKey(city, onlineSigningNo);
}

/** The same caller, route and Idempotency-Key always name the same withdrawal: a retry finds it. */
export function withdrawalIdFor(city: CityCode, idempotencyScope: string): string {
  return `${city}-W-${idempotencyScope.slice(0, 16).toUpperCase()}`;
}

export async function getWithdrawal(
  repository: CentreRepository,
  id: string,
): Promise<WithdrawalRecord | undefined> {
  return repository.get<WithdrawalRecord & Record<string, unknown>>(withdrawalKey(repository.city, id), {
    consistent: true,
  });
}

export interface SubmitInput {
  account: PersonalAccountRecord;
  /** The request's idempotency scope (shared/http/idempotency.ts). */
  idempotencyScope: string;
  birthDate: string;
  sex: 'male' | 'female';
  idNumberMasked: string;
  request: WithdrawalRequest;
  bankAccount: StoredBankAccount;
  channel: Channel;
  agentOrgId?: string;
  acceptedBy: string;
  correlationId: string;
  now?: Date;
}

/** The grounds of the 2026 revision, whose caps are centre parameters. */
const CONSUMPTION_GROUNDS: ReadonlySet<WithdrawalType> = new Set(['rent', 'renovation', 'property-fee']);

const PROPERTY_PURPOSE = {
  purchase: 'purchase-withdrawal',
  renovation: 'renovation-withdrawal',
  'property-fee': 'property-fee-withdrawal',
} as const;

/** Records the withdrawal and relays its first message; a repeat of the same key returns the first. */
export async function submitWithdrawal(
  repository: CentreRepository,
  input: SubmitInput,
): Promise<{ replayed: boolean; withdrawal: WithdrawalRecord }> {
  const now = input.now ?? new Date();
  const city = repository.city;
  const id = withdrawalIdFor(city, input.idempotencyScope);
  const existing = await getWithdrawal(repository, id);
  if (existing) return { replayed: true, withdrawal: existing };
  const itemCode = ITEM_OF[input.request.type];
  const rules = rulesOfAcceptance(city, now);
  if (
    !rules.national.withdrawalGrounds.includes(input.request.type) ||
    (CONSUMPTION_GROUNDS.has(input.request.type) && !rules.parameters.consumptionWithdrawals)
  ) {
    throw new DomainError('WITHDRAWAL_GROUND_NOT_IN_FORCE', {
      type: input.request.type,
      ruleVersion: rules.national.ruleVersion,
    });
  }
  const { committedWorkingDays } = catalogueItem(itemCode);
  const deadline = committedDeadline(now, committedWorkingDays);
  const factsDeadline = factsDeadlineFrom(now);
  const header = { from: city, correlationId: input.correlationId, deadline: factsDeadline, now };
  const request = input.request;
  const message =
    request.type === 'offsite-repay'
      ? newMessage(
          'loan-repayments-request',
          { ...header, to: request.loanCity },
          {
            payload: {
              applicationId: id,
              personKey: input.account.personKey,
              purpose: 'offsite-repay-withdrawal',
            },
          },
        )
      : request.type === 'purchase' || request.type === 'renovation' || request.type === 'property-fee'
        ? // The own city's inbox when the property is in the account's city: one path either way.
          newMessage(
            'property-facts-request',
            { ...header, to: request.property.city },
            {
              payload: {
                applicationId: id,
                personKey: input.account.personKey,
                onlineSigningNo: normaliseOnlineSigningNo(request.property.onlineSigningNo),
                purpose: PROPERTY_PURPOSE[request.type],
              },
            },
          )
        : newMessage('withdrawal-submitted', { ...header, to: city }, { payload: { applicationId: id } });
  const withdrawal: WithdrawalRecord = {
    ...withdrawalKey(city, id),
    GSI1PK: workQueueKey(city, 'awaiting_facts'),
    GSI1SK: `${deadline.deadline}#${id}`,
    applicationId: id,
    kind: 'withdrawal',
    type: input.request.type,
    itemCode,
    city,
    channel: input.channel,
    ...(input.agentOrgId ? { agentOrgId: input.agentOrgId } : {}),
    acceptedBy: input.acceptedBy,
    personKey: input.account.personKey,
    idNumberMasked: input.idNumberMasked,
    personalAccountNo: input.account.personalAccountNo,
    birthDate: input.birthDate,
    sex: input.sex,
    request: input.request,
    ruleVersion: rules.national.ruleVersion,
    parameterVersion: rules.parameters.ruleVersion,
    bankAccount: input.bankAccount,
    status: 'awaiting_facts',
    timeline: [{ status: 'awaiting_facts', at: now.toISOString(), by: input.acceptedBy }],
    acceptedAt: now.toISOString(),
    committedDeadline: deadline.deadline,
    committedDeadlineCalendar: deadline.calendar,
    committedWorkingDays,
    factsDeadline: factsDeadline.toISOString(),
    requests: { [message.to]: { requestId: message.requestId, message: JSON.stringify(message) } },
    facts: {},
    version: 0,
  };
  const recorded = await recordApplicationOnce(
    repository,
    withdrawal,
    () => getWithdrawal(repository, id),
    'WITHDRAWAL',
  );
  if (recorded.replayed) return { replayed: true, withdrawal: recorded.application };
  await relayUnsent(repository, withdrawal, now);
  return { replayed: false, withdrawal };
}

// ------------------------------------------------------------------------------------------------
// The loan centre's side of a repay-a-loan withdrawal

/** What this centre knows of the person's HPF loan and its repayments (only what the limit needs). */
export async function loanRepaymentsOf(
  repository: CentreRepository,
  personKey: string,
): Promise<LoanRepayments> {
  const links = await repository.queryAll(centreKey(repository.city, 'PERSON', personKey), {
    sortKeyCondition: 'begins_with(SK, :loan)',
    ExpressionAttributeValues: { ':loan': 'LOAN#' },
    ConsistentRead: true,
  });
  const link = links.find((l) => l.status === 'active') ?? links.at(-1);
  if (!link) return { held: false, repayments: [] };
  const loanId = String(link.loanId);
  const records = await repository.queryAll(centreKey(repository.city, 'LOAN', loanId), {
    sortKeyCondition: 'begins_with(SK, :payment)',
    ExpressionAttributeValues: { ':payment': 'REPAYMENT#' },
    ConsistentRead: true,
  });
  const prepayments = await repository.queryAll(centreKey(repository.city, 'LOAN', loanId), {
    sortKeyCondition: 'begins_with(SK, :payment)',
    ExpressionAttributeValues: { ':payment': 'PREPAYMENT#' },
    ConsistentRead: true,
  });
  const repayments = [
    ...records.map((r) => ({
      id: r.SK,
      date: toBeijingDate(String(r.postedAt)),
      amountFen: Number(r.paymentFen),
    })),
    ...prepayments.map((p) => ({
      id: p.SK,
      date: toBeijingDate(String(p.paidOn ?? p.at)),
      amountFen: Number(p.totalFen),
    })),
  ].filter((r) => Number.isSafeInteger(r.amountFen) && r.amountFen > 0);
  return { held: true, loanId, status: link.status === 'active' ? 'active' : 'repaid', repayments };
}

export async function answerLoanRepaymentsRequest(
  request: MessageOf<'loan-repayments-request'>,
  repository: CentreRepository,
  now = new Date(),
): Promise<MessageOf<'loan-repayments-reply'>> {
  const loan = await loanRepaymentsOf(repository, request.payload.personKey);
  await recordDisclosure(repository, request, ['held', 'loanId', 'status', 'repayments'], now);
  return newMessage(
    'loan-repayments-reply',
    {
      from: repository.city,
      to: request.from,
      correlationId: request.correlationId,
      deadline: new Date(request.deadline),
      now,
    },
    { inReplyTo: request.requestId, payload: { applicationId: request.payload.applicationId, loan } },
  );
}

// ------------------------------------------------------------------------------------------------
// The account centre decides and pays

function reason(code: string, zh: string, en: string): Reason {
  return { code, message: { 'zh-CN': zh, en } };
}

type Outcome =
  | {
      status: 'paid';
      amountFen: number;
      closes: boolean;
      interestFen: number;
      details: Record<string, unknown>;
      reasons: Reason[];
    }
  | { status: 'rejected' | 'review'; reasons: Reason[] };

const LOAN_OUTSTANDING = reason(
  'LOAN_OUTSTANDING',
  '您在区域内有未结清的公积金贷款，须先结清（可办理提前还清贷款）后再办理销户提取。',
  'You hold an HPF loan in the region that is not repaid: repay it first (early payoff), then withdraw and close the account.',
);

/** Staff deciding while the property city has not answered: nothing to pay on until it does. */
const PROPERTY_FACTS_NOT_RECEIVED: Outcome = {
  status: 'review',
  reasons: [
    reason(
      'PROPERTY_FACTS_NOT_RECEIVED',
      '房屋所在城市尚未反馈网签备案信息。',
      'The property city has not answered with the online-signing record yet.',
    ),
  ],
};

/** A rule's refusal (to staff review, or refused) as the withdrawal's outcome. */
function refusedBy(refusal: { outcome: 'review' | 'reject'; reason: Reason }): Outcome {
  return { status: refusal.outcome === 'review' ? 'review' : 'rejected', reasons: [refusal.reason] };
}

/** Interest to date from the day after the account's last settlement in its ledger (DESIGN.md §2b). */
async function interestSinceSettlement(
  repository: CentreRepository,
  account: PersonalAccountRecord,
  today: string,
) {
  return interestToDateFromLedger(await ledgerOf(repository, account), today).interestFen;
}

async function judge(
  repository: CentreRepository,
  withdrawal: WithdrawalRecord,
  account: PersonalAccountRecord,
  today: string,
  womanRetirementCategory: WomanCategory | undefined,
): Promise<Outcome> {
  if (account.status === 'closed') {
    return {
      status: 'rejected',
      reasons: [reason('ACCOUNT_CLOSED', '该公积金账户已销户。', 'The account is closed.')],
    };
  }
  const request = withdrawal.request;
  if (request.type === 'retirement' || request.type === 'emigration') {
    const index = await repository.get<LoanIndexRecord & Record<string, unknown>>(
      loanIndexKey(withdrawal.personKey),
      {
        consistent: true,
      },
    );
    if (index && index.status !== 'released') return { status: 'rejected', reasons: [LOAN_OUTSTANDING] };
    if (request.type === 'retirement') {
      const person = {
        birthDate: withdrawal.birthDate,
        sex: withdrawal.sex,
        ...(womanRetirementCategory ? { womanCategory: womanRetirementCategory } : {}),
      };
      try {
        const eligible = request.retirementRecord
          ? acceptsRetirementRecord(
              {
                ...person,
                retirementDate: request.retirementRecord.retirementDate,
                ...(request.retirementRecord.category ? { category: request.retirementRecord.category } : {}),
              },
              today,
            )
          : { accepted: reachedRetirement(person, today) };
        if (!eligible.accepted) {
          const refusal =
            'message' in eligible && eligible.message
              ? [{ code: String(eligible.code), message: eligible.message }]
              : [];
          return {
            status: 'rejected',
            reasons: refusal.length
              ? refusal
              : [
                  reason(
                    'RETIREMENT_AGE_NOT_REACHED',
                    '您尚未达到法定退休年龄，也未提供退休证明。',
                    'You have not reached the statutory retirement age and presented no retirement record.',
                  ),
                ],
          };
        }
      } catch (error) {
        if (!(error instanceof RetirementInputError)) throw error;
        // Which women's age applies is an employment fact the account does not record yet.
        return {
          status: 'review',
          reasons: [
            reason(
              'RETIREMENT_CATEGORY_UNKNOWN',
              '需人工核实您适用的法定退休年龄类别。',
              'Staff must confirm which statutory retirement age applies to you.',
            ),
          ],
        };
      }
    }
    const interestFen = await interestSinceSettlement(repository, account, today);
    return {
      status: 'paid',
      amountFen: account.balanceFen + interestFen,
      closes: true,
      interestFen,
      details: {},
      reasons: [],
    };
  }
  if (request.type === 'purchase') {
    const { city, onlineSigningNo } = request.property;
    const facts = withdrawal.facts[city] as PropertyFacts | undefined;
    // Staff deciding after the property city stayed silent: nothing to pay on until it answers.
    if (!facts) return PROPERTY_FACTS_NOT_RECEIVED;
    const applicationDate = toBeijingDate(withdrawal.acceptedAt);
    const refusal = purchaseRecordRefusal({
      facts,
      applicationDate,
      periodDays: parametersInForce(withdrawal.city, applicationDate).purchaseWithdrawalPeriodDays,
    });
    if (refusal) return refusedBy(refusal);
    if (!facts.found || !facts.applicantIsBuyer) {
      throw new Error('unreachable: an unknown record goes to review, a non-buyer is refused');
    }
    const tally = await repository.get(propertyKey(city, onlineSigningNo), { consistent: true });
    const alreadyWithdrawnForPropertyFen = Number(tally?.withdrawnFen ?? 0);
    const limit = purchaseWithdrawalLimit({
      registeredPriceFen: facts.registeredPriceFen,
      alreadyWithdrawnForPropertyFen,
      balanceFen: account.balanceFen,
    });
    const amountFen = Math.min(request.amountFen, limit.maxFen);
    if (amountFen <= 0) return { status: 'rejected', reasons: limit.reasons };
    return {
      status: 'paid',
      amountFen,
      closes: false,
      interestFen: 0,
      details: {
        property: {
          city,
          onlineSigningNo: normaliseOnlineSigningNo(onlineSigningNo),
          contractDate: facts.contractDate,
          registeredPriceFen: facts.registeredPriceFen,
          buyerCount: facts.buyerCount,
          alreadyWithdrawnForPropertyFen,
        },
      },
      reasons: amountFen < request.amountFen ? limit.reasons : [],
    };
  }
  if (request.type === 'rent') return judgeRent(repository, withdrawal, request, account);
  if (request.type === 'renovation' || request.type === 'property-fee') {
    return judgeOwnHome(repository, withdrawal, request, account);
  }
  const loan = withdrawal.facts[request.loanCity] as LoanRepayments | undefined;
  if (!loan?.held) {
    return {
      status: 'rejected',
      reasons: [
        reason(
          'NO_LOAN_IN_THAT_CITY',
          '贷款所在城市的公积金中心未查到您的公积金贷款。',
          'The loan centre holds no HPF loan of yours.',
        ),
      ],
    };
  }
  // What withdrawals from any centre of the region have covered of each repayment already.
  const loanId = loan.loanId ?? 'LOAN';
  const covered = await Promise.all(
    loan.repayments.map(async (repayment) => {
      const cover = await repository.get(repaymentCoverKey(request.loanCity, loanId, repayment.id), {
        consistent: true,
      });
      return { repaymentId: repayment.id, amountFen: Number(cover?.coveredFen ?? 0) };
    }),
  );
  const limit = offsiteRepayWithdrawalLimit({
    repayments: loan.repayments,
    covered: covered.filter((c) => c.amountFen > 0),
    applicationDate: toBeijingDate(withdrawal.acceptedAt),
    balanceFen: account.balanceFen,
  });
  if (limit.maxFen <= 0) return { status: 'rejected', reasons: limit.reasons };
  return {
    status: 'paid',
    amountFen: limit.maxFen,
    closes: false,
    interestFen: 0,
    details: {
      loanId,
      counted: limit.counted,
      coveredSeen: Object.fromEntries(covered.map((c) => [c.repaymentId, c.amountFen])),
      windowFrom: limit.windowFrom,
      windowTo: limit.windowTo,
    },
    reasons: limit.reasons,
  };
}

/** Paid at most what was asked and what the limit allows; refused with the limit's reasons when that is nothing. */
function paidWithin(
  requestedFen: number,
  limit: { maxFen: number; reasons: Reason[] },
  details: Record<string, unknown>,
): Outcome {
  const amountFen = Math.min(requestedFen, limit.maxFen);
  if (amountFen <= 0) return { status: 'rejected', reasons: limit.reasons };
  return {
    status: 'paid',
    amountFen,
    closes: false,
    interestFen: 0,
    details,
    reasons: amountFen < requestedFen ? limit.reasons : [],
  };
}

/** 租房提取: the household owns no home in the deposit city; the period's cap, the balance. */
async function judgeRent(
  repository: CentreRepository,
  withdrawal: WithdrawalRecord,
  request: Extract<WithdrawalRequest, { type: 'rent' }>,
  account: PersonalAccountRecord,
): Promise<Outcome> {
  const parameters = consumptionParameters(withdrawal);
  // The deposit city's own register, by buyer: the applicant's records and the declared spouse's.
  const owners = [
    { owner: 'applicant' as const, personKey: withdrawal.personKey },
    ...(request.spouse ? [{ owner: 'spouse' as const, personKey: request.spouse.personKey }] : []),
  ];
  const homes: HomeInDepositCity[] = (
    await Promise.all(
      owners.map(async ({ owner, personKey }) =>
        (
          await filedRecordsOfBuyer(repository, personKey)
        ).map((onlineSigningNo) => ({ owner, onlineSigningNo })),
      ),
    )
  ).flat();
  const owns = rentHomeRefusal(homes);
  if (owns) return refusedBy(owns);
  const period = rentPeriodOf(toBeijingDate(withdrawal.acceptedAt), parameters.rentCapPeriod);
  const tally = await repository.get(rentTallyKey(withdrawal.city, withdrawal.personKey, period), {
    consistent: true,
  });
  const alreadyWithdrawnInPeriodFen = Number(tally?.withdrawnFen ?? 0);
  const limit = rentWithdrawalLimit({
    capFen: parameters.rentCapFen,
    capPeriod: parameters.rentCapPeriod,
    period,
    alreadyWithdrawnInPeriodFen,
    balanceFen: account.balanceFen,
  });
  return paidWithin(request.amountFen, limit, {
    rent: {
      period,
      capPeriod: parameters.rentCapPeriod,
      capFen: parameters.rentCapFen,
      alreadyWithdrawnInPeriodFen,
    },
  });
}

/** 装修提取 and 物业费提取: the applicant's own home on the register, the caps, once per period per home. */
async function judgeOwnHome(
  repository: CentreRepository,
  withdrawal: WithdrawalRecord,
  request: Extract<WithdrawalRequest, { type: 'renovation' | 'property-fee' }>,
  account: PersonalAccountRecord,
): Promise<Outcome> {
  const { city, onlineSigningNo } = request.property;
  const facts = withdrawal.facts[city] as PropertyFacts | undefined;
  if (!facts) return PROPERTY_FACTS_NOT_RECEIVED;
  const refusal = ownHomeRecordRefusal(facts);
  if (refusal) return refusedBy(refusal);
  if (!facts.found || !facts.applicantIsBuyer) throw new Error('unreachable: refused above');
  const property = { city, onlineSigningNo: normaliseOnlineSigningNo(onlineSigningNo) };
  const applicationDate = toBeijingDate(withdrawal.acceptedAt);
  const undated = ownHomeDocumentRefusal(
    request.type === 'renovation'
      ? { type: 'renovation', contractDate: facts.contractDate, invoiceIssuedOn: request.invoice.issuedOn }
      : {
          type: 'property-fee',
          contractDate: facts.contractDate,
          feeYear: request.feeNotice.feeYear,
          applicationDate,
        },
  );
  if (undated) return { status: 'rejected', reasons: [undated] };
  if (request.type === 'renovation') {
    const parameters = consumptionParameters(withdrawal);
    const last = await repository.get(renovationKey(city, onlineSigningNo), { consistent: true });
    const periodYears = parameters.renovationPeriodYears;
    const lastPaidOn = last?.lastPaidOn === undefined ? undefined : String(last.lastPaidOn);
    const once = renovationPeriodRefusal({
      lastPaidOn,
      applicationDate,
      periodYears,
    });
    if (once) return { status: 'rejected', reasons: [once] };
    const limit = renovationWithdrawalLimit({
      invoiceAmountFen: request.invoice.amountFen,
      shareBasisPoints: parameters.renovationInvoiceShareBasisPoints,
      capFen: parameters.renovationCapFen,
      balanceFen: account.balanceFen,
    });
    return paidWithin(request.amountFen, limit, {
      property,
      renovation: {
        invoiceNo: request.invoice.invoiceNo,
        invoiceAmountFen: request.invoice.amountFen,
        invoiceShareFen: limit.invoiceShareFen,
        shareBasisPoints: parameters.renovationInvoiceShareBasisPoints,
        capFen: parameters.renovationCapFen,
        periodYears,
        // The payout is guarded on this: no other payout for the home since.
        ...(lastPaidOn ? { lastPaidOnSeen: lastPaidOn } : {}),
      },
    });
  }
  const { feeYear, amountFen: feeNoticeAmountFen } = request.feeNotice;
  const paidForYear = await repository.get(propertyFeeKey(city, onlineSigningNo, feeYear), {
    consistent: true,
  });
  // A returned payout leaves the record without `paidOn`: the year is open again.
  const once = propertyFeeYearRefusal({ alreadyPaidForYear: paidForYear?.paidOn !== undefined, feeYear });
  if (once) return { status: 'rejected', reasons: [once] };
  const limit = propertyFeeWithdrawalLimit({
    feeNoticeAmountFen,
    capFen: consumptionParameters(withdrawal).propertyFeeYearCapFen,
    balanceFen: account.balanceFen,
  });
  return paidWithin(request.amountFen, limit, {
    property,
    propertyFee: { feeYear, noticeNo: request.feeNotice.noticeNo, feeNoticeAmountFen },
  });
}

/** The once-per-period guards and the period tally of the 2026 grounds, for the payout transaction. */
function consumptionGuardItems(
  withdrawal: WithdrawalRecord,
  details: Record<string, unknown>,
  amountFen: number,
  today: string,
): TransactItem[] {
  const request = withdrawal.request;
  const paidBy = `${withdrawal.city}/${withdrawal.applicationId}`;
  if (request.type === 'rent') {
    const rent = details.rent as { period: string; alreadyWithdrawnInPeriodFen: number };
    return [
      {
        Update: {
          Key: rentTallyKey(withdrawal.city, withdrawal.personKey, rent.period),
          UpdateExpression: 'ADD withdrawnFen :amount, withdrawals :withdrawal',
          // Only from the total this decision saw: two rent withdrawals cannot both take the rest.
          ConditionExpression:
            rent.alreadyWithdrawnInPeriodFen === 0
              ? 'attribute_not_exists(withdrawnFen) OR withdrawnFen = :seen'
              : 'withdrawnFen = :seen',
          ExpressionAttributeValues: {
            ':amount': amountFen,
            ':withdrawal': new Set([paidBy]),
            ':seen': rent.alreadyWithdrawnInPeriodFen,
          },
        },
      },
    ];
  }
  if (request.type === 'renovation') {
    const { periodYears, lastPaidOnSeen } = details.renovation as {
      periodYears: number;
      lastPaidOnSeen?: string;
    };
    return [
      {
        Put: {
          Item: {
            ...renovationKey(request.property.city, request.property.onlineSigningNo),
            lastPaidOn: today,
            withdrawal: paidBy,
            amountFen,
            periodYears,
            // Restored if the bank returns this payout.
            ...(lastPaidOnSeen ? { previousLastPaidOn: lastPaidOnSeen } : {}),
          },
          // Another buyer's renovation withdrawal for the home, at any centre, paid meanwhile: refused.
          ...(lastPaidOnSeen
            ? {
                ConditionExpression: 'lastPaidOn = :seen',
                ExpressionAttributeValues: { ':seen': lastPaidOnSeen },
              }
            : { ConditionExpression: 'attribute_not_exists(lastPaidOn)' }),
        },
      },
    ];
  }
  if (request.type === 'property-fee') {
    return [
      {
        Put: {
          Item: {
            ...propertyFeeKey(
              request.property.city,
              request.property.onlineSigningNo,
              request.feeNotice.feeYear,
            ),
            paidOn: today,
            withdrawal: paidBy,
            amountFen,
          },
          ConditionExpression: 'attribute_not_exists(paidOn)',
        },
      },
    ];
  }
  return [];
}

/** How much of one repayment of a loan withdrawals have covered, region-wide (DESIGN.md §2b). */
export function repaymentCoverKey(loanCity: CityCode, loanId: string, repaymentId: string) {
  return { PK: regionalKey('REPAYCOVER', loanCity, loanId, repaymentId), SK: 'COVER' };
}

/** How a repay-a-loan payout of `amountFen` covers the repayments it counted: oldest first, each up to what was uncovered. */
export function coverAllocation(
  counted: readonly { id: string; uncoveredFen: number }[],
  amountFen: number,
): { repaymentId: string; coverFen: number }[] {
  const covers: { repaymentId: string; coverFen: number }[] = [];
  let left = amountFen;
  for (const repayment of counted) {
    if (left <= 0) break;
    const cover = Math.min(left, repayment.uncoveredFen);
    if (cover <= 0) continue;
    left -= cover;
    covers.push({ repaymentId: repayment.id, coverFen: cover });
  }
  return covers;
}

/**
 * The covers of a repay-a-loan withdrawal, up to the amount paid out: each added to the
 * repayment's regional total only from the total this decision saw, so two centres can never
 * cover the same repayment twice.
 */
function coverItems(
  withdrawal: WithdrawalRecord,
  details: {
    loanId: string;
    counted: { id: string; uncoveredFen: number }[];
    coveredSeen: Record<string, number>;
  },
  amountFen: number,
): TransactItem[] {
  const request = withdrawal.request as { loanCity: CityCode };
  return coverAllocation(details.counted, amountFen).map(({ repaymentId, coverFen }) => {
    const seen = details.coveredSeen[repaymentId] ?? 0;
    return {
      Update: {
        Key: repaymentCoverKey(request.loanCity, details.loanId, repaymentId),
        UpdateExpression: 'ADD coveredFen :cover, withdrawals :withdrawal',
        // A cover released by a returned payout stays at 0: "none yet" is either.
        ConditionExpression:
          seen === 0 ? 'attribute_not_exists(coveredFen) OR coveredFen = :seen' : 'coveredFen = :seen',
        ExpressionAttributeValues: {
          ':cover': coverFen,
          ':withdrawal': new Set([`${withdrawal.city}/${withdrawal.applicationId}`]),
          ':seen': seen,
        },
      },
    };
  });
}

const OUTCOME_OF: Record<Outcome['status'], Evaluation['outcome']> = {
  paid: 'approve',
  rejected: 'reject',
  review: 'review',
};

export function payoutKey(city: CityCode, withdrawalId: string) {
  return { PK: centreKey(city, 'PAYOUT', withdrawalId), SK: 'PAYOUT' };
}

/** The instruction to the bank: to the applicant's own account, once per withdrawal. */
function payoutInstructionItem(
  repository: CentreRepository,
  withdrawal: WithdrawalRecord,
  amountFen: number,
  at: Date,
): TransactItem {
  return {
    Put: {
      Item: {
        ...payoutKey(repository.city, withdrawal.applicationId),
        withdrawalId: withdrawal.applicationId,
        amountFen,
        bankAccount: withdrawal.bankAccount,
        status: 'instructed',
        instructedAt: at.toISOString(),
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/** Closes an account with a zero balance and no interest due: no posting, guarded by its version. */
function closeEmptyAccountItem(
  repository: CentreRepository,
  account: PersonalAccountRecord,
  sets: Record<string, unknown>,
): TransactItem {
  const names: Record<string, string> = { '#version': 'version', '#status': 'status' };
  const values: Record<string, unknown> = {
    ':expected': account.version,
    ':next': account.version + 1,
    ':normal': 'normal',
    ':sealed': 'sealed',
  };
  const clauses = ['#version = :next'];
  Object.entries(sets).forEach(([name, value], i) => {
    names[`#x${i}`] = name;
    values[`:x${i}`] = value;
    clauses.push(`#x${i} = :x${i}`);
  });
  return {
    Update: {
      Key: { PK: personalAccountPartition(repository.city, account.personalAccountNo), SK: ACCOUNT_SK },
      UpdateExpression: `SET ${clauses.join(', ')}`,
      ConditionExpression: '#version = :expected AND #status IN (:normal, :sealed)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** The payout of an approved withdrawal: the ledger, the instruction, the caps it counts against. */
function payoutItems(
  repository: CentreRepository,
  withdrawal: WithdrawalRecord,
  account: PersonalAccountRecord,
  outcome: Extract<Outcome, { status: 'paid' }>,
  amountFen: number,
  at: Date,
  accountSet: Record<string, unknown>,
): TransactItem[] {
  const today = toBeijingDate(at);
  const withdrawalId = withdrawal.applicationId;
  // Closing: the interest to date and the closing debit are one transaction on the account, guarded
  // once per closing (INTEREST-TO-DATE#<withdrawalId>); the account's status and version let one
  // closing through at a time, and a second one (after a transfer sent back reopened the account)
  // pays interest only from that earlier closing's value date (rules.ts, interestToDateFromLedger).
  const postings = [
    ...(outcome.closes && outcome.interestFen > 0
      ? [
          {
            reference: `INTEREST-TO-DATE#${withdrawalId}`,
            kind: 'interest' as const,
            amountFen: outcome.interestFen,
            valueDate: today,
            postedAt: at.toISOString(),
            details: { withdrawalId },
          },
        ]
      : []),
    {
      reference: `WITHDRAWAL#${withdrawalId}`,
      kind: 'withdrawal' as const,
      amountFen: -amountFen,
      valueDate: today,
      postedAt: at.toISOString(),
      details: { withdrawalId, itemCode: withdrawal.itemCode },
    },
  ];
  const closing = outcome.closes ? { status: 'closed', closedAt: at.toISOString() } : {};
  // An empty account closes with nothing to post or pay out.
  const emptyClosing = outcome.closes && amountFen === 0;
  const items: TransactItem[] = emptyClosing
    ? [closeEmptyAccountItem(repository, account, { ...accountSet, ...closing })]
    : [
        ...postingsItems(repository.city, account, postings, {
          accountSet: { ...accountSet, ...closing },
          allowedStatuses: ['normal', 'sealed'],
        }),
        payoutInstructionItem(repository, withdrawal, amountFen, at),
      ];
  if (outcome.closes) {
    items.push({
      Delete: { Key: { PK: centreKey(repository.city, 'PERSON', withdrawal.personKey), SK: 'OPEN_ACCOUNT' } },
    });
  }
  if (withdrawal.request.type === 'purchase') {
    const property = outcome.details.property as {
      city: CityCode;
      onlineSigningNo: string;
      registeredPriceFen: number;
      alreadyWithdrawnForPropertyFen: number;
    };
    items.push({
      Update: {
        Key: propertyKey(property.city, property.onlineSigningNo),
        // The price is the register's (kept for the audit of the tally); never a declaration.
        // `paidBy`: which centre paid which withdrawal on it, for the risk check on a later cancellation.
        UpdateExpression: 'SET registeredPriceFen = :price ADD withdrawnFen :amount, paidBy :paid',
        // Buyers withdraw in other centres too: only from the total this decision saw.
        ConditionExpression: 'attribute_not_exists(withdrawnFen) OR withdrawnFen = :seen',
        ExpressionAttributeValues: {
          ':price': property.registeredPriceFen,
          ':amount': amountFen,
          ':seen': property.alreadyWithdrawnForPropertyFen,
          ':paid': new Set([`${repository.city}#${withdrawal.applicationId}`]),
        },
      },
    });
  }
  if (withdrawal.request.type === 'offsite-repay') {
    items.push(...coverItems(withdrawal, outcome.details as Parameters<typeof coverItems>[1], amountFen));
  }
  items.push(...consumptionGuardItems(withdrawal, outcome.details, amountFen, today));
  return items;
}

/**
 * Joint enforcement, region-wide (shared/enforcement/): a bar on withdrawals refuses, naming the
 * record and its centre; a closing withdrawal (retirement, settling abroad) the rule would pay is
 * referred to staff instead (`referred`: what staff confirm is still the rule's payout).
 */
function withBars(
  outcome: Outcome,
  type: WithdrawalType,
  bars: readonly Restriction[],
): { outcome: Outcome; referred: boolean } {
  if (bars.length === 0) return { outcome, referred: false };
  if (type === 'retirement' || type === 'emigration') {
    const referral = closingWithdrawalReferral(bars);
    if (outcome.status === 'paid') return { outcome: { ...outcome, reasons: [referral] }, referred: true };
    if (outcome.status === 'review')
      return { outcome: { ...outcome, reasons: [...outcome.reasons, referral] }, referred: false };
    return { outcome, referred: false };
  }
  const refusal = barReason('WITHDRAWAL_BARRED', { 'zh-CN': '您', en: 'You have' }, 'withdrawals', bars);
  return { outcome: { status: 'rejected', reasons: [refusal] }, referred: false };
}

/**
 * The withdrawal rule on the account as it is now, and the writes that pay it: the payout is a
 * ledger debit in one transaction with the payout instruction and the decision, guarded by the
 * account's version (no two withdrawals race on one balance) and never below zero.
 */
export const withdrawalItem: ApplicationItem<WithdrawalRecord> = {
  load: getWithdrawal,
  // The register had no record: once staff have entered it from the paper contract, ask again.
  mayAskAgain: (withdrawal, city) =>
    withdrawal.request.type === 'purchase' &&
    withdrawal.request.property.city === city &&
    (withdrawal.facts[city] as PropertyFacts | undefined)?.found === false,
  async evaluate(repository, withdrawal, now, staffFacts) {
    const account = await getPersonalAccount(repository, withdrawal.personalAccountNo);
    if (!account) throw new Error(`withdrawal ${withdrawal.applicationId}: account not found`);
    const recorded = staffFacts?.womanRetirementCategory as WomanCategory | undefined;
    // Staff record the employment fact only where it is missing: a woman's retirement withdrawal
    // whose account does not say which statutory age applies. A recorded fact is not overridden.
    if (
      recorded &&
      (withdrawal.request.type !== 'retirement' ||
        withdrawal.sex !== 'female' ||
        account.womanRetirementCategory)
    ) {
      throw new DomainError('STAFF_FACT_NOT_ALLOWED', { field: 'womanRetirementCategory' });
    }
    const today = toBeijingDate(now);
    const [judged, restrictions] = await Promise.all([
      judge(repository, withdrawal, account, today, recorded ?? account.womanRetirementCategory),
      restrictionsOfPerson(repository, withdrawal.personKey),
    ]);
    const { outcome, referred } = withBars(
      judged,
      withdrawal.request.type,
      barsInForce(restrictions, 'withdrawals', today),
    );
    const versions = { ruleVersion: withdrawal.ruleVersion, parameterVersion: withdrawal.parameterVersion };
    const carryOut = (decision: Decision, at: Date): TransactItem[] => {
      const record = {
        ...outcome,
        ...versions,
        decidedAt: at.toISOString(),
        decidedBy: decision.by,
        ...(decision.confirmedBy ? { confirmedBy: decision.confirmedBy } : {}),
      };
      // The automatic decision carries the rule's own reasons: once, not twice.
      const reasons = decision.by === 'system' ? outcome.reasons : [...outcome.reasons, ...decision.reasons];
      if (decision.outcome === 'reject' || outcome.status !== 'paid') {
        return [
          {
            Update: transitionItem(withdrawal, 'rejected', actorOf(decision), at, {
              decision: { ...record, status: 'rejected' },
              reasons: decision.by === 'system' ? outcome.reasons : decision.reasons,
            }),
          },
        ];
      }
      const amountFen = outcome.closes
        ? outcome.amountFen
        : Math.min(decision.amountFen ?? outcome.amountFen, outcome.amountFen);
      return [
        ...payoutItems(
          repository,
          withdrawal,
          account,
          outcome,
          amountFen,
          at,
          recorded ? { womanRetirementCategory: recorded } : {},
        ),
        {
          Update: transitionItem(withdrawal, 'paid', actorOf(decision), at, {
            decision: record,
            reasons,
            payoutFen: amountFen,
          }),
        },
      ];
    };
    return {
      outcome: referred ? 'review' : OUTCOME_OF[outcome.status],
      ...(outcome.status === 'paid' ? { amountFen: outcome.amountFen, ceilingFen: outcome.amountFen } : {}),
      ...(outcome.status === 'paid' && outcome.closes ? { fixedAmount: true } : {}),
      reasons: outcome.reasons,
      ruleVersion: withdrawal.ruleVersion,
      record: { ...outcome, ...versions },
      carryOut,
    };
  },
};

/** Decides a withdrawal whose answers are all in, and pays it; once, whatever the retries. */
export async function decideWithdrawal(
  repository: CentreRepository,
  applicationId: string,
  now = new Date(),
): Promise<void> {
  const status = await decideAutomatically(withdrawalItem, repository, applicationId, now);
  if (status === 'approved') logger.info('withdrawal paid', { applicationId });
}
