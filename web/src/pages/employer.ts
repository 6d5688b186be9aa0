/** An employer's HR clerk: registration (开户), employees, the monthly remittance, back-pay (补缴), the yearly base adjustment by CSV. */
import { useState } from 'preact/hooks';
import { asProblem, newIdempotencyKey, Problem } from '../api.js';
import type { Ctx } from '../context.js';
import { useLoad } from '../context.js';
import { html } from '../html.js';
import { type Bilingual, pick, t } from '../i18n.js';
import { Button, DateText, Facts, Field, Money, Page, ProblemBox, parseYuan, Table } from '../ui.js';
import { cityName } from './public.js';

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

/** The employer account number this tab works on, shared by the employer's pages. */
const EMPLOYER_KEY = 'hpf.employerAccountNo';
const savedEmployer = () => sessionStorage.getItem(EMPLOYER_KEY) ?? '';

const _problemOf = (error: unknown) => (error instanceof Problem ? error : undefined);

/** 开户: the employer registers itself in its centre (the credit code and city are its sign-in's). */
export function EmployerRegistration({ ctx }: { ctx: Ctx }) {
  const claims = ctx.session?.claims;
  const [values, setValues] = useState<Record<string, string>>({
    name: '',
    address: '',
    contactName: '',
    contactPhone: '',
    payday: '15',
  });
  const [problem, setProblem] = useState<Problem | undefined>();
  const [result, setResult] = useState<Record<string, unknown> | undefined>();
  const [busy, setBusy] = useState(false);
  const set = (name: string) => (event: Event) =>
    setValues({ ...values, [name]: (event.target as HTMLInputElement).value });
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      const answer = await ctx.call('POST', '/v1/employers', {
        body: {
          uscc: claims?.uscc,
          city: claims?.city,
          name: values.name?.trim(),
          address: values.address?.trim(),
          contactName: values.contactName?.trim(),
          contactPhone: values.contactPhone?.trim(),
          payday: Number(values.payday),
        },
      });
      sessionStorage.setItem(EMPLOYER_KEY, String(answer.employerAccountNo));
      setResult(answer);
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };
  const input = (name: string, label: string, mode = 'text') =>
    html`<${Field} name=${name} label=${label} problem=${problem}>
      ${(attrs: Record<string, unknown>) => html`<input ...${attrs} inputmode=${mode} value=${values[name]} onInput=${set(name)} />`}
    <//>`;
  const warnings = (result?.warnings as { message: Bilingual }[] | undefined) ?? [];
  return html`<${Page} title=${t('单位登记开户', 'Employer registration')}>
    <${Facts} items=${[
      [t('统一社会信用代码', 'Credit code'), claims?.uscc ?? ''],
      [t('所在中心', 'Centre'), claims?.city ? cityName(claims.city) : ''],
    ]} />
    <form onSubmit=${submit}>
      ${input('name', t('单位名称', 'Employer name'))}
      ${input('address', t('单位地址', 'Address'))}
      ${input('contactName', t('经办人', 'Contact'))}
      ${input('contactPhone', t('联系电话', 'Phone'), 'tel')}
      ${input('payday', t('发薪日（每月 1–28 日）', 'Payday (day 1–28 of the month)'), 'numeric')}
      <${ProblemBox} problem=${problem} />
      <${Button} type="submit" disabled=${busy}>${t('开户', 'Register')}<//>
    </form>
    ${
      result
        ? html`<div class="result" role="status" data-testid="employer">
          <p><strong>${t('开户成功，单位账号：', 'Registered; employer account number: ')}<code data-testid="employer-account-no">${String(result.employerAccountNo)}</code></strong></p>
          ${warnings.map((w) => html`<p class="hint">${pick(w.message)}</p>`)}
          <a href="#/employer/employees">${t('为职工开户', 'Open employee accounts')}</a>
        </div>`
        : null
    }
  <//>`;
}

/** A page of the employee list (职工名册): `nextCursor` asks for the next. */
type EmployeePage = { employees: EmployeeAccount[]; nextCursor: string | null };

type EmployeeAccount = {
  personalAccountNo: string;
  name: string;
  idNumber: string;
  monthlyDepositBaseFen: number;
  employeeRateBasisPoints: number;
  employerRateBasisPoints: number;
  status: string;
};

/** "12" or "7.5" (%) → basis points; undefined when it is not a rate. */
function parseRate(text: string): number | undefined {
  const match = /^(\d{1,2})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}
const percent = (bp: number) => `${bp / 100}%`;

const STATUS: Record<string, [string, string]> = {
  normal: ['正常', 'normal'],
  sealed: ['封存', 'sealed'],
  closed: ['销户', 'closed'],
};

