/**
 * Joint enforcement and transparency (issue 12, shared/enforcement/). Staff, own centre only, four eyes:
 *  POST /v1/staff/enforcement-records                          record a person or an employer (pending)
 *  GET  /v1/staff/enforcement-records                          the centre's own records
 *  GET  /v1/staff/enforcement-records/{id}                     one, with facts and evidence (own centre only)
 *  POST /v1/staff/enforcement-records/{id}/confirmation        a second staff member: in force region-wide, or returned
 *  POST /v1/staff/enforcement-records/{id}/lift                ask to lift it, with a reason
 *  POST /v1/staff/enforcement-records/{id}/lift/confirmation   a second staff member: lifted, or kept
 *  POST /v1/staff/enforcement-lookups                          region-wide records for a case in hand (audited)
 *  GET  /v1/staff/risk-cases                                   the centre's risk cases (one per case, raised once)
 * Citizen:
 *  GET  /v1/me/restrictions                                    what restricts me, until when, whom to contact
 *  GET  /v1/me/disclosures                                     which centre learnt which of my facts, when, why
 */
import type * as z from 'zod/mini';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import { lookupForCase } from '../../shared/enforcement/lookup.js';
import {
  confirmEnforcement,
  confirmLift,
  disclosuresForCitizen,
  type EnforcementSubject,
  getEnforcementRecord,
  listEnforcementRecords,
  recordEnforcement,
  requestLift,
  restrictionsForCitizen,
  staffView,
} from '../../shared/enforcement/records.js';
import { riskCasesOf } from '../../shared/enforcement/risk.js';
import {
  EMPLOYER_RECORD_KINDS,
  ENFORCEMENT_RULE_VERSIONS,
  PERSON_RECORD_KINDS,
} from '../../shared/enforcement/rules.js';
import { DomainError, invalidFields } from '../../shared/errors/domain-error.js';
import { byRoute, httpHandler } from '../../shared/http/handler.js';
import type { IdempotencyScope } from '../../shared/http/idempotency.js';
import { containsIdNumber, parseIdNumber } from '../../shared/identity/id-number.js';
import { maskIdNumber, maskUscc } from '../../shared/identity/mask.js';
import { personKey } from '../../shared/identity/person-key.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import {
  ConfirmationBody,
  DisclosuresQuery,
  LiftBody,
  LookupBody,
  RecordBody,
  RecordPath,
} from './contract.js';

function fieldError(field: string, code: string, zh: string, en: string) {
  return invalidFields([{ in: 'body', field, code, message: { 'zh-CN': zh, en } }]);
}

const record = httpHandler({
  role: 'staff',
  body: RecordBody,
  handle: async ({ body, caller, idempotency }) => {
    const now = new Date();
    const isPerson = 'idNumber' in body.subject;
    const kinds: readonly string[] = isPerson ? PERSON_RECORD_KINDS : EMPLOYER_RECORD_KINDS;
    if (!kinds.includes(body.kind)) {
      throw fieldError(
        'kind',
        'KIND_NOT_FOR_SUBJECT',
        isPerson ? '欠缴记录只适用于单位。' : '骗提、骗贷、违规提取记录只适用于个人。',
        isPerson ? 'Arrears are recorded against an employer.' : 'This kind is recorded against a person.',
      );
    }
    // People are keyed, never written in clear: not in the facts, the evidence or the document number.
    const texts: [string, string][] = [
      ['facts', body.facts],
      ['objection', body.objection],
      ['decisionDocument.number', body.decisionDocument.number],
      ...body.evidenceRefs.map((ref, i): [string, string] => [`evidenceRefs.${i}`, ref]),
    ];
    const withId = texts.find(([, text]) => containsIdNumber(text));
    if (withId) {
      throw fieldError(
        withId[0],
        'TEXT_CONTAINS_ID_NUMBER',
        '请勿在文字中填写身份证号码：当事人已由“subject”确定。',
        'Do not write an ID number in the text: the person is named by "subject".',
      );
    }
    const earliest = ENFORCEMENT_RULE_VERSIONS[0]?.effectiveFrom as string;
    if (body.decisionDocument.date < earliest) {
      throw fieldError(
        'decisionDocument.date',
        'DATE_BEFORE_REGULATIONS',
        `处理决定书日期早于《住房公积金管理条例》施行日（${earliest}），请核对。`,
        `The decision's date is before the Regulations took effect (${earliest}): please check it.`,
      );
    }
    const birthDate = 'idNumber' in body.subject ? parseIdNumber(body.subject.idNumber) : undefined;
    if (birthDate?.ok && body.decisionDocument.date < birthDate.value.birthDate) {
      throw fieldError(
        'decisionDocument.date',
        'DATE_BEFORE_BIRTH',
        '处理决定书日期早于当事人出生日期，请核对。',
        "The decision's date is before the person's birth: please check it.",
      );
    }
    if (body.decisionDocument.date > toBeijingDate(now)) {
      throw fieldError(
        'decisionDocument.date',
        'DATE_IN_FUTURE',
        `处理决定书日期（${body.decisionDocument.date}）晚于今天，请核对。`,
        `The decision's date (${body.decisionDocument.date}) is after today: please check it.`,
      );
    }
    const subject: EnforcementSubject =
      'idNumber' in body.subject
        ? {
            type: 'person',
            personKey: await personKey(body.subject.idNumber),
            idNumberMasked: maskIdNumber(body.subject.idNumber),
          }
        : { type: 'employer', uscc: body.subject.uscc, usccMasked: maskUscc(body.subject.uscc) };
    const { replayed, record } = await recordEnforcement(
      centreRepository(caller.city),
      {
        subject,
        kind: body.kind,
        facts: body.facts,
        evidenceRefs: body.evidenceRefs,
        decisionDocumentNo: body.decisionDocument.number,
        decisionDate: body.decisionDocument.date,
        objection: body.objection,
      },
      caller,
      (idempotency as IdempotencyScope).seed,
      now,
    );
    // The answer is kept for replays outside the centre's partition: no facts, no evidence in it (GET shows them).
    const { record: kept, ...view } = staffView(record);
    const { facts: _facts, evidenceRefs: _evidence, ...withoutFile } = kept;
    return {
      status: replayed ? 200 : 201,
      headers: { location: `/v1/staff/enforcement-records/${record.applicationId}` },
      body: { ...view, record: withoutFile },
    };
  },
});

