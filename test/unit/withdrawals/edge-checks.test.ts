import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseIdNumber } from '../../../shared/identity/id-number.js';
import {
  type EdgePerson,
  type EdgeWithdrawalRequest,
  withdrawalRequestErrors,
} from '../../../shared/withdrawals/edge-checks.js';
import {
  acceptsRetirementRecord,
  RetirementInputError,
  type WomanCategory,
} from '../../../shared/withdrawals/retirement.js';
import type { WithdrawalRequest } from '../../../shared/withdrawals/withdrawals.js';

const today = '2026-03-01';

/** The applicant as the ID number gives them, with the account's women's age when it records one. */
function holder(idNumber: string, womanCategory?: WomanCategory): EdgePerson {
  const id = parseIdNumber(idNumber, today);
  if (!id.ok) throw new Error(`test ID number refused: ${id.code}`);
  return { birthDate: id.value.birthDate, sex: id.value.sex, ...(womanCategory ? { womanCategory } : {}) };
}

const man1970 = holder('320302197003071038'); // born 1970-03-07
const man1988 = holder('411402198809156076'); // born 1988-09-15
const woman1974 = holder('370802197406104021'); // born 1974-06-10

const retirement = (retirementDate: string, category?: 'statutory' | 'special-work' | 'ill-health') => ({
  type: 'retirement' as const,
  retirementRecord: {
    retirementDate,
    documentNo: '徐人社退〔2025〕0312号',
    ...(category ? { category } : {}),
  },
});
const emigration = (issuedOn: string): WithdrawalRequest => ({
  type: 'emigration',
  settlement: { country: 'NZ', documentNo: 'RV-2025-118842', issuedOn },
});
const purchase: WithdrawalRequest = {
  type: 'purchase',
  amountFen: 12_000_000,
  property: { onlineSigningNo: 'XZ-2026-004417', city: '320300' },
};

describe('withdrawalRequestErrors: requests with nothing wrong', () => {
  const noRecord: WithdrawalRequest = { type: 'retirement' };
  const offsiteRepay: WithdrawalRequest = { type: 'offsite-repay', loanCity: '370800' };

  it.each<[string, EdgeWithdrawalRequest, EdgePerson]>([
    ['a retirement without a record', noRecord, man1988],
    ['a special-work record at 55', retirement('2025-03-07', 'special-work'), man1970],
    ['a statutory record dated today', retirement(today), holder('320303196206202052')],
    ['a settlement document issued today', emigration(today), man1988],
    // Its contract date is the register's, judged by the worker.
    ['a purchase (it carries no dates)', purchase, man1988],
    ['a repay-a-loan withdrawal', offsiteRepay, man1988],
  ])('%s gives no error', (_, request, person) => {
    expect(withdrawalRequestErrors(request, person, today)).toEqual([]);
  });
});

describe('withdrawalRequestErrors: the retirement record', () => {
  const field = 'retirementRecord.retirementDate';

  it('flags a date before birth, which the worker would throw on', () => {
    const request = retirement('1969-12-31', 'ill-health');
    expect(withdrawalRequestErrors(request, man1970, today)).toEqual([
      { field, code: 'DATE_BEFORE_BIRTH', message: expect.anything() },
    ]);
    const [error] = withdrawalRequestErrors(request, man1970, today);
    expect(error?.message['zh-CN']).toMatch(/退休日期（1969-12-31）早于您的出生日期/);
    expect(error?.message.en).toMatch(/retirement date .*\(1969-12-31\) is before your date of birth/);
    expect(() => acceptsRetirementRecord({ ...man1970, ...request.retirementRecord }, today)).toThrow(
      RangeError,
    );
  });

  it('flags a record dated after today, whichever the category', () => {
    for (const category of ['statutory', 'special-work', 'ill-health'] as const) {
      expect(withdrawalRequestErrors(retirement('2026-03-02', category), man1970, today)).toMatchObject([
        { field, code: 'RETIREMENT_RECORD_IN_FUTURE' },
      ]);
    }
  });

  it('flags a record before the earliest age of its category with the worker’s own refusal', () => {
    const request = retirement('2025-03-06', 'special-work');
    const refused = acceptsRetirementRecord({ ...man1970, ...request.retirementRecord }, today);
    if (refused.accepted) throw new Error('expected a refusal');
    expect(withdrawalRequestErrors(request, man1970, today)).toEqual([
      { field, code: 'RETIREMENT_RECORD_BELOW_CATEGORY_AGE', message: refused.message },
    ]);
    // The same date on a statutory record: he is not 60 until 2030-03-07.
    expect(withdrawalRequestErrors(retirement('2025-03-07'), man1970, today)).toMatchObject([
      { field, code: 'RETIREMENT_RECORD_BELOW_OLD_AGE' },
    ]);
  });

  it("flags only what is certain when the account does not say which women's age applies", () => {
    // Born 1974-06-10: formerly 50 she could retire from 2024-06-10, formerly 55 from 2029-06-10.
    expect(withdrawalRequestErrors(retirement('2025-06-10'), woman1974, today)).toEqual([]);
    const [error] = withdrawalRequestErrors(retirement('2024-01-10'), woman1974, today);
    expect(error).toMatchObject({ field, code: 'RETIREMENT_RECORD_BELOW_OLD_AGE' });
    expect(error?.message.en).toMatch(/2024-06-10/);
    // Recorded as formerly 55, the same record is certainly too early.
    expect(
      withdrawalRequestErrors(retirement('2025-06-10'), holder('370802197406104021', 'age55'), today),
    ).toMatchObject([{ field, code: 'RETIREMENT_RECORD_BELOW_OLD_AGE' }]);
  });

  it("judges a woman's special-work record by her sex alone", () => {
    const woman1980 = holder('34130219800821202X'); // born 1980-08-21
    expect(withdrawalRequestErrors(retirement('2025-08-21', 'special-work'), woman1980, today)).toEqual([]);
    expect(withdrawalRequestErrors(retirement('2025-08-20', 'special-work'), woman1980, today)).toMatchObject(
      [{ field, code: 'RETIREMENT_RECORD_BELOW_CATEGORY_AGE' }],
    );
  });

  it("does not throw on a women's age recorded on a man, and judges him by his own age", () => {
    const misrecorded = { ...man1970, womanCategory: 'age50' as const };
    expect(withdrawalRequestErrors(retirement('2025-03-07'), misrecorded, today)).toMatchObject([
      { field, code: 'RETIREMENT_RECORD_BELOW_OLD_AGE' },
    ]);
  });
});

