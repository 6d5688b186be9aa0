/**
 * Withdrawal requests checked at the API edge, after the schema and before anything is recorded: the dates
 * a request carries are compared with the applicant's birth date (from the ID number) and with today, so
 * the citizen hears at once what is certainly wrong and the centre's worker never meets a date its rules
 * would throw on (a retirement record dated before birth). Pure: no AWS, no I/O.
 */
import { assertIsoDate, type IsoDate } from '../rules/national.js';
import {
  acceptsRetirementRecord,
  type LocalizedMessage,
  type RetirementRecordAgeRefusal,
  type RetirementRecordCategory,
  type WomanCategory,
} from './retirement.js';

/** One failed field of the body: its dotted path, a stable code, what to tell the citizen. */
export interface EdgeError {
  field: string;
  code: string;
  message: LocalizedMessage;
}

/** What the edge reads of a withdrawal request (the shape of `WithdrawalRequest`). */
export type EdgeWithdrawalRequest =
  | { type: 'retirement'; retirementRecord?: { retirementDate: string; category?: RetirementRecordCategory } }
  | { type: 'emigration'; settlement: { issuedOn: string } }
  // A purchase carries no dates: the contract date is the property register's (worker-side rule).
  | { type: 'purchase' }
  | { type: 'offsite-repay' }
  | { type: 'rent' }
  | { type: 'renovation'; invoice: { issuedOn: string } }
  | { type: 'property-fee'; feeNotice: { feeYear: number } };

/** The applicant as the ID number and the account know them. */
export interface EdgePerson {
  birthDate: IsoDate;
  sex: 'male' | 'female';
  /** A woman's former statutory age, when the account records it (an employment fact). */
  womanCategory?: WomanCategory | undefined;
}

type DateField = 'retirementRecord.retirementDate' | 'settlement.issuedOn' | 'invoice.issuedOn';

const FIELD_TEXT: Record<DateField, LocalizedMessage> = {
  'retirementRecord.retirementDate': {
    'zh-CN': '退休证明上的退休日期',
    en: 'retirement date on the retirement record',
  },
  'settlement.issuedOn': { 'zh-CN': '定居证明的签发日期', en: 'issue date of the settlement document' },
  'invoice.issuedOn': { 'zh-CN': '装修发票的开票日期', en: 'issue date of the renovation invoice' },
};

/** A fee notice for a year after this one, or for a year before the applicant was born. */
function feeYearError(feeYear: number, person: EdgePerson, today: IsoDate): EdgeError | undefined {
  const field = 'feeNotice.feeYear';
  if (feeYear > Number(today.slice(0, 4))) {
    return {
      field,
      code: 'DATE_IN_FUTURE',
      message: {
        'zh-CN': `物业费缴费通知的年度（${feeYear}）晚于今年，请核对后重新填写`,
        en: `The fee notice's year (${feeYear}) is after this year: please check it.`,
      },
    };
  }
  if (feeYear < Number(person.birthDate.slice(0, 4))) {
    return {
      field,
      code: 'DATE_BEFORE_BIRTH',
      message: {
        'zh-CN': `物业费缴费通知的年度（${feeYear}）早于您的出生年份，请核对后重新填写`,
        en: `The fee notice's year (${feeYear}) is before your year of birth: please check it.`,
      },
    };
  }
  return undefined;
}

/** The schema has checked the format; this keeps the function total whoever calls it. */
function isCalendarDate(value: string): boolean {
  try {
    assertIsoDate(value);
    return true;
  } catch {
    return false;
  }
}

/** Not a date, or before the applicant was born. */
function dateError(field: DateField, value: string, birthDate: IsoDate): EdgeError | undefined {
  const text = FIELD_TEXT[field];
  if (!isCalendarDate(value)) {
    return {
      field,
      code: 'INVALID_DATE',
      message: {
        'zh-CN': `${text['zh-CN']}（${value}）不是有效日期，请按“年-月-日”填写，例如 2025-03-01`,
        en: `The ${text.en} (${value}) is not a valid date: write it as year-month-day, for example 2025-03-01.`,
      },
    };
  }
  if (value < birthDate) {
    return {
      field,
      code: 'DATE_BEFORE_BIRTH',
      message: {
        'zh-CN': `${text['zh-CN']}（${value}）早于您的出生日期（以身份证号码为准），请核对后重新填写`,
        en: `The ${text.en} (${value}) is before your date of birth (as your ID number shows it): please check it.`,
      },
    };
  }
  return undefined;
}

