/** The property register (网签备案): paper records entered by the property city's staff, four eyes. */
import * as z from 'zod/mini';
import { cityCode, fen, isoDate, isoDateTime, maskedIdNumber } from '../../shared/contract/answers.js';
import type { HandlerContract } from '../../shared/contract/route-contract.js';
import { cityField, idNumberField, textField } from '../../shared/http/fields.js';

const onlineSigningNo = z.string().check(z.regex(/^[A-Za-z0-9-]{6,40}$/));

export const PropertyRecordPath = z.strictObject({ onlineSigningNo });
export const PropertyRecordBody = z.strictObject({
  onlineSigningNo,
  city: cityField,
  contractDate: z.iso.date(),
  registeredPriceFen: z.int().check(z.minimum(1), z.maximum(9_999_999_999_999)),
  buyers: z.array(z.strictObject({ idNumber: idNumberField })).check(z.minLength(1), z.maxLength(10)),
  /** Where the paper contract is filed (档案号). */
  evidenceRef: textField(120),
});
export const PropertyCancellationBody = z.strictObject({
  reasonZh: textField(500),
  evidenceRef: textField(120),
});

/** An online-signing record (网签备案) as staff see it: the buyers by masked ID number only. */
const PropertyRecordAnswer = z
  .looseObject({
    kind: z.literal('property-record'),
    onlineSigningNo: z.string(),
    city: cityCode,
    contractDate: isoDate,
    /** 网签备案价: the cap of all buyers' purchase withdrawals together. */
    registeredPriceFen: fen,
    /** By masked ID number only: never their person key. */
    buyers: z.array(z.strictObject({ idNumber: maskedIdNumber })),
    /** `pending` until a second staff member confirms a paper record; `cancelled` (撤销备案) stops withdrawals. */
    status: z.enum(['pending', 'filed', 'cancelled']),
    source: z.enum(['housing-authority', 'paper']),
    evidenceRef: z.optional(z.string()),
    enteredBy: z.string(),
    enteredAt: isoDateTime,
    confirmedBy: z.optional(z.string()),
    confirmedAt: z.optional(isoDateTime),
    cancelledBy: z.optional(z.string()),
    cancelledAt: z.optional(isoDateTime),
    cancellationRef: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: 'PropertyRecord' });
const record = {
  status: 200,
  description: 'The record, buyers masked',
  schema: PropertyRecordAnswer,
} as const;

export const CONTRACT = {
  'POST /v1/staff/property-records': {
    summary: 'Enter a paper online-signing record (网签备案) where the register has no link',
    body: PropertyRecordBody,
    response: { ...record, status: 201, description: 'The record, pending a second staff member' },
    problems: ['NOT_PROPERTY_CITY_STAFF', 'PROPERTY_RECORD_EXISTS'],
  },
  'GET /v1/staff/property-records/{onlineSigningNo}': {
    summary: 'A record of the centre’s register',
    body: null,
    path: PropertyRecordPath,
    response: record,
    problems: ['NOT_FOUND'],
  },
  'POST /v1/staff/property-records/{onlineSigningNo}/confirmation': {
    summary: 'A second staff member confirms an entered record (复核)',
    body: null,
    path: PropertyRecordPath,
    response: record,
    problems: ['NOT_FOUND', 'OWN_DECISION', 'NOT_PENDING_CONFIRMATION'],
  },
  'POST /v1/staff/property-records/{onlineSigningNo}/cancellation': {
    summary: 'Cancel a record (撤销备案)',
    body: PropertyCancellationBody,
    path: PropertyRecordPath,
    response: record,
    problems: ['NOT_FOUND', 'PROPERTY_RECORD_CANCELLED'],
  },
} satisfies HandlerContract;
