/** An employer's HR clerk: the yearly base adjustment (缴存基数年度调整) by CSV upload. */
import { useState } from 'preact/hooks';
import { Problem } from '../api.js';
import type { Ctx } from '../context.js';
import { html } from '../html.js';
import { pick, t } from '../i18n.js';
import { Button, Facts, Field, Money, Page, ProblemBox, Table } from '../ui.js';

/** The month after this one, Beijing time (the usual first month of new terms). */
function nextMonth(): string {
  const [year, month] = new Date()
    .toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' })
    .split('-')
    .map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
}

/** The file as rows of cells, for the preview (the server is the one that judges them). */
function csvRows(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(',').map((cell) => cell.trim()));
}

async function sha256Hex(data: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function BaseAdjustment({ ctx }: { ctx: Ctx }) {
  const [employerAccountNo, setEmployerAccountNo] = useState(
    sessionStorage.getItem('hpf.employerAccountNo') ?? '',
  );
  const [effectiveMonth, setEffectiveMonth] = useState(nextMonth());
  const [file, setFile] = useState<{ blob: File; rows: string[][] } | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  const [posting, setPosting] = useState(false);
  const [result, setResult] = useState<Record<string, unknown> | undefined>();

  const choose = async (event: Event) => {
    const chosen = (event.target as HTMLInputElement).files?.[0];
    setProblem(undefined);
    setResult(undefined);
    setFile(chosen ? { blob: chosen, rows: csvRows(await chosen.text()) } : undefined);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!file) return;
    sessionStorage.setItem('hpf.employerAccountNo', employerAccountNo);
    setPosting(true);
    setProblem(undefined);
    setResult(undefined);
    // The same file for the same month is the same request: a retry replays it, never posts twice.
    const digest = await sha256Hex(await file.blob.arrayBuffer());
    try {
      setResult(
        await ctx.call(
          'POST',
          `/v1/employers/${encodeURIComponent(employerAccountNo)}/base-adjustments?effectiveMonth=${encodeURIComponent(effectiveMonth)}`,
          {
            raw: { body: file.blob, contentType: 'text/csv' },
            idempotencyKey: `adjust-${effectiveMonth}-${digest.slice(0, 32)}`,
          },
        ),
      );
    } catch (error) {
      setProblem(error instanceof Problem ? error : undefined);
    } finally {
      setPosting(false);
    }
  };

  const [head, ...data] = file?.rows ?? [];
  const rowError = (row: number) => problem?.errors.filter((e) => e.row === row) ?? [];
  return html`<${Page} title=${t('缴存基数年度调整', 'Yearly deposit base adjustment')}>
    <p>${t(
      'CSV（UTF-8）列：personalAccountNo, monthlyDepositBaseFen, employeeRateBasisPoints, employerRateBasisPoints。全部行正确才会入账，任何一行有误则不作任何变更。',
      'CSV (UTF-8) columns: personalAccountNo, monthlyDepositBaseFen, employeeRateBasisPoints, employerRateBasisPoints. All rows post or none: one bad row changes nothing.',
    )}</p>
    <form onSubmit=${submit}>
      <${Field} name="employerAccountNo" label=${t('单位账号', 'Employer account number')} problem=${problem}>
        ${(attrs: Record<string, unknown>) => html`<input ...${attrs} inputmode="numeric" value=${employerAccountNo} onInput=${(e: Event) => setEmployerAccountNo((e.target as HTMLInputElement).value.trim())} />`}
      <//>
      <${Field} name="effectiveMonth" label=${t('调整生效月份', 'Effective month')} problem=${problem}>
        ${(attrs: Record<string, unknown>) => html`<input ...${attrs} type="month" value=${effectiveMonth} onInput=${(e: Event) => setEffectiveMonth((e.target as HTMLInputElement).value)} />`}
      <//>
      <${Field} name="file" label=${t('CSV 文件', 'CSV file')}>
        ${(attrs: Record<string, unknown>) => html`<input ...${attrs} type="file" accept=".csv,text/csv" onChange=${choose} />`}
      <//>
      ${
        head
          ? html`<${Table}
            caption=${t(`预览：${data.length} 行`, `Preview: ${data.length} rows`)}
            head=${[t('行', 'Row'), ...head, t('检查', 'Check')]}
            rows=${data.map((cells, i) => {
              const errors = rowError(i + 1);
              return [
                String(i + 1),
                ...cells,
                errors.length > 0
                  ? html`<span class="field-error" data-testid=${`row-error-${i + 1}`}>${errors.map((e) => `${e.field ?? ''} ${pick(e.message)}`).join('；')}</span>`
                  : result
                    ? t('已入账', 'posted')
                    : '',
              ];
            })}
          />`
          : null
      }
      <${ProblemBox} problem=${problem} />
      ${posting ? html`<progress aria-label=${t('正在提交', 'Posting')}></progress>` : null}
      <${Button} type="submit" disabled=${posting || !file || employerAccountNo === ''}>${t('提交调整', 'Post the adjustment')}<//>
    </form>
    ${
      result
        ? html`<div class="result" role="status" data-testid="adjustment">
          <p><strong>${t('调整已入账', 'The adjustment is posted')}</strong></p>
          <${Facts} items=${Object.entries(result)
            .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
            .map(([k, v]) => [k, String(v)] as [string, unknown])} />
        </div>`
        : null
    }
  <//>`;
}