function futureError(field: DateField, value: IsoDate, today: IsoDate): EdgeError | undefined {
  if (value <= today) return undefined;
  const text = FIELD_TEXT[field];
  return {
    field,
    code: 'DATE_IN_FUTURE',
    message: {
      'zh-CN': `${text['zh-CN']}（${value}）晚于今天，请核对后重新填写`,
      en: `The ${text.en} (${value}) is after today: please check it.`,
    },
  };
}

/**
 * The women's ages a statutory record may be judged under: the recorded one, or both when the account does
 * not record it yet. Any other record, and a man's, does not depend on it (a category recorded on a man is
 * the worker's to refer to staff, not the citizen's error).
 */
function womanCategoriesFor(
  person: EdgePerson,
  category: RetirementRecordCategory,
): (WomanCategory | undefined)[] {
  if (person.sex !== 'female' || category !== 'statutory') return [undefined];
  return person.womanCategory ? [person.womanCategory] : ['age55', 'age50'];
}

/** The worker's own refusal of the record, when it is certain whichever women's age applies. */
function retirementRecordError(
  record: { retirementDate: IsoDate; category?: RetirementRecordCategory },
  person: EdgePerson,
  today: IsoDate,
): EdgeError | undefined {
  const field = 'retirementRecord.retirementDate';
  const category = record.category ?? 'statutory';
  let lenient: RetirementRecordAgeRefusal | undefined;
  for (const womanCategory of womanCategoriesFor(person, category)) {
    const check = acceptsRetirementRecord(
      {
        birthDate: person.birthDate,
        sex: person.sex,
        womanCategory,
        retirementDate: record.retirementDate,
        category,
      },
      today,
    );
    if (check.accepted) return undefined;
    if (check.code === 'RETIREMENT_RECORD_IN_FUTURE')
      return { field, code: check.code, message: check.message };
    // Refused under every age tried so far: the earliest limit is the one certain to be missed.
    if (lenient === undefined || check.earliestDate < lenient.earliestDate) lenient = check;
  }
  return lenient && { field, code: lenient.code, message: lenient.message };
}

function requestError(
  request: EdgeWithdrawalRequest,
  person: EdgePerson,
  today: IsoDate,
): EdgeError | undefined {
  const { birthDate } = person;
  switch (request.type) {
    case 'retirement': {
      const record = request.retirementRecord;
      // Without a record the computed age decides, in the worker.
      if (record === undefined) return undefined;
      return (
        dateError('retirementRecord.retirementDate', record.retirementDate, birthDate) ??
        retirementRecordError(record, person, today)
      );
    }
    case 'emigration': {
      const { issuedOn } = request.settlement;
      return (
        dateError('settlement.issuedOn', issuedOn, birthDate) ??
        futureError('settlement.issuedOn', issuedOn, today)
      );
    }
    case 'renovation': {
      const { issuedOn } = request.invoice;
      return (
        dateError('invoice.issuedOn', issuedOn, birthDate) ?? futureError('invoice.issuedOn', issuedOn, today)
      );
    }
    case 'property-fee':
      return feeYearError(request.feeNotice.feeYear, person, today);
    case 'purchase':
    case 'offsite-repay':
    case 'rent':
      return undefined;
  }
}

/**
 * What is certainly wrong with the dates of a withdrawal request, for the applicant born on
 * `person.birthDate`, on `today` (the Beijing date): [] when nothing is. Never throws on the request;
 * a malformed `birthDate` or `today` (the server's own facts) is a RangeError.
 */
export function withdrawalRequestErrors(
  request: EdgeWithdrawalRequest,
  person: EdgePerson,
  today: IsoDate,
): EdgeError[] {
  assertIsoDate(person.birthDate, 'birthDate');
  assertIsoDate(today, 'today');
  const error = requestError(request, person, today);
  return error ? [error] : [];
}
