import { describe, expect, it } from '@jest/globals';
import { type InterestLedgerEntry, interestToDateFromLedger } from '../../../shared/withdrawals/rules.js';

/**
 * Independent of the module: 积数 × 1.5 % / 360, half-up to the fen. fenDays × 150 / (360 × 10,000)
 * = fenDays / 24,000; half-up is floor((2 × fenDays + 24,000) / 48,000).
 */
const interestOf = (fenDays: number): number => Number((2n * BigInt(fenDays) + 24_000n) / 48_000n);

const remittance = (valueDate: string, amountFen: number): InterestLedgerEntry => ({
  kind: 'remittance',
  reference: `REMITTANCE#${valueDate.slice(0, 7)}`,
  amountFen,
  valueDate,
});

const settlement = (year: number, amountFen: number): InterestLedgerEntry => ({
  kind: 'interest',
  reference: `INTEREST#${year}`,
  amountFen,
  valueDate: `${year}-06-30`,
});

describe('interestToDateFromLedger', () => {
  // 50,000.00 yuan credited 2024-08-10, earning 2024-08-10..2025-06-30 = 325 days:
  // 5,000,000 × 325 = 1,625,000,000 fen-days → 67,708.33 → 67,708 fen settled on 2025-06-30.
  const settledIn2025 = [remittance('2024-08-10', 5_000_000), settlement(2025, 67_708)];

  it('gives 0 for a closing on 1 July after the 30 June settlement', () => {
    const result = interestToDateFromLedger(
      [...settledIn2025, remittance('2025-09-15', 300_000), settlement(2026, 77_000)],
      '2026-07-01',
    );
    expect(result).toMatchObject({
      from: '2026-07-01',
      to: '2026-06-30',
      lastSettlementDate: '2026-06-30',
      openingBalanceFen: 5_000_000 + 67_708 + 300_000 + 77_000,
      unsettledYears: [],
      interestFen: 0,
    });
    expect(result.partialYear).toMatchObject({ days: 0, fenDays: 0n, interestFen: 0 });
  });

  it('gives 0 when the settlement was posted on the payout day itself (it paid that day)', () => {
    const result = interestToDateFromLedger(settledIn2025, '2025-06-30');
    expect(result).toMatchObject({ from: '2025-07-01', to: '2025-06-30', interestFen: 0 });
  });

  it('before this year is settled, runs from the last settlement to the day before the payout', () => {
    // Opening 5,000,000 + 67,708 = 5,067,708 from 2025-07-01 to 2026-06-29 (364 days); the remittance
    // credited on the payout day earns nothing.
    const fenDays = 5_067_708 * 364;
    expect(fenDays).toBe(1_844_645_712);
    const result = interestToDateFromLedger(
      [...settledIn2025, remittance('2026-06-30', 300_000)],
      '2026-06-30',
    );
    expect(result).toMatchObject({
      from: '2025-07-01',
      to: '2026-06-29',
      lastSettlementDate: '2025-06-30',
      openingBalanceFen: 5_067_708,
      unsettledYears: [],
      interestFen: interestOf(fenDays),
    });
    expect(result.interestFen).toBe(76_860); // 76,860.238
    expect(result.partialYear).toMatchObject({ days: 364, fenDays: BigInt(fenDays) });
  });

  it('never settled: the missed whole year as the settlement would have paid it, then the year to date', () => {
    // Opened 2024-09: 3,000.00 yuan on 2024-09-20, 2025-03-20 and 2025-09-20; closed 2026-03-10.
    const entries = [
      remittance('2024-09-20', 300_000),
      remittance('2025-03-20', 300_000),
      remittance('2025-09-20', 300_000),
    ];
    // 2024-07-01..2025-06-30: 300,000 × 284 days (09-20..06-30) + 300,000 × 103 days (03-20..06-30)
    // = 116,100,000 fen-days → 4,837.5 → 4,838 fen, credited on 2025-06-30.
    const firstYearFenDays = 300_000 * 284 + 300_000 * 103;
    const firstYearFen = interestOf(firstYearFenDays);
    expect(firstYearFen).toBe(4_838);
    // 2025-07-01..2026-03-09: 604,838 × 252 days + 300,000 × 171 days (09-20..03-09).
    const toDateFenDays = (600_000 + firstYearFen) * 252 + 300_000 * 171;
    expect(toDateFenDays).toBe(203_719_176);

    const result = interestToDateFromLedger(entries, '2026-03-10');
    expect(result.lastSettlementDate).toBeUndefined();
    expect(result).toMatchObject({ from: '2024-07-01', to: '2026-03-09', openingBalanceFen: 0 });
    expect(result.unsettledYears).toHaveLength(1);
    expect(result.unsettledYears[0]).toMatchObject({
      from: '2024-07-01',
      to: '2025-06-30',
      fenDays: BigInt(firstYearFenDays),
      interestFen: firstYearFen,
    });
    expect(result.partialYear).toMatchObject({
      from: '2025-07-01',
      to: '2026-03-09',
      days: 252,
      fenDays: BigInt(toDateFenDays),
      interestFen: interestOf(toDateFenDays),
    });
    expect(result.interestFen).toBe(4_838 + 8_488); // 8,488.299
  });

  it('moves the daily balance with a deposit and a withdrawal in the period', () => {
    // 10,000.00 yuan from 2024-12-01, 212 days to 2025-06-30: 212,000,000 fen-days → 8,833 fen settled.
    const entries: InterestLedgerEntry[] = [
      remittance('2024-12-01', 1_000_000),
      settlement(2025, 8_833),
      remittance('2025-08-01', 500_000),
      { kind: 'withdrawal', reference: 'WITHDRAWAL#W1', amountFen: -700_000, valueDate: '2025-10-16' },
    ];
    // 1,008,833 for 07-01..07-31 (31 days), 1,508,833 for 08-01..10-15 (76), 808,833 for 10-16..11-30 (46).
    const fenDays = 1_008_833 * 31 + 1_508_833 * 76 + 808_833 * 46;
    expect(fenDays).toBe(183_151_449);
    const result = interestToDateFromLedger(entries, '2025-12-01');
    expect(result).toMatchObject({ from: '2025-07-01', to: '2025-11-30', interestFen: interestOf(fenDays) });
    expect(result.interestFen).toBe(7_631); // 7,631.31
    expect(result.partialYear).toMatchObject({
      days: 153,
      fenDays: BigInt(fenDays),
      closingBalanceFen: 808_833,
    });
  });

  describe('after a closing whose transfer was sent back (the account reopened)', () => {
    // Closed by a transfer on 2025-12-01: 5,067,708 earning 07-01..11-30 (153 days) paid as interest to
    // date, the whole balance out, then credited back; the account is reopened sealed.
    const balanceFen = 5_000_000 + 67_708;
    const paidFen = interestOf(balanceFen * 153);
    const closedAndReturned = (returnedOn: string): InterestLedgerEntry[] => [
      ...settledIn2025,
      {
        kind: 'interest',
        reference: 'INTEREST-TO-DATE#370400-T-A',
        amountFen: paidFen,
        valueDate: '2025-12-01',
      },
      {
        kind: 'transfer-out',
        reference: 'TRANSFER-OUT#370400-T-A',
        amountFen: -(balanceFen + paidFen),
        valueDate: '2025-12-01',
      },
      {
        kind: 'transfer-return',
        reference: 'TRANSFER-RETURN#370400-T-A',
        amountFen: balanceFen + paidFen,
        valueDate: returnedOn,
      },
    ];

    it('a second closing the same day pays no interest again', () => {
      expect(interestToDateFromLedger(closedAndReturned('2025-12-01'), '2025-12-01')).toMatchObject({
        from: '2025-12-01',
        to: '2025-11-30',
        interestFen: 0,
      });
    });

    it('a day later, one day’s interest on the balance credited back', () => {
      const result = interestToDateFromLedger(closedAndReturned('2025-12-01'), '2025-12-02');
      expect(result).toMatchObject({ from: '2025-12-01', to: '2025-12-01', unsettledYears: [] });
      expect(result.partialYear).toMatchObject({ days: 1, fenDays: BigInt(balanceFen + paidFen) });
      expect(result.interestFen).toBe(interestOf(balanceFen + paidFen));
    });

    it('nothing earns while the money was away; the old bare reference counts the same', () => {
      const entries = closedAndReturned('2025-12-05').map((e) =>
        e.kind === 'interest' && e.reference.startsWith('INTEREST-TO-DATE')
          ? { ...e, reference: 'INTEREST-TO-DATE' }
          : e,
      );
      // 12-01..12-04 at 0, 12-05..12-09 (5 days) at the balance credited back.
      expect(interestToDateFromLedger(entries, '2025-12-10').interestFen).toBe(
        interestOf((balanceFen + paidFen) * 5),
      );
    });

    it('the yearly settlement after it pays the year only from that closing on', () => {
      // 2025-12-01..2026-06-30: 212 days.
      const result = interestToDateFromLedger(closedAndReturned('2025-12-01'), '2026-07-01');
      expect(result.unsettledYears).toHaveLength(1);
      expect(result.unsettledYears[0]).toMatchObject({
        from: '2025-12-01',
        to: '2026-06-30',
        days: 212,
        fenDays: BigInt((balanceFen + paidFen) * 212),
        interestFen: interestOf((balanceFen + paidFen) * 212),
      });
      expect(result.interestFen).toBe(interestOf((balanceFen + paidFen) * 212));
    });
  });

  it('gives 0 on an empty ledger', () => {
    expect(interestToDateFromLedger([], '2026-03-10').interestFen).toBe(0);
  });

  it('refuses a settlement valued after today or off its settlement day', () => {
    expect(() => interestToDateFromLedger(settledIn2025, '2025-06-29')).toThrow(/after today/);
    expect(() =>
      interestToDateFromLedger(
        [{ kind: 'interest', reference: 'INTEREST#2025', amountFen: 1, valueDate: '2025-07-01' }],
        '2026-03-10',
      ),
    ).toThrow(RangeError);
  });
});
