/**
 * Enforcement records (联合执法记录, issue 12): a centre's staff record a person (by person key) or an
 * employer (by USCC) with a kind, facts, evidence references, the decision document and how to
 * object (PIPL Art. 46). A record is an application on the kernel's status machine and timeline
 * (shared/applications/kernel.ts `applicationUpdate`, version-guarded, audited in the same
 * transaction), with four eyes at both ends:
 *   recorded            → pending_confirmation (nothing in force)
 *   second staff member → approved (in force: the regional entry is written) | rejected (returned)
 *   lift requested      → approved with `pendingLift` (still in force)
 *   second staff member → withdrawn (lifted: its regional entry removed) | lift returned
 *
 * Records (recording centre C): `C#C#ENFORCE` / `RECORD#<id>` (the centre's own list is one query),
 * id `<C>-E-<16 hex of the idempotency seed>`. Region-wide, what every centre's decision reads: one
 * item per person `R#VIOLATION#<personKey>` / `ENTRY` and per employer `R#EMPFLAG#<USCC>` / `ENTRY`,
 * holding one attribute `record#<id>` per confirmed record of any centre (a `Restriction`: never
 * facts or evidence). A confirmation sets only its own attribute and a lift removes only its own, so
 * records of several centres about one person stand side by side and no read-modify-write races.
 * Keyed by the person, a restriction follows them through an account transfer by itself.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { auditItem } from '../applications/audit.js';
import { applicationUpdate, type Staff, staffActor } from '../applications/kernel.js';
import type { ApplicationBase, Reason, TimelineEntry } from '../applications/records.js';
import { workQueueKey } from '../applications/records.js';
import type { CalendarStatus } from '../calendar/working-days.js';
import { committedDeadline, toBeijingDate } from '../calendar/working-days.js';
import { CITIES, type CityCode } from '../config/cities.js';
import { tableName } from '../config/runtime.js';
import { DomainError } from '../errors/domain-error.js';
import { violationKey } from '../loans/store.js';
import { type CentreRepository, queryAll, type TableItem } from '../persistence/centre-repository.js';
import { dynamoDocumentClient } from '../persistence/client.js';
import { disclosedAboutKey } from '../persistence/disclosures.js';
import { centreKey, GSI1, regionalKey } from '../persistence/table.js';
import { withOptimisticRetry } from '../persistence/transactions.js';
import { type BarredService, barsOf, type EnforcementKind, kindName, type Restriction } from './rules.js';

export const ENFORCEMENT_ITEM = 'ENFORCEMENT' as const;
/** Working days the second staff member has to confirm a record (DEMO: a centre's own standard). */
export const CONFIRMATION_WORKING_DAYS = 5;

export type EnforcementSubject =
  | { type: 'person'; personKey: string; idNumberMasked: string }
  | { type: 'employer'; uscc: string; usccMasked: string };

export interface EnforcementInput {
  subject: EnforcementSubject;
  kind: EnforcementKind;
  facts: string;
  evidenceRefs: string[];
  decisionDocumentNo: string;
  decisionDate: string;
  objection: string;
}

export interface PendingLift {
  requestedBy: string;
  requestedAt: string;
  reason: string;
}

export interface EnforcementRecord
  extends Pick<
    ApplicationBase,
    | 'PK'
    | 'SK'
    | 'GSI1PK'
    | 'GSI1SK'
    | 'applicationId'
    | 'city'
    | 'status'
    | 'acceptedAt'
    | 'acceptedBy'
    | 'committedDeadline'
    | 'committedWorkingDays'
    | 'version'
  > {
  kind: 'enforcement-record';
  itemCode: typeof ENFORCEMENT_ITEM;
  committedDeadlineCalendar: CalendarStatus;
  timeline: TimelineEntry[];
  record: EnforcementInput;
  /** Once confirmed: what every centre's decision reads. */
  restriction?: Restriction;
  pendingLift?: PendingLift | null;
  lifted?: PendingLift & { confirmedBy: string; confirmedAt: string };
  reasons?: Reason[];
}

export function enforcementRecordKey(city: CityCode, id: string) {
  return { PK: centreKey(city, 'ENFORCE'), SK: `RECORD#${id}` };
}

export function enforcementIdFor(city: CityCode, idempotencySeed: string): string {
  return `${city}-E-${idempotencySeed.slice(0, 16).toUpperCase()}`;
}

