/**
 * Loan applications, loans and the regional loan index.
 *
 * | record                                   | PK                                 | SK                        |
 * |------------------------------------------|------------------------------------|---------------------------|
 * | loan application (its own outbox)        | `C#<lending>#LOANAPP#<id>`         | `APPLICATION`             |
 * | late or unknown replies, kept for audit  | `C#<lending>#LOANAPP#<id>`         | `REPLY#<requestId>`       |
 * | disclosure of facts to another centre    | `C#<owner>#DISCLOSURE#<YYYY-MM>`   | `<at>#<requestId>`        |
 * | loan                                     | `C#<lending>#LOAN#<loanId>`        | `LOAN`                    |
 * | a person's loans in a centre             | `C#<city>#PERSON#<personKey>`      | `LOAN#<loanId>`           |
 * | a centre's running loans                 | `C#<lending>#ACTIVE_LOANS`         | `<loanId>`                |
 * | regional loan index (one HPF loan a household) | `R#LOANIDX#<personKey>`      | `INDEX`                   |
 * | regional lending statistics              | `R#STATS#REGIONAL_LOANS`           | `<lending>#<deposit>`     |
 * | joint-enforcement records about a person  | `R#VIOLATION#<personKey>`          | `ENTRY`                   |
 *   (one attribute `record#<id>` per confirmed record of any centre: shared/enforcement/records.ts)
 *
 * A married applicant's loan holds two index places, the applicant's and the spouse's (`role:
 * 'spouse'`), reserved, made active and released together.
 *
 * Applications carry GSI1 = (`C#<lending>#APPS#<status>`, `<committedDeadline>#<id>`): see
 * applications.ts.
 */

import type { ApplicationBase, RequestKey } from '../applications/records.js';
import type { CityCode } from '../config/cities.js';
import type { DepositFacts, PropertyFacts, SpouseLoanFacts } from '../messaging/envelope.js';
import type { TransactItem } from '../persistence/centre-repository.js';
import { centreKey, regionalKey } from '../persistence/table.js';
import type { DeclaredHomeOrder, MaritalStatus } from './decision-rule.js';
import type { Instalment, RepaymentMethod } from './schedule.js';

export interface LoanRequest {
  propertyCity: CityCode;
  /** 网签备案号 in the property city's register: its registered price is the price the decision uses. */
  onlineSigningNo?: string;
  /** Declared by the applicant, kept for display only: the decision never uses it. */
  housePriceFen?: number;
  requestedFen: number;
  termMonths: number;
  method: RepaymentMethod;
  declaredHomeOrder: DeclaredHomeOrder;
  /** Declared by the applicant; the income counted is the fetched deposit base. */
  monthlyIncomeFen?: number;
  otherMonthlyDebtFen: number;
}

/** The household as the application records it: the spouse by person key and masked ID only. */
export interface Household {
  maritalStatus: MaritalStatus;
  spouse?: {
    personKey: string;
    idNumberMasked: string;
    /** 共同申请人: the spouse's deposit facts count too. */
    coApplies: boolean;
    /** When the spouse confirmed with their own sign-in: nothing of them is asked or held before. */
    consentedAt?: string;
    /** The spouse's token subject when they confirmed. */
    consentedBy?: string;
  };
}

/** The spouse once they confirmed with their own sign-in: only then do they count or hold a place. */
export function confirmedSpouse(household: Household | undefined) {
  return household?.spouse?.consentedAt ? household.spouse : undefined;
}

export interface LoanApplicationRecord extends ApplicationBase {
  itemCode: 'OFFSITE_LOAN';
  /** True when a depositing centre is not the lending centre (异地贷款). */
  offsite: boolean;
  birthDate: string;
  request: LoanRequest;
  household: Household;
  /**
   * The applicant's and a co-applicant's deposit facts; a spouse's HPF loans (`spouse:<city>`);
   * the named online-signing record as the property city's register answered (`property:<city>`).
   */
  facts: Partial<Record<RequestKey, DepositFacts | SpouseLoanFacts | PropertyFacts>>;
  decision?: Record<string, unknown>;
  ruleVersion?: string;
  loanId?: string;
}

export function applicationKey(city: CityCode, applicationId: string) {
  return { PK: centreKey(city, 'LOANAPP', applicationId), SK: 'APPLICATION' as const };
}

export function loanIndexKey(personKey: string) {
  return { PK: regionalKey('LOANIDX', personKey), SK: 'INDEX' };
}

