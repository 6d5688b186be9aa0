/**
 * What a settlement (结息) keeps so the next one reads only the ledger entries posted after it: the
 * settlement day, the last ledger version it saw, the sum of every entry up to that version valued on
 * or before the settlement day (its interest included: the next year's opening balance), and the
 * few entries up to that version valued after it (posted before a late run: they move the next year).
 *
 * The entries of a settled account are then its mark as one entry — an `INTEREST#<year>` valued on
 * the settlement day for the opening balance — plus the carried entries and the entries after the
 * mark's version. `interestToDateFromLedger` gives the same years and interest for them as for the
 * whole ledger: it starts after the last settlement, sums everything valued before as the opening,
 * and takes the movements valued after (a property test checks it).
 */
import type { InterestLedgerEntry } from '../withdrawals/rules.js';

export interface SettlementMark {
  settlementDate: string;
  /** The ledger version of the settlement's last entry: the next one reads after it. */
  throughVersion: number;
  /** Entries up to `throughVersion` valued on or before `settlementDate`, summed. */
  openingFen: number;
  /** Entries up to `throughVersion` valued after `settlementDate` (empty when the job ran on time). */
  carried: InterestLedgerEntry[];
}

function stripped(entry: InterestLedgerEntry): InterestLedgerEntry {
  return {
    kind: entry.kind,
    reference: entry.reference,
    amountFen: entry.amountFen,
    valueDate: entry.valueDate,
  };
}

/** The entries the settlement rule reads for an account: the mark's, then those posted after it. */
export function entriesSinceMark(
  mark: SettlementMark | undefined,
  later: readonly InterestLedgerEntry[],
): InterestLedgerEntry[] {
  if (!mark) return [...later];
  return [
    {
      kind: 'interest',
      reference: `INTEREST#${mark.settlementDate.slice(0, 4)}`,
      amountFen: mark.openingFen,
      valueDate: mark.settlementDate,
    },
    ...mark.carried,
    ...later,
  ];
}

/** The mark a settlement leaves: `entries` are all it read plus the interest it posts. */
export function markAfter(
  settlementDate: string,
  entries: readonly InterestLedgerEntry[],
  throughVersion: number,
): SettlementMark {
  return {
    settlementDate,
    throughVersion,
    openingFen: entries.filter((e) => e.valueDate <= settlementDate).reduce((sum, e) => sum + e.amountFen, 0),
    carried: entries.filter((e) => e.valueDate > settlementDate).map(stripped),
  };
}
