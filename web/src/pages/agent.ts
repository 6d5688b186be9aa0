/** An agent at the counter (线下受理、线上审批): a loan accepted for a citizen present with their ID, and what it submitted. */
import { useState } from 'preact/hooks';
import { newIdempotencyKey, Problem } from '../api.js';
import type { Ctx } from '../context.js';
import { useLoad } from '../context.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { Button, DateText, Field, Page, ProblemBox, parseYuan, Table } from '../ui.js';

type Submitted = {
  applicationId: string;
  itemCode?: string;
  status: string;
  acceptedAt?: string;
  city?: string;
};

export function AgentCounter({ ctx }: { ctx: Ctx }) {
  const city = ctx.session?.claims.city ?? '';
  const [values, setValues] = useState<Record<string, string>>({
    idNumber: '',
    onlineSigningNo: '',
    housePriceFen: '',
    requestedFen: '200000',
    termMonths: '240',
  });
  const [problem, setProblem] = useState<Problem | undefined>();
  const [local, setLocal] = useState<Record<string, string>>({});
  const [round, setRound] = useState(0);
  const [key, setKey] = useState(() => newIdempotencyKey('agent-loan'));
  const submitted = useLoad(
    () => ctx.call<{ applications: Submitted[] }>('GET', '/v1/agent/applications'),
    `agent:${round}`,
  );
  const set = (name: string) => (event: Event) =>
    setValues({ ...values, [name]: (event.target as HTMLInputElement).value });

  const submit = async (event: Event) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    const body: Record<string, unknown> = {
      idNumber: values.idNumber?.trim(),
      lendingCity: city,
      propertyCity: city,
      termMonths: Number(values.termMonths),
      method: 'equal-installment',
      declaredHomeOrder: 'first',
      otherMonthlyDebtFen: 0,
      maritalStatus: 'single',
    };
    for (const name of ['requestedFen', 'housePriceFen']) {
      const text = values[name]?.trim() ?? '';
      if (text === '') continue;
      const fen = parseYuan(text);
      if (fen === undefined) errors[name] = t('请输入金额（元）', 'Enter an amount in yuan');
      else body[name] = fen;
    }
    if (values.onlineSigningNo?.trim()) body.onlineSigningNo = values.onlineSigningNo.trim();
    setLocal(errors);
    if (Object.keys(errors).length > 0) return;
    setProblem(undefined);
    try {
      await ctx.call('POST', '/v1/agent/loan-applications', { body, idempotencyKey: key });
      setKey(newIdempotencyKey('agent-loan'));
      setRound(round + 1);
    } catch (error) {
      setProblem(error instanceof Problem ? error : undefined);
    }
  };

  const input = (
    name: string,
    label: string,
    mode = 'text',
  ) => html`<${Field} name=${name} label=${label} problem=${problem} localError=${local[name]}>
    ${(attrs: Record<string, unknown>) => html`<input ...${attrs} inputmode=${mode} autocomplete="off" value=${values[name]} onInput=${set(name)} />`}
  <//>`;
  return html`<${Page} title=${t('柜台受理：住房公积金贷款', 'Counter: HPF loan')}>
    <p>${t('申请人本人到场，核验身份证件后录入（单身申请人，等额本息）。', 'The applicant is present and their ID checked (single applicant, equal instalments).')}</p>
    <form onSubmit=${submit}>
      ${input('idNumber', t('申请人身份证号', "Applicant's ID number"))}
      ${input('onlineSigningNo', t('网签备案号（可不填）', 'Online-signing record number (optional)'))}
      ${input('housePriceFen', t('房屋总价（元，无网签备案号时）', 'House price (yuan, without a record)'), 'decimal')}
      ${input('requestedFen', t('申请金额（元）', 'Amount (yuan)'), 'decimal')}
      ${input('termMonths', t('贷款期限（月）', 'Term (months)'), 'numeric')}
      <${ProblemBox} problem=${problem} />
      <${Button} type="submit">${t('受理', 'Accept')}<//>
    </form>
    <${ProblemBox} problem=${submitted.problem} />
    ${
      submitted.data
        ? html`<${Table}
          caption=${t('本网点已提交的申请', 'What this counter submitted')}
          head=${[t('申请', 'Application'), t('事项', 'Item'), t('状态', 'Status'), t('受理时间', 'Accepted')]}
          rows=${submitted.data.applications.map((a) => [
            html`<code data-testid="agent-application">${a.applicationId}</code>`,
            a.itemCode ?? '',
            a.status,
            a.acceptedAt ? html`<${DateText} value=${a.acceptedAt} />` : '',
          ])}
        />`
        : null
    }
  <//>`;
}