export function violationKey(personKey: string) {
  return { PK: regionalKey('VIOLATION', personKey), SK: 'ENTRY' };
}

export function loanKey(city: CityCode, loanId: string) {
  return { PK: centreKey(city, 'LOAN', loanId), SK: 'LOAN' };
}

export function personLoanKey(city: CityCode, personKey: string, loanId: string) {
  return { PK: centreKey(city, 'PERSON', personKey), SK: `LOAN#${loanId}` };
}

export const REGIONAL_LOAN_STATS_PK = regionalKey('STATS', 'REGIONAL_LOANS');

/** The loan of an application has a derived id, so a retried disbursement cannot make two loans. */
export function loanIdOf(applicationId: string): string {
  return `${applicationId}-L`;
}

/**
 * The regional loan index entry: whether the person holds (or is about to hold) an HPF loan in
 * any region centre, and how many they have repaid (first or second home is derived from it).
 * `role: 'spouse'`: the place is held for the spouse's loan (the household's one HPF loan); it
 * counts no repaid loan of its own, so a household's loans are counted once.
 */
export interface LoanIndexRecord {
  PK: string;
  SK: 'INDEX';
  status: 'reserved' | 'active' | 'released';
  role?: 'borrower' | 'spouse';
  lendingCity?: CityCode;
  applicationId?: string;
  loanId?: string;
  repaidLoans: number;
  updatedAt: string;
}

export interface LoanRecord {
  PK: string;
  SK: 'LOAN';
  GSI1PK: string;
  GSI1SK: string;
  loanId: string;
  applicationId: string;
  personKey: string;
  /** The borrower's spouse, whose index place the loan holds too. */
  spousePersonKey?: string;
  city: CityCode;
  /** The centre whose deposit account qualified the borrower (for regional statistics). */
  depositCity?: CityCode;
  offsite: boolean;
  principalFen: number;
  outstandingPrincipalFen: number;
  annualRateHundredthsBp: number;
  rateRuleVersion: string;
  homeOrder: 'first' | 'second';
  /** The term scheduled now (paid + remaining instalments); a shorter-term prepayment lowers it. */
  termMonths: number;
  /** The term of the contract: it alone sets the ≤5-year / >5-year rate band, for the whole loan. */
  contractTermMonths: number;
  method: RepaymentMethod;
  contractDate: string;
  firstDueMonth: string;
  status: 'active' | 'repaid';
  /** The instalments still to pay and those paid (their dueMonth ≤ lastPaidMonth). */
  schedule: Instalment[];
  paidInstalments: number;
  lastPaidMonth?: string;
  /** The Beijing date the loan was fully repaid, by its last instalment or a payoff. */
  repaidOn?: string;
  disbursedAt: string;
  applicationToDisbursementMs: number;
  version: number;
}

export function activeLoanLinkKey(city: CityCode, loanId: string) {
  return { PK: centreKey(city, 'ACTIVE_LOANS'), SK: loanId };
}

/**
 * What the full repayment of a loan changes besides the loan itself, in the same transaction:
 * it leaves the centre's running loans, the person's loan link says repaid, and the regional
 * loan index is released, counting one more repaid loan (a later loan is then a second home), and
 * so is the spouse's place.
 */
export function loanRepaidItems(
  loan: Pick<LoanRecord, 'city' | 'loanId' | 'personKey' | 'spousePersonKey'>,
  at: string,
): TransactItem[] {
  return [
    { Delete: { Key: activeLoanLinkKey(loan.city, loan.loanId) } },
    {
      Put: {
        Item: {
          ...personLoanKey(loan.city, loan.personKey, loan.loanId),
          loanId: loan.loanId,
          status: 'repaid',
        },
      },
    },
    {
      Update: {
        Key: loanIndexKey(loan.personKey),
        UpdateExpression: 'SET #status = :released, updatedAt = :at ADD repaidLoans :one',
        ConditionExpression: 'loanId = :loan',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':released': 'released', ':at': at, ':one': 1, ':loan': loan.loanId },
      },
    },
    ...(loan.spousePersonKey
      ? [
          {
            Update: {
              Key: loanIndexKey(loan.spousePersonKey),
              UpdateExpression: 'SET #status = :released, updatedAt = :at',
              ConditionExpression: 'loanId = :loan',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':released': 'released', ':at': at, ':loan': loan.loanId },
            },
          },
        ]
      : []),
  ];
}