/** 缴存信息变更: the base, or 封存 / back to normal, from this month or the next. */
function ChangeEmployee({
  ctx,
  employerAccountNo,
  account,
  onChanged,
}: {
  ctx: Ctx;
  employerAccountNo: string;
  account: EmployeeAccount;
  onChanged: () => void;
}) {
  const no = account.personalAccountNo;
  const [base, setBase] = useState('');
  const [status, setStatus] = useState(account.status === 'sealed' ? 'sealed' : 'normal');
  const [effectiveMonth, setEffectiveMonth] = useState(thisMonth());
  const [problem, setProblem] = useState<Problem | undefined>();
  const [local, setLocal] = useState<string | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    const body: Record<string, unknown> = { effectiveMonth };
    if (base.trim() !== '') {
      const fen = parseYuan(base);
      if (fen === undefined) return setLocal(t('请输入金额（元）', 'Enter an amount in yuan'));
      body.monthlyDepositBaseFen = fen;
    }
    if (status !== account.status) body.status = status;
    setLocal(undefined);
    setProblem(undefined);
    try {
      await ctx.call(
        'PATCH',
        `/v1/employers/${encodeURIComponent(employerAccountNo)}/employees/${encodeURIComponent(no)}`,
        { body },
      );
      setBase('');
      onChanged();
    } catch (error) {
      setProblem(asProblem(error));
    }
  };
  return html`<form class="decide" onSubmit=${submit}>
    <${Field} name="monthlyDepositBaseFen" id=${`base-${no}`} label=${t('新缴存基数（元，可不填）', 'New deposit base (yuan, optional)')} problem=${problem} localError=${local}>
      ${(attrs: Record<string, unknown>) => html`<input ...${attrs} inputmode="decimal" value=${base} onInput=${(e: Event) => setBase((e.target as HTMLInputElement).value)} />`}
    <//>
    <${Field} name="status" id=${`status-${no}`} label=${t('账户状态', 'Account status')} problem=${problem}>
      ${(
        attrs: Record<string, unknown>,
      ) => html`<select ...${attrs} value=${status} onChange=${(e: Event) => setStatus((e.target as HTMLSelectElement).value)}>
        <option value="normal">${t('正常', 'normal')}</option>
        <option value="sealed">${t('封存（离职）', 'sealed (job ended)')}</option>
      </select>`}
    <//>
    <${Field} name="effectiveMonth" id=${`month-${no}`} label=${t('生效月份', 'From month')} problem=${problem}>
      ${(attrs: Record<string, unknown>) => html`<input ...${attrs} type="month" value=${effectiveMonth} onInput=${(e: Event) => setEffectiveMonth((e.target as HTMLInputElement).value)} />`}
    <//>
    <${ProblemBox} problem=${problem} />
    <${Button} type="submit" kind="secondary">${t('变更', 'Change')}<//>
  </form>`;
}

