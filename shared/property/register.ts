/**
 * The property register (网签备案登记) of one property city: the online-signing records of home
 * sales, the source of a purchase withdrawal's property facts (DESIGN.md §2b "Property facts are
 * fetched"). The applicant names a record; the property city answers from here.
 *
 * Record (property city P): `C#P#PROPREG#<网签备案号, upper case>` / `RECORD`. Buyers are kept as
 * person keys (HMAC of the ID number) with the masked ID number for display; no ID number in clear.
 * Each buyer has an index row `C#P#PROPBUYER#<personKey>` / `RECORD#<网签备案号>` carrying the record's
 * status, written in the same transaction as the record (and updated with it, on confirmation and
 * cancellation): a rent withdrawal asks the deposit city's register which homes a person owns.
 *
 * Where records come from:
 * - `housing-authority`: in AWS a centre's integration job reads its housing authority's 网签备案
 *   feed and writes each record with `fileHousingAuthorityRecord` (filed, or cancelled on 撤销备案);
 *   the local region seeds demo records the same way (infra/local/demo-properties.ts).
 * - `paper`: where the authority has no online link, the centre's staff enter the record from the
 *   paper contract (`enterPaperRecord`); it is `pending` and answers nothing until a second staff
 *   member of the centre confirms it (`confirmPaperRecord`, four eyes), each step audited in the
 *   same transaction. Staff of the centre mark a record cancelled (撤销备案, `cancelRecord`) on the
 *   housing authority's notice: it then refuses every later purchase withdrawal on it; one staff
 *   member suffices, since a cancellation can only stop money, never move it.
 */
import { auditItem } from '../applications/audit.js';
import { type Staff, staffActor } from '../applications/kernel.js';
import type { CityCode } from '../config/cities.js';
import { raiseCancelledAfterWithdrawal } from '../enforcement/risk.js';
import { DomainError } from '../errors/domain-error.js';
import { type MessageOf, newMessage, type PropertyFacts } from '../messaging/envelope.js';
import type { CentreRepository, TransactItem } from '../persistence/centre-repository.js';
import { recordDisclosure } from '../persistence/disclosures.js';
import { centreKey, regionalKey } from '../persistence/table.js';

export type PropertyRecordStatus = 'pending' | 'filed' | 'cancelled';
export type PropertyRecordSource = 'housing-authority' | 'paper';

export interface PropertyBuyer {
  personKey: string;
  idNumberMasked: string;
}

export interface PropertyRecord {
  PK: string;
  SK: 'RECORD';
  kind: 'property-record';
  onlineSigningNo: string;
  city: CityCode;
  contractDate: string;
  /** 网签备案价: the cap of all buyers' purchase withdrawals together. */
  registeredPriceFen: number;
  buyers: PropertyBuyer[];
  status: PropertyRecordStatus;
  source: PropertyRecordSource;
  /** Paper records: the contract's reference in the centre's file (档案号). */
  evidenceRef?: string;
  enteredBy: string;
  enteredAt: string;
  confirmedBy?: string;
  confirmedAt?: string;
  cancelledAt?: string;
  cancelledBy?: string;
  /** The housing authority's notice of cancellation. */
  cancellationRef?: string;
}

/** One record whatever the case it is typed in (xz2026-001234 is XZ2026-001234). */
export function normaliseOnlineSigningNo(onlineSigningNo: string): string {
  return onlineSigningNo.toUpperCase();
}

export function propertyRecordKey(city: CityCode, onlineSigningNo: string) {
  return { PK: centreKey(city, 'PROPREG', normaliseOnlineSigningNo(onlineSigningNo)), SK: 'RECORD' as const };
}

/** The regional tally of what all buyers withdrew on a record (written by the withdrawals, shared/withdrawals/). */
export function propertyTallyKey(city: CityCode, onlineSigningNo: string) {
  return {
    PK: regionalKey('PROPERTY', city, normaliseOnlineSigningNo(onlineSigningNo)),
    SK: 'WITHDRAWN' as const,
  };
}

