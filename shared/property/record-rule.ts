/**
 * What the property register's answer on an online-signing record (网签备案) allows, pure and the
 * same for every decision that rests on one (a purchase, renovation or property-fee withdrawal, a
 * loan's price): no record → staff review (they check the paper contract); the applicant not among
 * its buyers (told nothing more of the record) → refused; a cancelled record (撤销备案) → refused.
 * Each decision words the reasons for its own purpose.
 */
import type { LocalisedMessage } from '../errors/domain-error.js';
import type { IsoDate } from '../rules/national.js';

/** The property city's answer (shared/messaging/envelope.ts `PropertyFacts`). */
export type RegisterRecordFacts =
  | { found: false }
  | { found: true; applicantIsBuyer: false }
  | {
      found: true;
      status: 'filed' | 'cancelled';
      contractDate: IsoDate;
      registeredPriceFen: number;
      applicantIsBuyer: true;
      buyerCount: number;
    };

/** A filed or cancelled record the applicant is a buyer on. */
export type BuyersRecord = Extract<RegisterRecordFacts, { applicantIsBuyer: true }>;

export type RecordRefusalCode = 'PROPERTY_RECORD_NOT_FOUND' | 'NOT_A_BUYER' | 'PROPERTY_RECORD_CANCELLED';

export interface RecordRefusal {
  outcome: 'review' | 'reject';
  reason: { code: RecordRefusalCode; message: LocalisedMessage };
}

/** Why the record does not support the decision, in the purpose's words; undefined when it does. */
export function recordRefusal(
  facts: RegisterRecordFacts,
  wording: Record<RecordRefusalCode, LocalisedMessage>,
): RecordRefusal | undefined {
  const refusal = (outcome: RecordRefusal['outcome'], code: RecordRefusalCode): RecordRefusal => ({
    outcome,
    reason: { code, message: wording[code] },
  });
  if (!facts.found) return refusal('review', 'PROPERTY_RECORD_NOT_FOUND');
  if (!facts.applicantIsBuyer) return refusal('reject', 'NOT_A_BUYER');
  if (facts.status === 'cancelled') return refusal('reject', 'PROPERTY_RECORD_CANCELLED');
  return undefined;
}