/** 个人账户设立 and the employees' deposit terms. */
export function Employees({ ctx }: { ctx: Ctx }) {
  const [employerAccountNo, setEmployerAccountNo] = useState(savedEmployer());
  const [values, setValues] = useState<Record<string, string>>({
    idNumber: '',
    name: '',
    monthlyDepositBaseFen: '',
    employeeRateBasisPoints: '12',
    employerRateBasisPoints: '12',
  });
  const [round, setRound] = useState(0);
  const listed = useLoad(
    () =>
      /^\d{14}$/.test(employerAccountNo)
        ? ctx.call<EmployeePage>('GET', `/v1/employers/${encodeURIComponent(employerAccountNo)}/employees`)
        : Promise.resolve({ employees: [] as EmployeeAccount[], nextCursor: null }),
    `${employerAccountNo}:${round}`,
  );
  // The pages after the first, asked with the previous page's cursor; cleared when the first is read again.
  const [later, setLater] = useState<{ key: string; pages: EmployeePage[] }>({ key: '', pages: [] });
  const listKey = `${employerAccountNo}:${round}`;
  const morePages = later.key === listKey ? later.pages : [];
  const lastPage = morePages.at(-1) ?? listed.data;
  const [moreProblem, setMoreProblem] = useState<Problem | undefined>();
  const more = async () => {
    if (!lastPage?.nextCursor) return;
    setMoreProblem(undefined);
    try {
      const page = await ctx.call<EmployeePage>(
        'GET',
        `/v1/employers/${encodeURIComponent(employerAccountNo)}/employees?cursor=${encodeURIComponent(lastPage.nextCursor)}`,
      );
      setLater({ key: listKey, pages: [...morePages, page] });
    } catch (error) {
      setMoreProblem(asProblem(error));
    }
  };
  const employees = [...(listed.data?.employees ?? []), ...morePages.flatMap((page) => page.employees)];
  const [problem, setProblem] = useState<Problem | undefined>();
  const [local, setLocal] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = (name: string) => (event: Event) =>
    setValues({ ...values, [name]: (event.target as HTMLInputElement).value });
  const chooseEmployer = (event: Event) =>
    setEmployerAccountNo((event.target as HTMLInputElement).value.trim());
  const submit = async (event: Event) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    const base = parseYuan(values.monthlyDepositBaseFen ?? '');
    if (base === undefined) errors.monthlyDepositBaseFen = t('请输入金额（元）', 'Enter an amount in yuan');
    const rates: Record<string, number> = {};
    for (const name of ['employeeRateBasisPoints', 'employerRateBasisPoints']) {
      const bp = parseRate(values[name] ?? '');
      if (bp === undefined) errors[name] = t('请输入比例（%）', 'Enter a rate in %');
      else rates[name] = bp;
    }
    setLocal(errors);
    if (Object.keys(errors).length > 0) return;
    sessionStorage.setItem(EMPLOYER_KEY, employerAccountNo);
    setBusy(true);
    setProblem(undefined);
    try {
      await ctx.call<EmployeeAccount>(
        'POST',
        `/v1/employers/${encodeURIComponent(employerAccountNo)}/employees`,
        {
          body: {
            idNumber: values.idNumber?.trim(),
            name: values.name?.trim(),
            monthlyDepositBaseFen: base,
            ...rates,
          },
        },
      );
      setRound(round + 1);
      setValues({ ...values, idNumber: '', name: '', monthlyDepositBaseFen: '' });
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };
  const input = (name: string, label: string, mode = 'text') =>
    html`<${Field} name=${name} label=${label} problem=${problem} localError=${local[name]}>
      ${(attrs: Record<string, unknown>) => html`<input ...${attrs} inputmode=${mode} autocomplete="off" value=${values[name]} onInput=${set(name)} />`}
    <//>`;
  return html`<${Page} title=${t('职工账户', 'Employee accounts')}>
    <form onSubmit=${submit}>
      <${Field} name="employerAccountNo" label=${t('单位账号', 'Employer account number')} problem=${problem}>
        ${(attrs: Record<string, unknown>) => html`<input ...${attrs} inputmode="numeric" value=${employerAccountNo} onInput=${chooseEmployer} />`}
      <//>
      ${input('idNumber', t('职工身份证号', "Employee's ID number"))}
      ${input('name', t('职工姓名', "Employee's name"))}
      ${input('monthlyDepositBaseFen', t('月缴存基数（元）', 'Monthly deposit base (yuan)'), 'decimal')}
      ${input('employeeRateBasisPoints', t('个人缴存比例（%）', 'Employee rate (%)'), 'decimal')}
      ${input('employerRateBasisPoints', t('单位缴存比例（%）', 'Employer rate (%)'), 'decimal')}
      <${ProblemBox} problem=${problem} />
      <${Button} type="submit" disabled=${busy || employerAccountNo === ''}>${t('为职工开户', 'Open the account')}<//>
    </form>
    <${ProblemBox} problem=${listed.problem} />
    ${listed.data && employees.length === 0 ? html`<p>${t('尚无职工账户。', 'No employee accounts yet.')}</p>` : null}
    <ul class="cards" data-testid="employees">
      ${employees.map(
        (a) => html`<li class="card" key=${a.personalAccountNo} data-account=${a.personalAccountNo}>
          <h2>${a.name} <span class="muted">${a.personalAccountNo}</span></h2>
          <${Facts} items=${[
            [t('身份证号', 'ID number'), a.idNumber],
            [t('缴存基数', 'Deposit base'), html`<${Money} fen=${a.monthlyDepositBaseFen} />`],
            [
              t('个人 / 单位比例', 'Employee / employer rate'),
              `${percent(a.employeeRateBasisPoints)} / ${percent(a.employerRateBasisPoints)}`,
            ],
            [
              t('状态', 'Status'),
              html`<span data-testid="employee-status">${t(...(STATUS[a.status] ?? [a.status, a.status]))}</span>`,
            ],
          ]} />
          <${ChangeEmployee} ctx=${ctx} employerAccountNo=${employerAccountNo} account=${a} onChanged=${() => setRound(round + 1)} />
        </li>`,
      )}
    </ul>
    <${ProblemBox} problem=${moreProblem} />
    ${lastPage?.nextCursor ? html`<${Button} kind="secondary" onClick=${more}>${t('更多职工', 'More employees')}<//>` : null}
  <//>`;
}