/**
 * Risk check: a record cancelled (撤销备案) after a purchase withdrawal was paid on it raises one case
 * in the property city's queue and in each paying centre's, once per record.
 */
async function raiseIfPaidOn(repository: CentreRepository, onlineSigningNo: string, now: Date) {
  const tally = await repository.get(propertyTallyKey(repository.city, onlineSigningNo), {
    consistent: true,
  });
  const paidBy = [...((tally?.paidBy as Set<string> | undefined) ?? [])];
  if (Number(tally?.withdrawnFen ?? 0) <= 0 || paidBy.length === 0) return;
  await raiseCancelledAfterWithdrawal(
    repository,
    {
      propertyCity: repository.city,
      onlineSigningNo: normaliseOnlineSigningNo(onlineSigningNo),
      withdrawnFen: Number(tally?.withdrawnFen),
      paidBy: paidBy.map((entry) => {
        const [city, withdrawalId] = entry.split('#') as [CityCode, string];
        return { city, withdrawalId };
      }),
    },
    now,
  );
}

/** A buyer's row of the index by buyer: one per record that names the person. */
export function buyerIndexKey(city: CityCode, personKey: string, onlineSigningNo: string) {
  return {
    PK: centreKey(city, 'PROPBUYER', personKey),
    SK: `RECORD#${normaliseOnlineSigningNo(onlineSigningNo)}`,
  };
}

function buyerIndexPuts(record: PropertyRecord): TransactItem[] {
  return record.buyers.map((buyer) => ({
    Put: {
      Item: {
        ...buyerIndexKey(record.city, buyer.personKey, record.onlineSigningNo),
        onlineSigningNo: record.onlineSigningNo,
        status: record.status,
      },
    },
  }));
}

/** The buyers' rows follow the record's new status. */
function buyerIndexStatusUpdates(record: PropertyRecord, status: PropertyRecordStatus): TransactItem[] {
  return record.buyers.map((buyer) => ({
    Update: {
      Key: buyerIndexKey(record.city, buyer.personKey, record.onlineSigningNo),
      UpdateExpression: 'SET #status = :status, onlineSigningNo = :no',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status, ':no': record.onlineSigningNo },
    },
  }));
}

/** The filed records of this city's register that name the person as a buyer (网签备案号s). */
export async function filedRecordsOfBuyer(
  repository: CentreRepository,
  personKey: string,
): Promise<string[]> {
  const rows = await repository.queryAll(centreKey(repository.city, 'PROPBUYER', personKey), {
    sortKeyCondition: 'begins_with(SK, :record)',
    ExpressionAttributeValues: { ':record': 'RECORD#' },
    ConsistentRead: true,
  });
  return rows.filter((row) => row.status === 'filed').map((row) => String(row.onlineSigningNo));
}

export async function getPropertyRecord(
  repository: CentreRepository,
  onlineSigningNo: string,
): Promise<PropertyRecord | undefined> {
  return repository.get<PropertyRecord & Record<string, unknown>>(
    propertyRecordKey(repository.city, onlineSigningNo),
    { consistent: true },
  );
}

export interface PropertyRecordInput {
  onlineSigningNo: string;
  contractDate: string;
  registeredPriceFen: number;
  buyers: PropertyBuyer[];
}

function newRecord(
  city: CityCode,
  input: PropertyRecordInput,
  fields: Pick<PropertyRecord, 'status' | 'source' | 'enteredBy' | 'enteredAt'> & { evidenceRef?: string },
): PropertyRecord {
  return {
    ...propertyRecordKey(city, input.onlineSigningNo),
    kind: 'property-record',
    onlineSigningNo: normaliseOnlineSigningNo(input.onlineSigningNo),
    city,
    contractDate: input.contractDate,
    registeredPriceFen: input.registeredPriceFen,
    buyers: input.buyers,
    ...fields,
  };
}

