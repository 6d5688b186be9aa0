/** Early repayment (提前还款) on a loan's page: partial (shorter term or lower instalment) or full. */
import { useState } from 'preact/hooks';
import { asProblem, type Problem } from '../api.js';
import { type Ctx, useResendKey } from '../context.js';
import { ResultBox } from '../follow.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { Button, DateText, Field, Money, ProblemBox, parseYuan } from '../ui.js';

type Prepayment = {
  kind: 'full' | 'partial';
  principalFen: number;
  interestFen: number;
  totalFen: number;
  outstandingAfterFen: number;
  newMonthlyPaymentFen?: number;
  previousRemainingTermMonths: number;
  newRemainingTermMonths: number;
  interestSavedFen: number;
  paidOn: string;
};

export function PrepaymentForm({ ctx, loanId, onPaid }: { ctx: Ctx; loanId: string; onPaid: () => void }) {
  const [values, setValues] = useState({ kind: 'partial', amount: '', choice: 'shorter-term' });
  const [local, setLocal] = useState<string | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Prepayment | undefined>();
  const keyFor = useResendKey('prepay');
  const set = (name: string) => (event: Event) =>
    setValues({ ...values, [name]: (event.target as HTMLInputElement).value });

  const submit = async (event: Event) => {
    event.preventDefault();
    let body: Record<string, unknown> = { kind: 'full' };
    if (values.kind === 'partial') {
      const amountFen = parseYuan(values.amount);
      setLocal(
        amountFen === undefined
          ? t('请输入金额（元，最多两位小数）', 'Enter an amount in yuan (at most two decimals)')
          : undefined,
      );
      if (amountFen === undefined) return;
      body = { kind: 'partial', amountFen, choice: values.choice };
    }
    setBusy(true);
    setProblem(undefined);
    try {
      const answer = await ctx.call<{ prepayment: Prepayment }>(
        'POST',
        `/v1/me/loans/${encodeURIComponent(loanId)}/prepayments`,
        { body, idempotencyKey: keyFor(body) },
      );
      setDone(answer.prepayment);
      onPaid();
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };

  return html`<h2>${t('提前还款', 'Repay early')}</h2>
    ${
      done?.kind === 'full'
        ? null
        : html`<form onSubmit=${submit} novalidate data-testid="prepayment-form">
      <${Field} name="kind" label=${t('方式', 'Kind')} problem=${problem}>
        ${(
          attrs: Record<string, unknown>,
        ) => html`<select ...${attrs} value=${values.kind} onChange=${set('kind')}>
          <option value="partial">${t('部分提前还款', 'Partial')}</option>
          <option value="full">${t('提前结清', 'Pay off in full')}</option>
        </select>`}
      <//>
      ${
        values.kind === 'partial'
          ? html`<${Field} name="amountFen" label=${t('还款本金（元）', 'Principal to repay (yuan)')} problem=${problem} localError=${local}>
              ${(attrs: Record<string, unknown>) => html`<input ...${attrs} inputmode="decimal" autocomplete="off" value=${values.amount} onInput=${set('amount')} />`}
            <//>
            <${Field} name="choice" label=${t('还款后', 'Afterwards')} problem=${problem}>
              ${(
                attrs: Record<string, unknown>,
              ) => html`<select ...${attrs} value=${values.choice} onChange=${set('choice')}>
                <option value="shorter-term">${t('月供不变，缩短期限', 'Same instalment, shorter term')}</option>
                <option value="lower-instalment">${t('期限不变，减少月供', 'Same term, lower instalment')}</option>
              </select>`}
            <//>`
          : html`<p class="hint">${t('结清剩余本金及至今的利息。', 'Pays the remaining principal and the interest to date.')}</p>`
      }
      <${ProblemBox} problem=${problem} />
      <${Button} type="submit" disabled=${busy}>${t('提交提前还款', 'Repay early')}<//>
    </form>`
    }
    ${
      done
        ? html`<${ResultBox} testid="prepayment" data=${{ kind: done.kind }} items=${[
            [t('还款日', 'Paid on'), html`<${DateText} value=${done.paidOn} />`],
            [t('本金', 'Principal'), html`<${Money} fen=${done.principalFen} />`],
            [t('利息', 'Interest'), html`<${Money} fen=${done.interestFen} />`],
            [t('合计', 'Total'), html`<${Money} fen=${done.totalFen} />`],
            [t('剩余本金', 'Remaining principal'), html`<${Money} fen=${done.outstandingAfterFen} />`],
            [
              t('剩余期数', 'Remaining term'),
              t(
                `${done.previousRemainingTermMonths} → ${done.newRemainingTermMonths} 个月`,
                `${done.previousRemainingTermMonths} → ${done.newRemainingTermMonths} months`,
              ),
            ],
            ...(done.newMonthlyPaymentFen !== undefined
              ? [
                  [t('新月供', 'New instalment'), html`<${Money} fen=${done.newMonthlyPaymentFen} />`] as [
                    string,
                    unknown,
                  ],
                ]
              : []),
            [t('节省利息', 'Interest saved'), html`<${Money} fen=${done.interestSavedFen} />`],
          ]} />`
        : null
    }`;
}
