/**
 * The staff desk's joint enforcement (联合惩戒): records of a person or an employer, in force
 * region-wide once a second staff member confirms (复核); a lift asked by one and confirmed by
 * another; the region-wide look-up for a case in hand; the centre's risk cases (风险核查).
 * functions/enforcement.
 */
import { useEffect, useState } from 'preact/hooks';
import { asProblem, type Problem } from '../api.js';
import { type Ctx, useLoad, useResendKey } from '../context.js';
import { Timeline } from '../follow.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { Button, DateText, Facts, Field, Loading, Page, ProblemBox, Table } from '../ui.js';
import { fieldMessage, lines, textArea, textInput } from './property.js';
import { cityName } from './public.js';

const KIND: Record<string, [string, string]> = {
  'fraudulent-withdrawal': ['骗提', 'fraudulent withdrawal'],
  'fraudulent-loan': ['骗贷', 'fraudulent loan'],
  'improper-withdrawal': ['违规提取', 'improper withdrawal'],
  'employer-arrears': ['欠缴', 'employer arrears'],
  other: ['其他', 'other'],
};
const PERSON_KINDS = ['fraudulent-withdrawal', 'fraudulent-loan', 'improper-withdrawal', 'other'];
const EMPLOYER_KINDS = ['employer-arrears', 'other'];
const kindText = (kind: string) => t(...(KIND[kind] ?? [kind, kind]));

/** The kernel's statuses as this record reads them. */
const STATUS: Record<string, [string, string]> = {
  pending_confirmation: ['待复核', 'awaiting the second confirmation'],
  approved: ['在效', 'in force'],
  rejected: ['已退回', 'returned'],
  withdrawn: ['已解除', 'lifted'],
};
const statusText = (status: string) => t(...(STATUS[status] ?? [status, status]));

const CHECK: Record<string, [string, string]> = {
  'deposit-base-raised': ['缴存基数异常上调', 'deposit base raised'],
  'record-cancelled-after-withdrawal': ['提取后撤销网签备案', 'record cancelled after a withdrawal'],
  'duplicate-deposit': ['多地重复缴存', 'deposits in two cities'],
  'loan-facts-changed': ['贷款审批信息变化', 'loan facts changed'],
};

type Subject = { type: 'person'; idNumber: string } | { type: 'employer'; uscc: string };
type Lift = { requestedBy: string; requestedAt: string; reason: string };
type EnforcementRecord = {
  recordId: string;
  status: string;
  acceptedAt: string;
  acceptedBy: string;
  timeline: { status: string; at: string; by: string; note?: string }[];
  record: {
    subject: Subject;
    kind: string;
    decisionDocumentNo: string;
    decisionDate: string;
    objection: string;
    facts?: string;
    evidenceRefs?: string[];
  };
  restriction?: { until: { withdrawals?: string; loans?: string } };
  pendingLift?: Lift | null;
  lifted?: Lift & { confirmedBy: string; confirmedAt: string };
};

const subjectText = (s: Subject) =>
  s.type === 'person' ? `${t('个人', 'person')} ${s.idNumber}` : `${t('单位', 'employer')} ${s.uscc}`;

function untilText(until: { withdrawals?: string; loans?: string } | undefined): string {
  const bars = [
    ...(until?.withdrawals
      ? [t(`禁止提取至 ${until.withdrawals}`, `no withdrawals until ${until.withdrawals}`)]
      : []),
    ...(until?.loans ? [t(`禁止贷款至 ${until.loans}`, `no loans until ${until.loans}`)] : []),
  ];
  return bars.length > 0
    ? bars.join('；')
    : t('仅作记录，不自动限制', 'recorded only: bars nothing by itself');
}

const today = () => new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });

/** #/staff/enforcement: a new record, the centre's records, the look-up for a case, risk cases. */
export function EnforcementDesk({ ctx }: { ctx: Ctx }) {
  const records = useLoad(
    () => ctx.call<{ records: EnforcementRecord[] }>('GET', '/v1/staff/enforcement-records'),
    'records',
  );
  return html`<${Page} title=${t('联合惩戒', 'Joint enforcement')}>
    <${NewRecord} ctx=${ctx} />
    <h2>${t('本中心的记录', 'The centre’s records')}</h2>
    <${ProblemBox} problem=${records.problem} />
    ${!records.data && !records.problem ? html`<${Loading} />` : null}
    ${records.data?.records.length === 0 ? html`<p>${t('暂无记录。', 'No records yet.')}</p>` : null}
    <ul class="cards" data-testid="enforcement-records">
      ${records.data?.records.map(
        (r) => html`<li class="card" data-record=${r.recordId} data-status=${r.status}>
          <h3><a href=${`#/staff/enforcement/${encodeURIComponent(r.recordId)}`}>${r.recordId}</a></h3>
          <${Facts} items=${[
            [t('当事人', 'Subject'), subjectText(r.record.subject)],
            [t('类别', 'Kind'), kindText(r.record.kind)],
            [t('状态', 'Status'), statusText(r.status)],
            [t('决定书日期', 'Decision date'), r.record.decisionDate],
          ]} />
        </li>`,
      )}
    </ul>
    <${Lookup} ctx=${ctx} />
    <${RiskCases} ctx=${ctx} />
  <//>`;
}