export function employerFlagKey(uscc: string) {
  return { PK: regionalKey('EMPFLAG', uscc.toUpperCase()), SK: 'ENTRY' };
}

/** The regional entry the record's subject is under. */
function regionalEntryKey(subject: EnforcementSubject) {
  return subject.type === 'person' ? violationKey(subject.personKey) : employerFlagKey(subject.uscc);
}

const attributeOf = (id: string) => `record#${id}`;

export async function getEnforcementRecord(
  repository: CentreRepository,
  id: string,
): Promise<EnforcementRecord | undefined> {
  return repository.get<EnforcementRecord & TableItem>(enforcementRecordKey(repository.city, id), {
    consistent: true,
  });
}

/** This centre's records, newest first. */
export async function listEnforcementRecords(repository: CentreRepository): Promise<EnforcementRecord[]> {
  const items = await repository.queryAll<EnforcementRecord & TableItem>(
    centreKey(repository.city, 'ENFORCE'),
    { sortKeyCondition: 'begins_with(SK, :record)', ExpressionAttributeValues: { ':record': 'RECORD#' } },
  );
  return items.sort((a, b) => (a.acceptedAt < b.acceptedAt ? 1 : -1));
}

/** Every confirmed record of every centre in a regional entry. */
function restrictionsIn(entry: TableItem | undefined): Restriction[] {
  if (!entry) return [];
  return Object.entries(entry)
    .filter(([name]) => name.startsWith('record#'))
    .map(([, value]) => value as Restriction)
    .sort((a, b) => (a.confirmedAt < b.confirmedAt ? -1 : 1));
}

/** The confirmed, unlifted records about a person, region-wide (a strongly consistent read). */
export async function restrictionsOfPerson(
  repository: CentreRepository,
  personKey: string,
): Promise<Restriction[]> {
  return restrictionsIn(await repository.get(violationKey(personKey), { consistent: true }));
}

/** The confirmed, unlifted records about an employer, region-wide. */
export async function flagsOfEmployer(repository: CentreRepository, uscc: string): Promise<Restriction[]> {
  return restrictionsIn(await repository.get(employerFlagKey(uscc), { consistent: true }));
}

/** A staff member records: pending until a second staff member of the centre confirms it. */
export async function recordEnforcement(
  repository: CentreRepository,
  input: EnforcementInput,
  staff: Staff,
  idempotencySeed: string,
  now: Date,
): Promise<{ replayed: boolean; record: EnforcementRecord }> {
  const city = repository.city;
  const id = enforcementIdFor(city, idempotencySeed);
  const existing = await getEnforcementRecord(repository, id);
  if (existing) return { replayed: true, record: existing };
  const deadline = committedDeadline(now, CONFIRMATION_WORKING_DAYS);
  const by = staffActor(staff);
  const record: EnforcementRecord = {
    ...enforcementRecordKey(city, id),
    GSI1PK: workQueueKey(city, 'pending_confirmation'),
    GSI1SK: `${deadline.deadline}#${id}`,
    applicationId: id,
    kind: 'enforcement-record',
    itemCode: ENFORCEMENT_ITEM,
    city,
    status: 'pending_confirmation',
    record: input,
    acceptedAt: now.toISOString(),
    acceptedBy: by,
    committedDeadline: deadline.deadline,
    committedDeadlineCalendar: deadline.calendar,
    committedWorkingDays: CONFIRMATION_WORKING_DAYS,
    timeline: [
      { status: 'pending_confirmation', at: now.toISOString(), by, note: 'recorded, awaiting confirmation' },
    ],
    version: 0,
  };
  try {
    await repository.transactWrite([
      { Put: { Item: record, ConditionExpression: 'attribute_not_exists(PK)' } },
      auditItem(city, {
        at: now,
        staff: staff.subject,
        action: 'record-enforcement',
        application: { applicationId: id, itemCode: ENFORCEMENT_ITEM },
        outcome: input.kind,
      }),
    ]);
  } catch (error) {
    // The same key raced itself: the first one stands.
    const first = await getEnforcementRecord(repository, id);
    if (first) return { replayed: true, record: first };
    throw error;
  }
  return { replayed: false, record };
}

async function loadOwn(repository: CentreRepository, id: string): Promise<EnforcementRecord> {
  const record = await getEnforcementRecord(repository, id);
  // Another centre's record is not found: its staff neither see its evidence nor act on it.
  if (!record) throw new DomainError('NOT_FOUND');
  return record;
}