type BackPayApplication = {
  applicationId: string;
  status: string;
  acceptedAt?: string;
  committedDeadline?: string;
};

const splitList = (text: string) =>
  text
    .split(/[\s,，、]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** 补缴: months past their window, with a reason and evidence; two staff members decide. */
export function BackPay({ ctx }: { ctx: Ctx }) {
  const [employerAccountNo, setEmployerAccountNo] = useState(savedEmployer());
  const [values, setValues] = useState<Record<string, string>>({
    months: '',
    personalAccountNos: '',
    reason: '',
    documentNo: '',
    description: '',
  });
  const [problem, setProblem] = useState<Problem | undefined>();
  const [key, setKey] = useState(() => newIdempotencyKey('back-pay'));
  const [mine, setMine] = useState<BackPayApplication[]>([]);
  const [busy, setBusy] = useState(false);
  const set = (name: string) => (event: Event) =>
    setValues({ ...values, [name]: (event.target as HTMLInputElement).value });
  const path = `/v1/employers/${encodeURIComponent(employerAccountNo)}/back-pay`;
  const submit = async (event: Event) => {
    event.preventDefault();
    sessionStorage.setItem(EMPLOYER_KEY, employerAccountNo);
    setBusy(true);
    setProblem(undefined);
    try {
      // One key per filled-in form: pressing again replays the application, never files it twice.
      const answer = await ctx.call<BackPayApplication>('POST', path, {
        body: {
          months: splitList(values.months ?? ''),
          personalAccountNos: splitList(values.personalAccountNos ?? ''),
          reason: values.reason?.trim(),
          evidence: [{ documentNo: values.documentNo?.trim(), description: values.description?.trim() }],
        },
        idempotencyKey: key,
      });
      setMine([answer, ...mine.filter((a) => a.applicationId !== answer.applicationId)]);
      setKey(newIdempotencyKey('back-pay'));
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };
  const refresh = async () => {
    setProblem(undefined);
    try {
      setMine(
        await Promise.all(
          mine.map((a) =>
            ctx.call<BackPayApplication>('GET', `${path}/${encodeURIComponent(a.applicationId)}`),
          ),
        ),
      );
    } catch (error) {
      setProblem(asProblem(error));
    }
  };
  const input = (name: string, label: string, hint?: string) =>
    html`<${Field} name=${name} label=${label} hint=${hint} problem=${problem}>
      ${(attrs: Record<string, unknown>) => html`<input ...${attrs} autocomplete="off" value=${values[name]} onInput=${set(name)} />`}
    <//>`;
  return html`<${Page} title=${t('补缴', 'Back-pay')}>
    <p>${t('已过汇缴期限的月份申请补缴，须说明原因并提供凭证；经中心两名工作人员审核、复核后入账。', 'Months past their remittance window: give the reason and evidence; two staff members of the centre decide before anything is credited.')}</p>
    <form onSubmit=${submit}>
      <${Field} name="employerAccountNo" label=${t('单位账号', 'Employer account number')} problem=${problem}>
        ${(attrs: Record<string, unknown>) => html`<input ...${attrs} inputmode="numeric" value=${employerAccountNo} onInput=${(e: Event) => setEmployerAccountNo((e.target as HTMLInputElement).value.trim())} />`}
      <//>
      ${input('months', t('补缴月份', 'Months'), t('如 2026-03，多个以逗号分隔', 'e.g. 2026-03, several separated by commas'))}
      ${input('personalAccountNos', t('个人账号', 'Personal account numbers'), t('多个以逗号分隔', 'separated by commas'))}
      ${input('reason', t('补缴原因', 'Reason'))}
      ${input('documentNo', t('凭证编号', 'Evidence document number'))}
      ${input('description', t('凭证说明', 'Evidence description'))}
      <${ProblemBox} problem=${problem} />
      <${Button} type="submit" disabled=${busy || employerAccountNo === ''}>${t('提交补缴申请', 'Apply for back-pay')}<//>
    </form>
    ${
      mine.length > 0
        ? html`<${Table}
          caption=${t('本次提交的补缴申请', 'Back-pay applied for in this session')}
          head=${[t('申请', 'Application'), t('状态', 'Status'), t('承诺办结', 'Committed by')]}
          rows=${mine.map((a) => [
            html`<code data-testid="back-pay">${a.applicationId}</code>`,
            html`<span data-testid="back-pay-status">${a.status}</span>`,
            a.committedDeadline ? html`<${DateText} value=${a.committedDeadline} />` : '—',
          ])}
        />
        <${Button} kind="secondary" onClick=${refresh}>${t('刷新状态', 'Refresh the status')}<//>`
        : null
    }
  <//>`;
}