const DEFAULT_OBJECTION =
  '对本决定不服的，可自收到决定书之日起六十日内申请行政复议，或六个月内提起行政诉讼。';

function NewRecord({ ctx }: { ctx: Ctx }) {
  const [subjectType, setSubjectType] = useState<'person' | 'employer'>('person');
  const [subjectId, setSubjectId] = useState('');
  const [kind, setKind] = useState('fraudulent-withdrawal');
  const [facts, setFacts] = useState('');
  const [evidence, setEvidence] = useState('');
  const [documentNo, setDocumentNo] = useState('');
  const [documentDate, setDocumentDate] = useState(today());
  const [objection, setObjection] = useState(DEFAULT_OBJECTION);
  const [problem, setProblem] = useState<Problem | undefined>();
  const [busy, setBusy] = useState(false);
  const keyFor = useResendKey('enforcement');
  const kinds = subjectType === 'person' ? PERSON_KINDS : EMPLOYER_KINDS;
  const chosenKind = kinds.includes(kind) ? kind : (kinds[0] as string);

  const submit = async (event: Event) => {
    event.preventDefault();
    const body = {
      subject: subjectType === 'person' ? { idNumber: subjectId.trim() } : { uscc: subjectId.trim() },
      kind: chosenKind,
      facts: facts.trim(),
      evidenceRefs: lines(evidence),
      decisionDocument: { number: documentNo.trim(), date: documentDate },
      objection: objection.trim(),
    };
    setBusy(true);
    setProblem(undefined);
    try {
      const created = await ctx.call<EnforcementRecord>('POST', '/v1/staff/enforcement-records', {
        body,
        idempotencyKey: keyFor(body),
      });
      location.hash = `#/staff/enforcement/${encodeURIComponent(created.recordId)}`;
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };

  return html`<form onSubmit=${submit} novalidate data-testid="enforcement-form">
    <h2>${t('新建执法记录', 'New enforcement record')}</h2>
    <p class="hint">${t(
      '经本中心另一名工作人员复核后在十市生效；事实与证据只有本中心可见。',
      'In force in all ten cities once another staff member of the centre confirms it; facts and evidence stay with this centre.',
    )}</p>
    <${Field} name="subjectType" label=${t('当事人类型', 'Subject')}>
      ${(
        attrs: Record<string, unknown>,
      ) => html`<select ...${attrs} value=${subjectType} onChange=${(e: Event) => setSubjectType((e.target as HTMLSelectElement).value as 'person' | 'employer')}>
        <option value="person">${t('个人（身份证号）', 'A person (ID number)')}</option>
        <option value="employer">${t('单位（统一社会信用代码）', 'An employer (credit code)')}</option>
      </select>`}
    <//>
    <${Field}
      name=${subjectType === 'person' ? 'subject.idNumber' : 'subject.uscc'}
      id="f-subject"
      label=${subjectType === 'person' ? t('身份证号', 'ID number') : t('统一社会信用代码', 'Unified social credit code')}
      localError=${fieldMessage(problem, 'subject')}
    >
      ${textInput(subjectId, setSubjectId)}
    <//>
    <${Field} name="kind" label=${t('记录类别', 'Kind')} problem=${problem}>
      ${(
        attrs: Record<string, unknown>,
      ) => html`<select ...${attrs} value=${chosenKind} onChange=${(e: Event) => setKind((e.target as HTMLSelectElement).value)}>
        ${kinds.map((k) => html`<option value=${k}>${kindText(k)}</option>`)}
      </select>`}
    <//>
    <${Field} name="facts" label=${t('违法违规事实', 'Facts')} problem=${problem}>
      ${textArea(facts, setFacts)}
    <//>
    <${Field} name="evidenceRefs" label=${t('证据卷宗号（每行一个）', 'Evidence file references (one a line)')} localError=${fieldMessage(problem, 'evidenceRefs')}>
      ${textArea(evidence, setEvidence, 2)}
    <//>
    <${Field} name="decisionDocument.number" id="f-decisionNumber" label=${t('处理决定书文号', 'Decision document number')} problem=${problem}>
      ${textInput(documentNo, setDocumentNo)}
    <//>
    <${Field} name="decisionDocument.date" id="f-decisionDate" label=${t('处理决定书日期', 'Decision document date')} problem=${problem}>
      ${textInput(documentDate, setDocumentDate, 'date')}
    <//>
    <${Field} name="objection" label=${t('救济途径（告知当事人）', 'How to object (shown to the subject)')} problem=${problem}>
      ${textArea(objection, setObjection)}
    <//>
    <${ProblemBox} problem=${problem} />
    <${Button} type="submit" disabled=${busy}>${t('提交记录', 'Record it')}<//>
  </form>`;
}

type LookupAnswer = {
  applicationId: string;
  applicant: {
    recordId: string;
    city: string;
    kind: string;
    until: { withdrawals?: string; loans?: string };
  }[];
};

/** 联合惩戒查询: only for an open application of this centre, never by ID number (audited). */
function Lookup({ ctx }: { ctx: Ctx }) {
  const [applicationId, setApplicationId] = useState('');
  const [answer, setAnswer] = useState<LookupAnswer | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    setAnswer(undefined);
    try {
      setAnswer(
        await ctx.call<LookupAnswer>('POST', '/v1/staff/enforcement-lookups', {
          body: { applicationId: applicationId.trim() },
        }),
      );
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };
  return html`<form onSubmit=${submit} novalidate data-testid="lookup-form">
    <h2>${t('办件联合惩戒查询', 'Look-up for a case in hand')}</h2>
    <p class="hint">${t(
      '按本中心在办申请查询申请人在十市的在效记录（不显示事实与证据），查询留痕。',
      'The restrictions in force in the ten cities on the applicant of an open application of this centre (no facts or evidence); every look-up is audited.',
    )}</p>
    <${Field} name="applicationId" id="f-lookupApplicationId" label=${t('申请编号', 'Application id')} problem=${problem}>
      ${textInput(applicationId, setApplicationId)}
    <//>
    <${ProblemBox} problem=${problem} />
    <${Button} type="submit" kind="secondary" disabled=${busy}>${t('查询', 'Look up')}<//>
    ${
      answer
        ? html`<div class="result" role="status" data-testid="lookup-result">
          ${
            answer.applicant.length === 0
              ? html`<p>${t('申请人无在效记录。', 'No record in force on the applicant.')}</p>`
              : html`<ul>${answer.applicant.map(
                  (r) =>
                    html`<li data-record=${r.recordId}><code>${r.recordId}</code> · ${cityName(r.city)} · ${kindText(r.kind)} · ${untilText(r.until)}</li>`,
                )}</ul>`
          }
        </div>`
        : null
    }
  </form>`;
}

type RiskCase = {
  caseId: string;
  check: string;
  status: string;
  applicationId?: string;
  cities: string[];
  raisedAt: string;
};

function RiskCases({ ctx }: { ctx: Ctx }) {
  const { data, problem } = useLoad(
    () => ctx.call<{ cases: RiskCase[] }>('GET', '/v1/staff/risk-cases'),
    'risk-cases',
  );
  return html`<h2>${t('风险核查', 'Risk cases')}</h2>
    <${ProblemBox} problem=${problem} />
    ${!data && !problem ? html`<${Loading} />` : null}
    ${data?.cases.length === 0 ? html`<p data-testid="risk-cases">${t('暂无风险核查。', 'No risk cases.')}</p>` : null}
    ${
      data && data.cases.length > 0
        ? html`<div data-testid="risk-cases"><${Table}
          caption=${t(`${data.cases.length} 件`, `${data.cases.length} cases`)}
          head=${[t('发现时间', 'Raised'), t('核查', 'Check'), t('状态', 'Status'), t('申请', 'Application'), t('涉及城市', 'Cities')]}
          rows=${data.cases.map((c) => [
            html`<${DateText} value=${c.raisedAt} />`,
            html`<span data-case=${c.caseId}>${t(...(CHECK[c.check] ?? [c.check, c.check]))}</span>`,
            c.status,
            c.applicationId ?? '—',
            c.cities.map(cityName).join('、'),
          ])}
        /></div>`
        : null
    }`;
}

/** #/staff/enforcement/<id>: the record with its facts; confirm or return it, ask for and confirm its lift. */
export function EnforcementRecordPage({ ctx, id }: { ctx: Ctx; id: string }) {
  const [record, setRecord] = useState<EnforcementRecord | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  const [actionProblem, setActionProblem] = useState<Problem | undefined>();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const keyFor = useResendKey('enforcement-step');
  const path = `/v1/staff/enforcement-records/${encodeURIComponent(id)}`;
  useEffect(() => {
    let live = true;
    setRecord(undefined);
    setProblem(undefined);
    ctx.call<EnforcementRecord>('GET', path).then(
      (found) => live && setRecord(found),
      (error: unknown) => live && setProblem(asProblem(error)),
    );
    return () => {
      live = false;
    };
  }, [path]);

  /** Every step is idempotent: the same step with the same body again replays, another gets a fresh key. */
  const step = async (suffix: string, body: Record<string, unknown>) => {
    setBusy(true);
    setActionProblem(undefined);
    try {
      setRecord(
        await ctx.call<EnforcementRecord>('POST', `${path}/${suffix}`, {
          body,
          idempotencyKey: keyFor({ suffix, body }),
        }),
      );
      setReason('');
    } catch (error) {
      setActionProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };
  const withReason = (outcome: string) => ({
    outcome,
    ...(reason.trim() ? { reasonZh: reason.trim() } : {}),
  });
  const reasonField = (label: string) =>
    html`<${Field} name="reasonZh" label=${label} problem=${actionProblem}>${textArea(reason, setReason, 2)}<//>`;

  return html`<${Page} title=${`${t('执法记录', 'Enforcement record')} ${id}`}>
    <${ProblemBox} problem=${problem} />
    ${!record && !problem ? html`<${Loading} />` : null}
    ${
      record
        ? html`<div class="result" role="status" data-testid="enforcement-record" data-status=${record.status} data-lift=${record.pendingLift ? 'pending' : record.lifted ? 'lifted' : 'none'}>
          <p class="big">${t('状态', 'Status')}: <strong>${statusText(record.status)}</strong>${record.pendingLift ? ` · ${t('解除待复核', 'lift awaiting confirmation')}` : ''}</p>
          <${Facts} items=${[
            [t('当事人', 'Subject'), subjectText(record.record.subject)],
            [t('类别', 'Kind'), kindText(record.record.kind)],
            [
              t('处理决定书', 'Decision document'),
              `${record.record.decisionDocumentNo} · ${record.record.decisionDate}`,
            ],
            ...(record.restriction
              ? [[t('限制', 'Bars'), untilText(record.restriction.until)] as [string, unknown]]
              : []),
            [t('违法违规事实', 'Facts'), record.record.facts ?? ''],
            [t('证据卷宗号', 'Evidence'), (record.record.evidenceRefs ?? []).join('、')],
            [t('救济途径', 'How to object'), record.record.objection],
            [t('录入', 'Recorded'), html`${record.acceptedBy} · <${DateText} value=${record.acceptedAt} />`],
            ...(record.pendingLift
              ? [
                  [
                    t('申请解除', 'Lift asked'),
                    `${record.pendingLift.requestedBy} · ${record.pendingLift.reason}`,
                  ] as [string, unknown],
                ]
              : []),
            ...(record.lifted
              ? [
                  [
                    t('已解除', 'Lifted'),
                    html`${record.lifted.reason} · ${record.lifted.confirmedBy} · <${DateText} value=${record.lifted.confirmedAt} />`,
                  ] as [string, unknown],
                ]
              : []),
          ]} />
        </div>
        <${ProblemBox} problem=${actionProblem} />
        ${
          record.status === 'pending_confirmation'
            ? html`<div class="decide" data-testid="confirm-record">
              ${reasonField(t('复核意见（退回须填写）', 'Reason (needed to return it)'))}
              <div class="actions">
                <${Button} disabled=${busy} onClick=${() => step('confirmation', withReason('confirm'))}>${t('复核通过', 'Confirm')}<//>
                <${Button} kind="secondary" disabled=${busy} onClick=${() => step('confirmation', withReason('return'))}>${t('退回', 'Return')}<//>
              </div>
            </div>`
            : null
        }
        ${
          record.status === 'approved' && !record.pendingLift
            ? html`<form novalidate data-testid="lift-form" onSubmit=${(e: Event) => {
                e.preventDefault();
                void step('lift', { reasonZh: reason.trim() });
              }}>
              <h2>${t('申请解除', 'Ask to lift it')}</h2>
              ${reasonField(t('解除理由', 'Reason for the lift'))}
              <${Button} type="submit" kind="secondary" disabled=${busy}>${t('申请解除', 'Ask to lift')}<//>
            </form>`
            : null
        }
        ${
          record.status === 'approved' && record.pendingLift
            ? html`<div class="decide" data-testid="confirm-lift">
              ${reasonField(t('复核意见（不予解除须填写）', 'Reason (needed to keep it)'))}
              <div class="actions">
                <${Button} disabled=${busy} onClick=${() => step('lift/confirmation', withReason('confirm'))}>${t('确认解除', 'Confirm the lift')}<//>
                <${Button} kind="secondary" disabled=${busy} onClick=${() => step('lift/confirmation', withReason('return'))}>${t('不予解除', 'Keep the record')}<//>
              </div>
            </div>`
            : null
        }
        <${Timeline} steps=${record.timeline} />`
        : null
    }
    <p><a href="#/staff/enforcement">${t('联合惩戒', 'Joint enforcement')}</a></p>
  <//>`;
}