describe('withdrawalRequestErrors: settlement abroad', () => {
  it('flags a settlement document issued before birth or after today', () => {
    expect(withdrawalRequestErrors(emigration('1988-09-14'), man1988, today)).toMatchObject([
      { field: 'settlement.issuedOn', code: 'DATE_BEFORE_BIRTH' },
    ]);
    const [future] = withdrawalRequestErrors(emigration('2026-03-02'), man1988, today);
    expect(future).toMatchObject({ field: 'settlement.issuedOn', code: 'DATE_IN_FUTURE' });
    expect(future?.message['zh-CN']).toMatch(/定居证明的签发日期（2026-03-02）晚于今天/);
    expect(future?.message.en).toMatch(/issue date .*\(2026-03-02\) is after today/);
  });

  it('flags a date that is not on the calendar instead of throwing', () => {
    expect(withdrawalRequestErrors(emigration('2026-02-30'), man1988, today)).toMatchObject([
      { field: 'settlement.issuedOn', code: 'INVALID_DATE' },
    ]);
    expect(withdrawalRequestErrors(retirement('2025-13-01'), man1970, today)).toMatchObject([
      { code: 'INVALID_DATE' },
    ]);
  });
});

describe('withdrawalRequestErrors: what reaches the worker', () => {
  const isoDate = (min: string, max: string) =>
    fc
      .date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T00:00:00Z`), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
  const people = fc.record({
    birthDate: isoDate('1940-01-01', '2005-12-31'),
    sex: fc.constantFrom('male' as const, 'female' as const),
    womanCategory: fc.constantFrom(undefined, 'age55' as const, 'age50' as const),
  });

  it('never throws, and a record it lets through never makes the worker throw a RangeError', () => {
    fc.assert(
      fc.property(
        people,
        isoDate('1900-01-01', '2100-12-31'),
        fc.constantFrom('statutory' as const, 'special-work' as const, 'ill-health' as const),
        (person, retirementDate, category) => {
          const request = retirement(retirementDate, category);
          if (withdrawalRequestErrors(request, person, today).length > 0) return;
          try {
            acceptsRetirementRecord({ ...person, ...request.retirementRecord }, today);
          } catch (error) {
            // Only the account's missing (or misplaced) women's age, which the worker refers to staff.
            expect(error).toBeInstanceOf(RetirementInputError);
          }
        },
      ),
    );
  });
});

describe('withdrawalRequestErrors: the grounds of the 2026 revision', () => {
  const property = { onlineSigningNo: 'XZ-2026-004417', city: '320300' as const };
  const renovation = (issuedOn: string): WithdrawalRequest => ({
    type: 'renovation',
    amountFen: 100_000,
    property,
    invoice: { invoiceNo: 'INV-000001', amountFen: 500_000, issuedOn, evidenceRef: 'F' },
  });
  const propertyFee = (feeYear: number): WithdrawalRequest => ({
    type: 'property-fee',
    amountFen: 100_000,
    property,
    feeNotice: { noticeNo: 'WY-1', amountFen: 360_000, feeYear, evidenceRef: 'F' },
  });

  it('accepts a rent request, an invoice of today and a fee notice of this year', () => {
    expect(withdrawalRequestErrors({ type: 'rent' }, man1988, today)).toEqual([]);
    expect(withdrawalRequestErrors(renovation(today), man1988, today)).toEqual([]);
    expect(withdrawalRequestErrors(propertyFee(2026), man1988, today)).toEqual([]);
  });

  it('names the field of an invoice dated tomorrow or before birth, and of a fee year to come or before birth', () => {
    const fields = (request: WithdrawalRequest) =>
      withdrawalRequestErrors(request, man1988, today).map((e) => [e.field, e.code]);
    expect(fields(renovation('2026-03-02'))).toEqual([['invoice.issuedOn', 'DATE_IN_FUTURE']]);
    expect(fields(renovation('1988-09-14'))).toEqual([['invoice.issuedOn', 'DATE_BEFORE_BIRTH']]);
    expect(fields(propertyFee(2027))).toEqual([['feeNotice.feeYear', 'DATE_IN_FUTURE']]);
    expect(fields(propertyFee(1987))).toEqual([['feeNotice.feeYear', 'DATE_BEFORE_BIRTH']]);
  });
});