/** A housing authority's record as its feed states it: filed, or cancelled (撤销备案); the feed's word stands. */
export async function fileHousingAuthorityRecord(
  repository: CentreRepository,
  input: PropertyRecordInput & { status: 'filed' | 'cancelled' },
  now: Date,
): Promise<PropertyRecord> {
  const record = newRecord(repository.city, input, {
    status: input.status,
    source: 'housing-authority',
    enteredBy: 'housing-authority',
    enteredAt: now.toISOString(),
  });
  // A re-filed record may name other buyers: the former ones' rows go with the same write.
  const former = await getPropertyRecord(repository, input.onlineSigningNo);
  const kept = new Set(record.buyers.map((buyer) => buyer.personKey));
  await repository.transactWrite([
    { Put: { Item: record } },
    ...buyerIndexPuts(record),
    ...(former?.buyers ?? [])
      .filter((buyer) => !kept.has(buyer.personKey))
      .map((buyer) => ({
        Delete: { Key: buyerIndexKey(record.city, buyer.personKey, record.onlineSigningNo) },
      })),
  ]);
  if (record.status === 'cancelled') await raiseIfPaidOn(repository, record.onlineSigningNo, now);
  return record;
}

const PROPERTY_ITEM = 'PURCHASE_WITHDRAW' as const;

/** The audit names the record where an application's id would be. */
function auditSubject(onlineSigningNo: string) {
  return { applicationId: `PROPREG#${normaliseOnlineSigningNo(onlineSigningNo)}`, itemCode: PROPERTY_ITEM };
}

/** Staff enter a record from the paper contract: pending until a second staff member confirms it. */
export async function enterPaperRecord(
  repository: CentreRepository,
  input: PropertyRecordInput & { evidenceRef: string },
  staff: Staff,
  now: Date,
): Promise<PropertyRecord> {
  const record = newRecord(repository.city, input, {
    status: 'pending',
    source: 'paper',
    evidenceRef: input.evidenceRef,
    enteredBy: staffActor(staff),
    enteredAt: now.toISOString(),
  });
  try {
    await repository.transactWrite([
      { Put: { Item: record, ConditionExpression: 'attribute_not_exists(PK)' } },
      ...buyerIndexPuts(record),
      auditItem(repository.city, {
        at: now,
        staff: staff.subject,
        action: 'enter-property-record',
        application: auditSubject(record.onlineSigningNo),
        amountFen: record.registeredPriceFen,
      }),
    ]);
  } catch (error) {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    if (reasons?.[0]?.Code === 'ConditionalCheckFailed') {
      throw new DomainError('PROPERTY_RECORD_EXISTS', { onlineSigningNo: record.onlineSigningNo });
    }
    throw error;
  }
  return record;
}

/** A second staff member of the centre confirms a paper record: it is filed and answers from now on. */
export async function confirmPaperRecord(
  repository: CentreRepository,
  onlineSigningNo: string,
  staff: Staff,
  now: Date,
): Promise<PropertyRecord> {
  const record = await getPropertyRecord(repository, onlineSigningNo);
  if (!record) throw new DomainError('NOT_FOUND');
  if (record.status !== 'pending') {
    throw new DomainError('NOT_PENDING_CONFIRMATION', { recordStatus: record.status });
  }
  if (record.enteredBy === staffActor(staff)) throw new DomainError('OWN_DECISION');
  const confirmed = {
    ...record,
    status: 'filed' as const,
    confirmedBy: staffActor(staff),
    confirmedAt: now.toISOString(),
  };
  try {
    await repository.transactWrite([
      {
        Update: {
          Key: { PK: record.PK, SK: record.SK },
          UpdateExpression: 'SET #status = :filed, confirmedBy = :by, confirmedAt = :at',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':filed': 'filed',
            ':pending': 'pending',
            ':by': confirmed.confirmedBy,
            ':at': confirmed.confirmedAt,
          },
        },
      },
      ...buyerIndexStatusUpdates(record, 'filed'),
      auditItem(repository.city, {
        at: now,
        staff: staff.subject,
        action: 'confirm-property-record',
        application: auditSubject(record.onlineSigningNo),
        outcome: 'filed',
        amountFen: record.registeredPriceFen,
        decidedBy: record.enteredBy,
      }),
    ]);
  } catch (error) {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    // Another staff member confirmed it meanwhile.
    if (reasons?.[0]?.Code === 'ConditionalCheckFailed') throw new DomainError('NOT_PENDING_CONFIRMATION');
    throw error;
  }
  return confirmed;
}