const list = httpHandler({
  role: 'staff',
  handle: async ({ caller }) => {
    const records = await listEnforcementRecords(centreRepository(caller.city));
    return { status: 200, body: { city: caller.city, records: records.map(staffView) } };
  },
});

const show = httpHandler({
  role: 'staff',
  path: RecordPath,
  handle: async ({ path, caller }) => {
    const found = await getEnforcementRecord(centreRepository(caller.city), path.id);
    if (!found) throw new DomainError('NOT_FOUND');
    return { status: 200, body: staffView(found) };
  },
});

function reasonForReturn(body: z.output<typeof ConfirmationBody>) {
  if (body.outcome === 'return' && !body.reasonZh) {
    throw fieldError('reasonZh', 'REQUIRED', '退回须说明理由。', 'A return needs a reason.');
  }
  return { confirm: body.outcome === 'confirm', ...(body.reasonZh ? { reason: body.reasonZh } : {}) };
}

const confirm = httpHandler({
  role: 'staff',
  path: RecordPath,
  body: ConfirmationBody,
  handle: async ({ path, body, caller }) => {
    const input = reasonForReturn(body);
    const done = await confirmEnforcement(centreRepository(caller.city), path.id, caller, input, new Date());
    return { status: 200, body: staffView(done) };
  },
});

const lift = httpHandler({
  role: 'staff',
  path: RecordPath,
  body: LiftBody,
  handle: async ({ path, body, caller }) => {
    const done = await requestLift(centreRepository(caller.city), path.id, caller, body.reasonZh, new Date());
    return { status: 200, body: staffView(done) };
  },
});

const confirmLifting = httpHandler({
  role: 'staff',
  path: RecordPath,
  body: ConfirmationBody,
  handle: async ({ path, body, caller }) => {
    const input = reasonForReturn(body);
    const done = await confirmLift(centreRepository(caller.city), path.id, caller, input, new Date());
    return { status: 200, body: staffView(done) };
  },
});

const lookup = httpHandler({
  role: 'staff',
  body: LookupBody,
  handle: async ({ body, caller }) => ({
    status: 200,
    body: await lookupForCase(centreRepository(caller.city), body.applicationId, caller, new Date()),
  }),
});

const riskCases = httpHandler({
  role: 'staff',
  handle: async ({ caller }) => ({
    status: 200,
    body: { city: caller.city, cases: await riskCasesOf(centreRepository(caller.city)) },
  }),
});

const restrictions = httpHandler({
  role: 'citizen',
  handle: async ({ caller }) => {
    const now = new Date();
    return {
      status: 200,
      body: { restrictions: await restrictionsForCitizen(await personKey(caller.idNumber), now) },
    };
  },
});

const disclosures = httpHandler({
  role: 'citizen',
  query: DisclosuresQuery,
  handle: async ({ caller, query }) => ({
    status: 200,
    body: {
      disclosures: await disclosuresForCitizen(await personKey(caller.idNumber), { limit: query.limit }),
    },
  }),
});

export const handler = byRoute({
  'POST /v1/staff/enforcement-records': record,
  'GET /v1/staff/enforcement-records': list,
  'GET /v1/staff/enforcement-records/{id}': show,
  'POST /v1/staff/enforcement-records/{id}/confirmation': confirm,
  'POST /v1/staff/enforcement-records/{id}/lift': lift,
  'POST /v1/staff/enforcement-records/{id}/lift/confirmation': confirmLifting,
  'POST /v1/staff/enforcement-lookups': lookup,
  'GET /v1/staff/risk-cases': riskCases,
  'GET /v1/me/restrictions': restrictions,
  'GET /v1/me/disclosures': disclosures,
});
