/**
 * Which months a remittance may cover today (DESIGN.md §2b): from the opening month on, up to the
 * current month, each until the employer's payday of the following month; older owed months are
 * back-pay.
 */
import { describe, expect, it } from '@jest/globals';
import { isBackPayMonth, remittanceWindow } from '../../../shared/deposits/rules.js';

const since2025 = { openingMonth: '2025-03', payday: 10 } as const;

describe('remittanceWindow', () => {
  it('keeps last month open up to and including this month’s payday', () => {
    expect(remittanceWindow({ ...since2025, today: '2026-12-01' })).toEqual({
      earliest: '2026-11',
      latest: '2026-12',
      earliestDueBy: '2026-12-10',
    });
    expect(remittanceWindow({ ...since2025, today: '2026-12-10' }).earliest).toBe('2026-11');
    expect(remittanceWindow({ ...since2025, today: '2026-12-11' })).toEqual({
      earliest: '2026-12',
      latest: '2026-12',
      earliestDueBy: '2027-01-10',
    });
  });

  it('crosses the year: December stays open until the January payday', () => {
    expect(remittanceWindow({ openingMonth: '2026-01', payday: 28, today: '2027-01-28' }).earliest).toBe(
      '2026-12',
    );
    expect(remittanceWindow({ openingMonth: '2026-01', payday: 28, today: '2027-01-29' }).earliest).toBe(
      '2027-01',
    );
  });

  it('owes nothing before the opening month, and nothing at all before an opening in the future', () => {
    expect(remittanceWindow({ openingMonth: '2026-12', payday: 10, today: '2026-12-01' })).toEqual({
      earliest: '2026-12',
      latest: '2026-12',
      earliestDueBy: '2027-01-10',
    });
    expect(remittanceWindow({ openingMonth: '2027-01', payday: 10, today: '2026-12-01' })).toEqual({});
  });

  it('refuses a payday that is not a day from 1 to 28, and dates that are not dates', () => {
    for (const payday of [0, 29, 1.5, Number.NaN]) {
      expect(() => remittanceWindow({ openingMonth: '2026-01', payday, today: '2026-12-01' })).toThrow(
        RangeError,
      );
    }
    expect(() => remittanceWindow({ openingMonth: '2026-13', payday: 10, today: '2026-12-01' })).toThrow(
      RangeError,
    );
    expect(() => remittanceWindow({ openingMonth: '2026-01', payday: 10, today: '2026-02-30' })).toThrow(
      RangeError,
    );
  });
});

describe('isBackPayMonth', () => {
  const today = '2026-12-15';
  it('is an owed month before the window', () => {
    expect(isBackPayMonth('2026-10', { ...since2025, today })).toBe(true);
    expect(isBackPayMonth('2025-03', { ...since2025, today })).toBe(true);
    expect(isBackPayMonth('2026-11', { ...since2025, today })).toBe(true);
  });
  it('is not a month before the opening, in the window, or in the future', () => {
    expect(isBackPayMonth('2025-02', { ...since2025, today })).toBe(false);
    expect(isBackPayMonth('2026-12', { ...since2025, today })).toBe(false);
    expect(isBackPayMonth('2027-01', { ...since2025, today })).toBe(false);
    expect(isBackPayMonth('2026-11', { ...since2025, today: '2026-12-10' })).toBe(false);
  });
});
