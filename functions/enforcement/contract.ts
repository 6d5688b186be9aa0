/** Joint enforcement (联合执法) and what the citizen may see of it: staff records with four eyes, look-ups, risk cases. */
import * as z from 'zod/mini';
import { type HandlerContract, jsonObject, recordId } from '../../shared/contract/route-contract.js';
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

const record = (description: string) => ({ status: 200, description, schema: jsonObject }) as const;

export const CONTRACT = {
  'POST /v1/staff/enforcement-records': {
    summary:
      'Record a violation of a person or an employer (执法记录): in force once a second staff member confirms',
    body: RecordBody,
    response: { status: 201, description: 'The record, waiting for its confirmation', schema: jsonObject },
  },
  'GET /v1/staff/enforcement-records': {
    summary: "The centre's own enforcement records",
    body: null,
    response: record('The records, newest first'),
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
    response: record('The restrictions in force from every centre, without their evidence'),
    problems: ['NOT_FOUND', 'ENFORCEMENT_LOOKUP_CASE_CLOSED'],
  },
  'GET /v1/staff/risk-cases': {
    summary: "The centre's cross-centre risk cases (风险核查), one per case",
    body: null,
    response: record('The risk cases'),
  },
  'GET /v1/me/restrictions': {
    summary: 'What restricts me, until when, and which centre to contact',
    body: null,
    response: record('The restrictions in force'),
  },
  'GET /v1/me/disclosures': {
    summary: 'Which centre learnt which of my facts, when, for which application',
    body: null,
    query: DisclosuresQuery,
    response: record('The disclosures, newest first'),
  },
} satisfies HandlerContract;
