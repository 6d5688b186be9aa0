/**
 * Which house price a loan decision may use (pure): the property city's registered price
 * (网签备案价) of the online-signing record the application names, never a declared one, for a
 * record in force whose buyers include the applicant. A declared price alone, or a record the
 * register does not hold, goes to staff (they check the contract; no ceiling is computable, so
 * they can only refuse); a record the applicant is not a buyer on, or a cancelled one, is refused.
 */
import { type RegisterRecordFacts, recordRefusal } from '../property/record-rule.js';
import type { LoanMessage } from './decision-rule.js';

export interface LoanPropertyReason {
  code:
    | 'PROPERTY_RECORD_NOT_NAMED'
    | 'PROPERTY_RECORD_NOT_FOUND'
    | 'NOT_A_BUYER'
    | 'PROPERTY_RECORD_CANCELLED';
  message: LoanMessage;
}

export type LoanPropertyPrice =
  | { outcome: 'price'; registeredPriceFen: number }
  | { outcome: 'review' | 'rejected'; reason: LoanPropertyReason };

/** `facts`: the register's answer about the applicant; undefined when the application names no record. */
export function loanPropertyPrice(facts: RegisterRecordFacts | undefined): LoanPropertyPrice {
  if (!facts) {
    return {
      outcome: 'review',
      reason: {
        code: 'PROPERTY_RECORD_NOT_NAMED',
        message: {
          'zh-CN':
            '贷款额度按房屋所在城市网签备案登记的房屋价格计算，申请未填写网签备案号（onlineSigningNo），已转人工审核；请填写所购房屋的网签备案号重新申请。',
          en: "The loan limit is computed on the price registered in the property city's online-signing register, and the application names no record (onlineSigningNo): passed to staff review; please apply again naming the home's online-signing record.",
        },
      },
    };
  }
  const refused = recordRefusal(facts, {
    PROPERTY_RECORD_NOT_FOUND: {
      'zh-CN': '房屋所在城市的网签备案登记中未查到该网签备案号，需工作人员核对购房合同。',
      en: 'The property city’s register has no record of this online-signing number: staff will check the purchase contract.',
    },
    NOT_A_BUYER: {
      'zh-CN': '您不是该网签备案记录上的购房人，不能据此申请公积金贷款。',
      en: 'You are not one of the buyers on this online-signing record: it does not support a loan application.',
    },
    PROPERTY_RECORD_CANCELLED: {
      'zh-CN': '该网签备案已撤销，不能据此申请公积金贷款。',
      en: 'This online-signing record has been cancelled: it does not support a loan application.',
    },
  });
  if (refused) {
    return { outcome: refused.outcome === 'review' ? 'review' : 'rejected', reason: refused.reason };
  }
  if (!facts.found || !facts.applicantIsBuyer) throw new Error('unreachable: refused above');
  return { outcome: 'price', registeredPriceFen: facts.registeredPriceFen };
}