/**
 * A second staff member of the recording centre confirms (the record takes effect region-wide,
 * with the bar its kind carries under the rule version of its decision date) or returns it with a
 * reason (it is refused and never takes effect). Nobody confirms their own record.
 */
export async function confirmEnforcement(
  repository: CentreRepository,
  id: string,
  staff: Staff,
  input: { confirm: boolean; reason?: string },
  now: Date,
): Promise<EnforcementRecord> {
  await withOptimisticRetry(async () => {
    const record = await loadOwn(repository, id);
    if (record.status !== 'pending_confirmation') {
      throw new DomainError('NOT_PENDING_CONFIRMATION', { applicationStatus: record.status });
    }
    if (record.acceptedBy === staffActor(staff)) throw new DomainError('OWN_DECISION');
    const audit = auditItem(repository.city, {
      at: now,
      staff: staff.subject,
      action: 'confirm-enforcement',
      application: { applicationId: id, itemCode: ENFORCEMENT_ITEM },
      outcome: input.confirm ? 'confirmed' : 'returned',
      ...(input.reason ? { reason: input.reason } : {}),
      decidedBy: record.acceptedBy,
    });
    if (!input.confirm) {
      await repository.transactWrite([
        {
          Update: applicationUpdate(record, {
            to: 'rejected',
            by: staffActor(staff),
            at: now,
            note: input.reason ?? 'returned',
          }),
        },
        audit,
      ]);
      return;
    }
    const bars = barsOf(record.record.kind, record.record.decisionDate);
    const restriction: Restriction = {
      recordId: id,
      city: repository.city,
      kind: record.record.kind,
      decisionDocumentNo: record.record.decisionDocumentNo,
      decisionDate: record.record.decisionDate,
      until: record.record.subject.type === 'person' ? bars.until : {},
      ruleVersion: bars.ruleVersion,
      objection: record.record.objection,
      confirmedAt: now.toISOString(),
    };
    await repository.transactWrite([
      {
        Update: applicationUpdate(record, {
          to: 'approved',
          by: staffActor(staff),
          at: now,
          note: 'confirmed: in force region-wide',
          sets: { restriction, confirmedBy: staffActor(staff), confirmedAt: now.toISOString() },
        }),
      },
      {
        Update: {
          Key: regionalEntryKey(record.record.subject),
          UpdateExpression: 'SET #record = :restriction',
          ExpressionAttributeNames: { '#record': attributeOf(id) },
          ExpressionAttributeValues: { ':restriction': restriction },
        },
      },
      audit,
    ]);
  });
  return loadOwn(repository, id);
}

/** A staff member asks to lift a record in force, with a reason: it stays in force until a second confirms. */
export async function requestLift(
  repository: CentreRepository,
  id: string,
  staff: Staff,
  reason: string,
  now: Date,
): Promise<EnforcementRecord> {
  await withOptimisticRetry(async () => {
    const record = await loadOwn(repository, id);
    if (record.status !== 'approved') {
      throw new DomainError('ENFORCEMENT_RECORD_NOT_IN_FORCE', { applicationStatus: record.status });
    }
    if (record.pendingLift) throw new DomainError('ENFORCEMENT_LIFT_PENDING');
    const pendingLift: PendingLift = {
      requestedBy: staffActor(staff),
      requestedAt: now.toISOString(),
      reason,
    };
    await repository.transactWrite([
      {
        Update: applicationUpdate(record, {
          by: staffActor(staff),
          at: now,
          note: 'lift requested, awaiting confirmation',
          sets: { pendingLift },
        }),
      },
      auditItem(repository.city, {
        at: now,
        staff: staff.subject,
        action: 'request-enforcement-lift',
        application: { applicationId: id, itemCode: ENFORCEMENT_ITEM },
        reason,
      }),
    ]);
  });
  return loadOwn(repository, id);
}

/**
 * A second staff member confirms the lift (the record stops restricting: its own regional
 * attribute is removed, other records about the person stay) or returns it (it stays in force).
 */