/** This month, Beijing time. */
function thisMonth(): string {
  return new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' }).slice(0, 7);
}

/** The monthly remittance (汇缴): one month's deposits for every employee, once. */
export function Remittance({ ctx }: { ctx: Ctx }) {
  const [employerAccountNo, setEmployerAccountNo] = useState(
    sessionStorage.getItem('hpf.employerAccountNo') ?? '',
  );
  const [month, setMonth] = useState(thisMonth());
  const [problem, setProblem] = useState<Problem | undefined>();
  const [result, setResult] = useState<Record<string, unknown> | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    sessionStorage.setItem('hpf.employerAccountNo', employerAccountNo);
    setBusy(true);
    setProblem(undefined);
    setResult(undefined);
    try {
      // One key per employer and month: pressing again replays the answer, never remits twice.
      setResult(
        await ctx.call('POST', `/v1/employers/${encodeURIComponent(employerAccountNo)}/remittances`, {
          body: { month },
          idempotencyKey: `remit-${employerAccountNo}-${month}-portal`,
        }),
      );
    } catch (error) {
      setProblem(error instanceof Problem ? error : undefined);
    } finally {
      setBusy(false);
    }
  };
  return html`<${Page} title=${t('按月汇缴', 'Monthly remittance')}>
    <form onSubmit=${submit}>
      <${Field} name="employerAccountNo" label=${t('单位账号', 'Employer account number')} problem=${problem}>
        ${(attrs: Record<string, unknown>) => html`<input ...${attrs} inputmode="numeric" value=${employerAccountNo} onInput=${(e: Event) => setEmployerAccountNo((e.target as HTMLInputElement).value.trim())} />`}
      <//>
      <${Field} name="month" label=${t('汇缴月份', 'Month')} problem=${problem}>
        ${(attrs: Record<string, unknown>) => html`<input ...${attrs} type="month" value=${month} onInput=${(e: Event) => setMonth((e.target as HTMLInputElement).value)} />`}
      <//>
      <${ProblemBox} problem=${problem} />
      ${busy ? html`<progress aria-label=${t('正在提交', 'Posting')}></progress>` : null}
      <${Button} type="submit" disabled=${busy || employerAccountNo === ''}>${t('汇缴', 'Remit')}<//>
    </form>
    ${
      result
        ? html`<div class="result" role="status" data-testid="remittance">
          <${Facts} items=${[
            [t('月份', 'Month'), String(result.month ?? '')],
            [t('职工人数', 'Employees'), String(result.employeeCount ?? '')],
            [t('单位部分', 'Employer share'), html`<${Money} fen=${Number(result.employerShareFen ?? 0)} />`],
            [t('个人部分', 'Employee share'), html`<${Money} fen=${Number(result.employeeShareFen ?? 0)} />`],
            [t('合计', 'Total'), html`<${Money} fen=${Number(result.totalFen ?? 0)} />`],
          ]} />
        </div>`
        : null
    }
  <//>`;
}
