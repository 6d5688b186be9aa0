/** Joint enforcement (联合执法) and what the citizen may see of it: staff records with four eyes, look-ups, risk cases. */
import * as z from 'zod/mini';
import {
  applicationStatus,
  calendarStatus,
  cityCode,
  isoDate,
  isoDateTime,
  localisedMessage,
  maskedIdNumber,
  maskedUscc,
  reason,
  timelineEntry,
} from '../../shared/contract/answers.js';
import { type HandlerContract, recordId } from '../../shared/contract/route-contract.js';
import { EMPLOYER_RECORD_KINDS, PERSON_RECORD_KINDS } from '../../shared/enforcement/rules.js';
import { idNumberField, textField, usccField } from '../../shared/http/fields.js';

export const RecordPath = z.strictObject({ id: z.string().check(z.regex(/^[0-9]{6}-E-[A-F0-9]{16}$/)) });

export const RecordBody = z.strictObject({
  /** A person by ID number, or an employer by 统一社会信用代码: never both. */
  subject: z.union([z.strictObject({ idNumber: idNumberField }), z.strictObject({ uscc: usccField })]),
  kind: z.enum([...PERSON_RECORD_KINDS, ...EMPLOYER_RECORD_KINDS]),
  facts: textField(2000),
  /** References to the evidence in the centre's file (卷宗号…): shown to the recording centre's staff only. */
  evidenceRefs: z.array(textField(120)).check(z.minLength(1), z.maxLength(20)),
  /** 处理决定书: its number and date (the bar runs from it). */
  decisionDocument: z.strictObject({ number: textField(120), date: z.iso.date() }),
  /** How to object (PIPL Art. 46; 申请复核、行政复议或行政诉讼): shown to the person. */
  objection: textField(500),
});

export const ConfirmationBody = z.strictObject({
  outcome: z.enum(['confirm', 'return']),
  reasonZh: z.optional(textField(500)),
});

export const LiftBody = z.strictObject({ reasonZh: textField(500) });

export const LookupBody = z.strictObject({ applicationId: recordId });

export const DisclosuresQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(500)), 100),
});

const recordKind = z.enum([...PERSON_RECORD_KINDS, ...EMPLOYER_RECORD_KINDS]);
const enforcementId = z.string().check(z.regex(/^[0-9]{6}-E-[A-F0-9]{16}$/));
/** Until when each service is barred (禁止期限), by service. */
const until = z.looseObject({ withdrawals: z.optional(isoDate), loans: z.optional(isoDate) });
/** What every centre's decision reads once a record is confirmed: never facts or evidence. */
const Restriction = z.looseObject({
  recordId: enforcementId,
  city: cityCode,
  kind: recordKind,
  ruleVersion: z.string(),
  decisionDocumentNo: z.string(),
  decisionDate: isoDate,
  until,
  confirmedAt: isoDateTime,
  objection: z.string(),
});
const lift = z.looseObject({ requestedBy: z.string(), requestedAt: isoDateTime, reason: z.string() });
/** The subject masked: a person's ID number or an employer's credit code. */
const subject = z.union([
  z.strictObject({ type: z.literal('person'), idNumber: maskedIdNumber }),
  z.strictObject({ type: z.literal('employer'), uscc: maskedUscc }),
]);
const recordMembers = {
  subject,
  kind: recordKind,
  decisionDocumentNo: z.string(),
  decisionDate: isoDate,
  objection: z.string(),
};
/** An enforcement record (执法记录) as the recording centre's staff see it, facts and evidence included. */
const RecordAnswer = z
  .looseObject({
    recordId: enforcementId,
    applicationId: enforcementId,
    kind: z.literal('enforcement-record'),
    itemCode: z.literal('ENFORCEMENT'),
    city: cityCode,
    status: applicationStatus.check(
      z.describe('pending_confirmation → approved (in force) | rejected (returned); withdrawn: lifted'),
    ),
    acceptedAt: isoDateTime,
    acceptedBy: z.string(),
    committedDeadline: isoDateTime,
    committedDeadlineCalendar: calendarStatus,
    timeline: z.array(timelineEntry),
    version: z.int(),
    record: z.looseObject({ ...recordMembers, facts: z.string(), evidenceRefs: z.array(z.string()) }),
    restriction: z.optional(Restriction),
    pendingLift: z.optional(z.nullable(lift)),
    lifted: z.optional(z.extend(lift, { confirmedBy: z.string(), confirmedAt: isoDateTime })),
    reasons: z.optional(z.array(reason)),
  })
  .register(z.globalRegistry, { id: 'EnforcementRecord' });
/** The answer to the recording, kept for replays outside the centre's partition: no facts, no evidence. */
const RecordedAnswer = z.extend(RecordAnswer, { record: z.looseObject(recordMembers) });
const record = (description: string) => ({ status: 200, description, schema: RecordAnswer }) as const;

