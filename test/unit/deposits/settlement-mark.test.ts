/**
 * A settlement that reads only its mark and the entries after it settles exactly what the
 * whole-ledger computation settles: random ledgers with back-dated postings, late runs (entries
 * valued after the settlement day posted before it), missed years settled with the next.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { addDays } from '../../../shared/calendar/dates.js';
import {
  entriesSinceMark,
  markAfter,
  type SettlementMark,
} from '../../../shared/deposits/settlement-mark.js';
import { type InterestLedgerEntry, interestToDateFromLedger } from '../../../shared/withdrawals/rules.js';

const START = '2023-07-01';

interface Versioned extends InterestLedgerEntry {
  version: number;
}

/** The years one settlement posts, from the entries it reads (as settleAccount computes them). */
function settle(entries: readonly InterestLedgerEntry[], settlementDate: string) {
  if (
    entries.some(
      (e) => e.kind === 'interest' && /^INTEREST#\d{4}$/.test(e.reference) && e.valueDate > settlementDate,
    )
  )
    return [];
  return interestToDateFromLedger(entries, addDays(settlementDate, 1)).unsettledYears.filter(
    (y) => y.interestFen > 0,
  );
}

const movement = fc.record({
  valueDay: fc.integer({ min: 0, max: 1300 }),
  // posted this many days after its value date (a back-pay, a correction)
  lag: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 400 })),
  amountFen: fc.integer({ min: 1, max: 2_000_000 }),
  debit: fc.boolean(),
});
const run = fc.record({ skip: fc.boolean(), delay: fc.integer({ min: 1, max: 90 }) });

describe('settlement mark', () => {
  it('settles the same years and interest as the whole ledger', () => {
    fc.assert(
      fc.property(
        fc.array(movement, { minLength: 1, maxLength: 25 }),
        fc.array(run, { minLength: 3, maxLength: 3 }),
        (movements, runs) => {
          type Event = { day: number; order: number } & (
            | { type: 'posting'; valueDate: string; amountFen: number; debit: boolean }
            | { type: 'settlement'; settlementDate: string }
          );
          const events: Event[] = movements.map((m, i) => ({
            type: 'posting',
            // a debit is valued the day it is posted: a back-dated one could take a past day below zero
            day: m.valueDay + (m.debit ? 0 : m.lag),
            order: i,
            valueDate: addDays(START, m.valueDay),
            amountFen: m.amountFen,
            debit: m.debit,
          }));
          ['2024-06-30', '2025-06-30', '2026-06-30'].forEach((settlementDate, i) => {
            const r = runs[i];
            if (!r || r.skip) return;
            const day = Math.round((Date.parse(settlementDate) - Date.parse(START)) / 86_400_000) + r.delay;
            events.push({ type: 'settlement', day, order: 1000 + i, settlementDate });
          });
          events.sort((a, b) => a.day - b.day || a.order - b.order);

          const ledger: Versioned[] = [];
          let balance = 0;
          let mark: SettlementMark | undefined;
          for (const event of events) {
            if (event.type === 'posting') {
              // a debit never takes the balance below zero (the ledger refuses it)
              const amountFen = event.debit ? -Math.min(event.amountFen, balance) : event.amountFen;
              if (amountFen === 0) continue;
              balance += amountFen;
              ledger.push({
                kind: 'deposit',
                reference: `M#${ledger.length}`,
                amountFen,
                valueDate: event.valueDate,
                version: ledger.length + 1,
              });
              continue;
            }
            const whole = settle(ledger, event.settlementDate);
            const read = entriesSinceMark(
              mark,
              ledger.filter((e) => e.version > (mark?.throughVersion ?? 0)),
            );
            const fromMark = settle(read, event.settlementDate);
            expect(fromMark).toEqual(whole);
            if (whole.length === 0) continue;
            const posted = whole.map((year) => ({
              kind: 'interest',
              reference: `INTEREST#${year.to.slice(0, 4)}`,
              amountFen: year.interestFen,
              valueDate: year.to,
            }));
            for (const p of posted) {
              balance += p.amountFen;
              ledger.push({ ...p, version: ledger.length + 1 });
            }
            mark = markAfter(event.settlementDate, [...read, ...posted], ledger.length);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps what a late run saw valued after the settlement day, and the opening balance', () => {
    const entries: InterestLedgerEntry[] = [
      { kind: 'deposit', reference: 'A', amountFen: 10_000, valueDate: '2025-03-01' },
      { kind: 'deposit', reference: 'B', amountFen: 5_000, valueDate: '2025-07-03' },
      { kind: 'interest', reference: 'INTEREST#2025', amountFen: 50, valueDate: '2025-06-30' },
    ];
    expect(markAfter('2025-06-30', entries, 3)).toEqual({
      settlementDate: '2025-06-30',
      throughVersion: 3,
      openingFen: 10_050,
      carried: [{ kind: 'deposit', reference: 'B', amountFen: 5_000, valueDate: '2025-07-03' }],
    });
  });
});