export async function confirmLift(
  repository: CentreRepository,
  id: string,
  staff: Staff,
  input: { confirm: boolean; reason?: string },
  now: Date,
): Promise<EnforcementRecord> {
  await withOptimisticRetry(async () => {
    const record = await loadOwn(repository, id);
    const pending = record.pendingLift;
    if (record.status !== 'approved' || !pending) throw new DomainError('ENFORCEMENT_NO_LIFT_PENDING');
    if (pending.requestedBy === staffActor(staff)) throw new DomainError('OWN_DECISION');
    const audit = auditItem(repository.city, {
      at: now,
      staff: staff.subject,
      action: 'confirm-enforcement-lift',
      application: { applicationId: id, itemCode: ENFORCEMENT_ITEM },
      outcome: input.confirm ? 'lifted' : 'returned',
      reason: input.reason ?? pending.reason,
      decidedBy: pending.requestedBy,
    });
    if (!input.confirm) {
      await repository.transactWrite([
        {
          Update: applicationUpdate(record, {
            by: staffActor(staff),
            at: now,
            note: `lift returned: ${input.reason ?? ''}`.trim(),
            sets: { pendingLift: null },
          }),
        },
        audit,
      ]);
      return;
    }
    const lifted = { ...pending, confirmedBy: staffActor(staff), confirmedAt: now.toISOString() };
    await repository.transactWrite([
      {
        Update: applicationUpdate(record, {
          to: 'withdrawn',
          by: staffActor(staff),
          at: now,
          note: 'lifted',
          sets: { lifted, pendingLift: null },
        }),
      },
      {
        Update: {
          Key: regionalEntryKey(record.record.subject),
          UpdateExpression: 'REMOVE #record',
          ExpressionAttributeNames: { '#record': attributeOf(id) },
        },
      },
      audit,
    ]);
  });
  return loadOwn(repository, id);
}

/** The recording centre's full view for its staff: facts and evidence included, keys not. */
export function staffView(record: EnforcementRecord) {
  const { PK: _pk, SK: _sk, GSI1PK: _q, GSI1SK: _d, record: input, ...rest } = record;
  const subject =
    input.subject.type === 'person'
      ? { type: 'person', idNumber: input.subject.idNumberMasked }
      : { type: 'employer', uscc: input.subject.usccMasked };
  return { recordId: record.applicationId, ...rest, record: { ...input, subject } };
}

// ------------------------------------------------------------------------------------------------
// What the citizen sees (PIPL Art. 44–45): read by API functions for the person themselves

/** The records restricting the person, as the person sees them: what, until when, whom to contact. */
export async function restrictionsForCitizen(personKey: string, now: Date) {
  const { Item } = await dynamoDocumentClient().send(
    new GetCommand({ TableName: tableName(), Key: violationKey(personKey), ConsistentRead: true }),
  );
  const today = toBeijingDate(now);
  return restrictionsIn(Item as TableItem | undefined).map((r) => ({
    recordId: r.recordId,
    city: r.city,
    contact: `${CITIES[r.city].nameZh}住房公积金管理中心 ${CITIES[r.city].nameEn} HPF centre`,
    kind: r.kind,
    kindName: kindName(r.kind),
    decisionDocumentNo: r.decisionDocumentNo,
    decisionDate: r.decisionDate,
    bars: (Object.entries(r.until) as [BarredService, string][]).map(([service, until]) => ({
      service,
      until,
      inForce: today < until,
    })),
    objection: r.objection,
    ruleVersion: r.ruleVersion,
    confirmedAt: r.confirmedAt,
  }));
}

/** Every disclosure any centre made about the person, newest first: who answered, who learnt what, when, why. */
export async function disclosuresForCitizen(personKey: string, options: { limit: number }) {
  const items = await queryAll(
    {
      TableName: tableName(),
      IndexName: GSI1.indexName,
      KeyConditionExpression: '#pk = :person',
      ExpressionAttributeNames: { '#pk': GSI1.partitionKey },
      ExpressionAttributeValues: { ':person': disclosedAboutKey(personKey) },
      ScanIndexForward: false,
    },
    { limit: options.limit },
  );
  return items.map((item) => ({
    disclosedAt: String(item.disclosedAt),
    // The owner of the partition `C#<city>#DISCLOSURE#…` answered.
    disclosedBy: item.PK.split('#')[1] as CityCode,
    learntBy: String(item.askedBy),
    purpose: String(item.purpose),
    applicationId: String(item.applicationId),
    fields: (item.fieldsDisclosed as string[] | undefined) ?? [],
  }));
}
