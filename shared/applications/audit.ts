/**
 * A centre's audit trail of staff actions (who, when, what, why), written in the same transaction
 * as the change each action makes, and listed with the centre's disclosures to other centres for
 * a period (`GET /v1/staff/audit`). Records: `C#<city>#AUDIT#<YYYY-MM>` / `<at>#<applicationId>#<action>`,
 * beside the disclosures `C#<city>#DISCLOSURE#<YYYY-MM>` / `<at>#<requestId>`: both sort by time.
 */
import { addMonths, monthOf } from '../calendar/dates.js';
import { toBeijingDate } from '../calendar/working-days.js';
import type { CityCode } from '../config/cities.js';
import type { CentreRepository, TableItem, TransactItem } from '../persistence/centre-repository.js';
import { centreKey } from '../persistence/table.js';
import type { ApplicationBase } from './records.js';

export type StaffAction =
  | 'decide'
  | 'confirm'
  | 'return'
  | 'ask-again'
  | 'disburse'
  // a paper online-signing record (shared/property/register.ts), entered and confirmed by two staff;
  // any record marked cancelled (撤销备案)
  | 'enter-property-record'
  | 'confirm-property-record'
  | 'cancel-property-record'
  // a payout the bank returned (shared/withdrawals/payout-return.ts), recorded and confirmed by two staff
  | 'record-payout-return'
  | 'confirm-payout-return'
  // joint enforcement (shared/enforcement/): a record and its lift, each by two staff; a region-wide
  // look-up for a case in hand
  | 'record-enforcement'
  | 'confirm-enforcement'
  | 'request-enforcement-lift'
  | 'confirm-enforcement-lift'
  | 'enforcement-lookup';

export interface StaffActionEntry {
  at: Date;
  /** The staff member: the token's `sub`. */
  staff: string;
  action: StaffAction;
  /** An application, or another record staff act on (a property record, an enforcement record). */
  application: { applicationId: string; itemCode: ApplicationBase['itemCode'] | 'ENFORCEMENT' };
  outcome?: string;
  amountFen?: number;
  reason?: string;
  automaticOutcome?: string;
  /** For a confirmation or a return: whose decision it was. */
  decidedBy?: string;
}

function auditPartition(city: CityCode, at: Date): string {
  return centreKey(city, 'AUDIT', toBeijingDate(at).slice(0, 7));
}

/** The Put of one staff action; it joins the transaction of the change it records. */
export function auditItem(city: CityCode, entry: StaffActionEntry): TransactItem {
  const { application, at, ...rest } = entry;
  return {
    Put: {
      Item: {
        PK: auditPartition(city, at),
        SK: `${at.toISOString()}#${application.applicationId}#${entry.action}`,
        kind: 'staff-action',
        at: at.toISOString(),
        applicationId: application.applicationId,
        itemCode: application.itemCode,
        ...rest,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

export interface AuditLine {
  at: string;
  kind: 'staff-action' | 'disclosure';
  staff: string | null;
  action: string;
  applicationId: string;
  itemCode: string | null;
  outcome: string | null;
  amountFen: number | null;
  reason: string | null;
  /** A confirmation or a return: whose decision it was. */
  decidedBy: string | null;
  /** A disclosure: the centre that asked, and the fields it learnt. */
  askedBy: string | null;
  fieldsDisclosed: string | null;
}

function lineOf(item: TableItem): AuditLine {
  const text = (name: string) => (item[name] === undefined ? null : String(item[name]));
  if (item.kind === 'staff-action') {
    return {
      at: String(item.at),
      kind: 'staff-action',
      staff: text('staff'),
      action: String(item.action),
      applicationId: String(item.applicationId),
      itemCode: text('itemCode'),
      outcome: text('outcome'),
      amountFen: typeof item.amountFen === 'number' ? item.amountFen : null,
      reason: text('reason'),
      decidedBy: text('decidedBy'),
      askedBy: null,
      fieldsDisclosed: null,
    };
  }
  return {
    at: String(item.disclosedAt),
    kind: 'disclosure',
    staff: null,
    action: String(item.purpose),
    applicationId: String(item.applicationId),
    itemCode: null,
    outcome: null,
    amountFen: null,
    reason: null,
    decidedBy: null,
    askedBy: text('askedBy'),
    fieldsDisclosed: Array.isArray(item.fieldsDisclosed) ? item.fieldsDisclosed.join(' ') : null,
  };
}

export interface AuditPage {
  lines: AuditLine[];
  /** Where the next page starts (the sort key of the last line), absent on the last page. */
  next?: string;
}

/**
 * The centre's staff actions and disclosures from `from` to `to` (Beijing dates, both included),
 * oldest first, `limit` lines a page; `after` is the previous page's `next`.
 */
export async function auditTrail(
  repository: CentreRepository,
  period: { from: string; to: string },
  options: { limit: number; after?: string },
): Promise<AuditPage> {
  // Sort keys are UTC instants: the period runs from Beijing midnight to Beijing midnight.
  const start = new Date(Date.parse(`${period.from}T00:00:00+08:00`)).toISOString();
  const end = new Date(Date.parse(`${period.to}T00:00:00+08:00`) + 86_400_000).toISOString();
  const lower = options.after && options.after > start ? options.after : start;
  // A cursor at or past the end of the period (reused with an earlier `to`): nothing more.
  if (lower >= end) return { lines: [] };
  const lines: { sk: string; line: AuditLine }[] = [];
  for (let month = monthOf(period.from); month <= monthOf(period.to); month = addMonths(month, 1)) {
    for (const kind of ['AUDIT', 'DISCLOSURE']) {
      const items = await repository.queryAll(centreKey(repository.city, kind, month), {
        sortKeyCondition: 'SK BETWEEN :lower AND :end',
        ExpressionAttributeValues: { ':lower': lower, ':end': end },
        // One more than asked tells whether there is a next page; BETWEEN includes the cursor's own line.
        limit: options.limit + (options.after ? 2 : 1),
      });
      for (const item of items) {
        if (item.SK > lower || !options.after) lines.push({ sk: item.SK, line: lineOf(item) });
      }
    }
    if (lines.length > options.limit) break;
  }
  lines.sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
  const page = lines.slice(0, options.limit);
  const next = lines.length > options.limit ? page.at(-1)?.sk : undefined;
  return { lines: page.map((l) => l.line), ...(next ? { next } : {}) };
}