export const CONTRACT = {
  'POST /v1/staff/enforcement-records': {
    summary:
      'Record a violation of a person or an employer (执法记录): in force once a second staff member confirms',
    body: RecordBody,
    response: {
      status: 201,
      description: 'The record, waiting for its confirmation (facts and evidence: GET it)',
      schema: RecordedAnswer,
    },
    otherResponses: [
      { status: 200, description: 'The same record, when the key was seen before', schema: RecordedAnswer },
    ],
  },
  'GET /v1/staff/enforcement-records': {
    summary: "The centre's own enforcement records",
    body: null,
    response: {
      status: 200,
      description: 'The records, newest first',
      schema: z.looseObject({ city: cityCode, records: z.array(RecordAnswer) }),
    },
  },
  'GET /v1/staff/enforcement-records/{id}': {
    summary: 'One record with its facts and evidence references (the recording centre only)',
    body: null,
    path: RecordPath,
    response: record('The record'),
    problems: ['NOT_FOUND'],
  },
  'POST /v1/staff/enforcement-records/{id}/confirmation': {
    summary: 'A second staff member confirms a record (in force region-wide) or returns it (复核)',
    body: ConfirmationBody,
    path: RecordPath,
    response: record('The record, in force or returned'),
    problems: ['NOT_FOUND', 'OWN_DECISION', 'NOT_PENDING_CONFIRMATION'],
  },
  'POST /v1/staff/enforcement-records/{id}/lift': {
    summary: 'Ask to lift a record in force, with a reason',
    body: LiftBody,
    path: RecordPath,
    response: record('The record, its lift waiting for confirmation'),
    problems: ['NOT_FOUND', 'ENFORCEMENT_RECORD_NOT_IN_FORCE', 'ENFORCEMENT_LIFT_PENDING'],
  },
  'POST /v1/staff/enforcement-records/{id}/lift/confirmation': {
    summary: 'A second staff member confirms the lift (no longer in force) or keeps the record',
    body: ConfirmationBody,
    path: RecordPath,
    response: record('The record, lifted or kept'),
    problems: ['NOT_FOUND', 'OWN_DECISION', 'ENFORCEMENT_NO_LIFT_PENDING'],
  },
  'POST /v1/staff/enforcement-lookups': {
    summary: 'The region-wide records of the applicant of a case the centre is handling (audited)',
    body: LookupBody,
    response: {
      status: 200,
      description: 'The restrictions in force from every centre, without their facts or evidence',
      schema: z.looseObject({
        applicationId: recordId,
        applicant: z.array(
          z.looseObject({
            recordId: enforcementId,
            city: cityCode,
            kind: recordKind,
            until,
            confirmedAt: isoDateTime,
          }),
        ),
        lookedUpAt: isoDateTime,
      }),
    },
    problems: ['NOT_FOUND', 'ENFORCEMENT_LOOKUP_CASE_CLOSED'],
  },
  'GET /v1/staff/risk-cases': {
    summary: "The centre's cross-centre risk cases (风险核查), one per case",
    body: null,
    response: {
      status: 200,
      description: 'The risk cases, each raised once per case and centre',
      schema: z.looseObject({
        city: cityCode,
        cases: z.array(
          z.looseObject({
            caseId: z.string(),
            check: z.enum([
              'deposit-base-raised',
              'record-cancelled-after-withdrawal',
              'duplicate-deposit',
              'loan-facts-changed',
            ]),
            status: z.string(),
            applicationId: z.optional(recordId),
            cities: z.array(cityCode),
            raisedAt: isoDateTime,
            details: z
              .looseObject({})
              .check(z.describe('What the check found; its members depend on the check')),
          }),
        ),
      }),
    },
  },
  'GET /v1/me/restrictions': {
    summary: 'What restricts me, until when, and which centre to contact',
    body: null,
    response: {
      status: 200,
      description: 'The restrictions in force: what is barred until when, and which centre to contact',
      schema: z.looseObject({
        restrictions: z.array(
          z.looseObject({
            recordId: enforcementId,
            city: cityCode,
            contact: z.string(),
            kind: recordKind,
            kindName: localisedMessage,
            decisionDocumentNo: z.string(),
            decisionDate: isoDate,
            bars: z.array(
              z.looseObject({
                service: z.enum(['withdrawals', 'loans']),
                until: isoDate,
                inForce: z.boolean(),
              }),
            ),
            objection: z.string(),
          }),
        ),
      }),
    },
  },
  'GET /v1/me/disclosures': {
    summary: 'Which centre learnt which of my facts, when, for which application',
    body: null,
    query: DisclosuresQuery,
    response: {
      status: 200,
      description: 'The disclosures (信息披露), newest first: which centre learnt which fields, for what',
      schema: z.looseObject({
        disclosures: z.array(
          z.looseObject({
            disclosedAt: isoDateTime,
            disclosedBy: cityCode,
            learntBy: cityCode,
            purpose: z.string(),
            applicationId: recordId,
            fields: z.array(z.string()),
          }),
        ),
      }),
    },
  },
} satisfies HandlerContract;