/** Staff mark a record cancelled (撤销备案) on the housing authority's notice; once. */
export async function cancelRecord(
  repository: CentreRepository,
  onlineSigningNo: string,
  cancellation: { reason: string; evidenceRef: string },
  staff: Staff,
  now: Date,
): Promise<PropertyRecord> {
  const record = await getPropertyRecord(repository, onlineSigningNo);
  if (!record) throw new DomainError('NOT_FOUND');
  if (record.status === 'cancelled') {
    // A cancellation that crashed before its risk check: asking again raises it (once, it is idempotent).
    await raiseIfPaidOn(repository, onlineSigningNo, now);
    throw new DomainError('PROPERTY_RECORD_CANCELLED');
  }
  const cancelled = {
    ...record,
    status: 'cancelled' as const,
    cancelledAt: now.toISOString(),
    cancelledBy: staffActor(staff),
    cancellationRef: cancellation.evidenceRef,
  };
  try {
    await repository.transactWrite([
      {
        Update: {
          Key: { PK: record.PK, SK: record.SK },
          UpdateExpression:
            'SET #status = :cancelled, cancelledAt = :at, cancelledBy = :by, cancellationRef = :ref',
          ConditionExpression: '#status = :seen',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':cancelled': 'cancelled',
            ':seen': record.status,
            ':at': cancelled.cancelledAt,
            ':by': cancelled.cancelledBy,
            ':ref': cancelled.cancellationRef,
          },
        },
      },
      ...buyerIndexStatusUpdates(record, 'cancelled'),
      auditItem(repository.city, {
        at: now,
        staff: staff.subject,
        action: 'cancel-property-record',
        application: auditSubject(record.onlineSigningNo),
        outcome: 'cancelled',
        reason: cancellation.reason,
      }),
    ]);
  } catch (error) {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    // Confirmed or cancelled meanwhile: ask again on what it is now.
    if (reasons?.[0]?.Code === 'ConditionalCheckFailed') throw new DomainError('CONCURRENT_UPDATE');
    throw error;
  }
  await raiseIfPaidOn(repository, onlineSigningNo, now);
  return cancelled;
}

/**
 * What a purchase decision needs of a record, for the person asking: a pending paper record is
 * not in effect, so it is not found yet; someone not among its buyers learns only that.
 */
export function propertyFactsOf(record: PropertyRecord | undefined, personKey: string): PropertyFacts {
  if (!record || record.status === 'pending') return { found: false };
  if (!record.buyers.some((buyer) => buyer.personKey === personKey)) {
    return { found: true, applicantIsBuyer: false };
  }
  return {
    found: true,
    status: record.status,
    contractDate: record.contractDate,
    registeredPriceFen: record.registeredPriceFen,
    applicantIsBuyer: true,
    buyerCount: record.buyers.length,
  };
}

/** The property city answers from its register only, records the disclosure, and makes the reply. */
export async function answerPropertyFactsRequest(
  request: MessageOf<'property-facts-request'>,
  repository: CentreRepository,
  now = new Date(),
): Promise<MessageOf<'property-facts-reply'>> {
  const { applicationId, onlineSigningNo, personKey } = request.payload;
  const property = propertyFactsOf(await getPropertyRecord(repository, onlineSigningNo), personKey);
  await recordDisclosure(repository, request, Object.keys(property), now);
  return newMessage(
    'property-facts-reply',
    {
      from: repository.city,
      to: request.from,
      correlationId: request.correlationId,
      deadline: new Date(request.deadline),
      now,
    },
    { inReplyTo: request.requestId, payload: { applicationId, onlineSigningNo, property } },
  );
}
