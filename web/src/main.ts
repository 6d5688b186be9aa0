/** The portal: hash routes, sign-in state, the page frame. */
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { completeSignIn, type Session, startSignIn } from './auth.js';
import { loadConfig, type PortalConfig } from './config.js';
import { type Ctx, makeCall } from './context.js';
import { html } from './html.js';
import { type Lang, lang, setLang, t } from './i18n.js';
import { AgentCounter, AgentTransfer, AgentWithdrawal } from './pages/agent.js';
import { Accounts, Certificates, Ledger, LoanApplication, LoanDetail, Loans } from './pages/citizen.js';
import { CoApplicantConsent, LoanApplicationDetail } from './pages/consent.js';
import { BackPay, BaseAdjustment, Employees, EmployerRegistration, Remittance } from './pages/employer.js';
import { EnforcementDesk, EnforcementRecordPage } from './pages/enforcement.js';
import { MyApplications } from './pages/my-applications.js';
import { CentrePing } from './pages/ping.js';
import { PropertyDesk, PropertyRecordPage } from './pages/property.js';
import { Calculator, Catalogue, Cities, cityName, Guide, Verify } from './pages/public.js';
import { MyRestrictions } from './pages/restrictions.js';
import { Audit, PayoutReturns, RegionalStats, WorkQueue } from './pages/staff.js';
import { TransferApplication, TransferDetail } from './pages/transfers.js';
import { PaymentConfirmation, VoluntaryAccount, VoluntaryAccounts } from './pages/voluntary.js';
import { WithdrawalApplication, WithdrawalDetail } from './pages/withdrawals.js';
import { LangSwitch } from './ui.js';

const currentRoute = () => location.hash.replace(/^#/, '') || '/';

/**
 * The route's parts, decoded; none for an address that is no page: a malformed escape, or a `.` or
 * `..` part (encodeURIComponent keeps dots, and fetch would take `..` as the parent path).
 */
function routeParts(path: string): string[] | undefined {
  try {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    return parts.some((part) => part === '.' || part === '..') ? undefined : parts;
  } catch {
    return undefined;
  }
}

function route(ctx: Ctx, path: string) {
  const parts = routeParts(path) ?? ['no-such-page'];
  const needs = (role: Session['claims']['role'], page: unknown) =>
    ctx.session?.claims.role === role
      ? page
      : html`<section><h1 tabindex="-1" id="page-title">${t('请登录', 'Please sign in')}</h1>
          <button type="button" class="btn btn-primary" onClick=${() => ctx.signIn(`#${path}`)}>${t('登录', 'Sign in')}</button></section>`;
  switch (parts[0]) {
    case undefined:
      return html`<${Catalogue} ctx=${ctx} />`;
    case 'services':
      return html`<${Guide} ctx=${ctx} code=${parts[1] ?? ''} />`;
    case 'cities':
      return html`<${Cities} ctx=${ctx} />`;
    case 'calculator':
      return html`<${Calculator} ctx=${ctx} />`;
    case 'verify':
      return html`<${Verify} ctx=${ctx} code=${parts[1]} />`;
    case 'me':
      if (parts[1] === 'accounts' && parts[2])
        return needs('citizen', html`<${Ledger} ctx=${ctx} accountNo=${parts[2]} />`);
      if (parts[1] === 'loans' && parts[2])
        return needs('citizen', html`<${LoanDetail} ctx=${ctx} loanId=${parts[2]} />`);
      if (parts[1] === 'loans') return needs('citizen', html`<${Loans} ctx=${ctx} />`);
      if (parts[1] === 'apply') return needs('citizen', html`<${LoanApplication} ctx=${ctx} />`);
      if (parts[1] === 'applications') return needs('citizen', html`<${MyApplications} ctx=${ctx} />`);
      if (parts[1] === 'loan-applications' && parts[2])
        return needs('citizen', html`<${LoanApplicationDetail} ctx=${ctx} id=${parts[2]} />`);
      if (parts[1] === 'certificates') return needs('citizen', html`<${Certificates} ctx=${ctx} />`);
      if (parts[1] === 'withdrawals' && parts[2])
        return needs('citizen', html`<${WithdrawalDetail} ctx=${ctx} id=${parts[2]} />`);
      if (parts[1] === 'withdrawals') return needs('citizen', html`<${WithdrawalApplication} ctx=${ctx} />`);
      if (parts[1] === 'transfers' && parts[2])
        return needs('citizen', html`<${TransferDetail} ctx=${ctx} id=${parts[2]} />`);
      if (parts[1] === 'transfers') return needs('citizen', html`<${TransferApplication} ctx=${ctx} />`);
      if (parts[1] === 'voluntary' && parts[2])
        return needs('citizen', html`<${VoluntaryAccount} ctx=${ctx} accountNo=${parts[2]} />`);
      if (parts[1] === 'voluntary') return needs('citizen', html`<${VoluntaryAccounts} ctx=${ctx} />`);
      if (parts[1] === 'consent')
        return needs('citizen', html`<${CoApplicantConsent} ctx=${ctx} id=${parts[2]} />`);
      if (parts[1] === 'restrictions') return needs('citizen', html`<${MyRestrictions} ctx=${ctx} />`);
      return needs('citizen', html`<${Accounts} ctx=${ctx} />`);
    case 'agent':
      if (parts[1] === 'withdrawal') return needs('agent', html`<${AgentWithdrawal} ctx=${ctx} />`);
      if (parts[1] === 'payments') return needs('agent', html`<${PaymentConfirmation} ctx=${ctx} />`);
      if (parts[1] === 'transfer') return needs('agent', html`<${AgentTransfer} ctx=${ctx} />`);
      return needs('agent', html`<${AgentCounter} ctx=${ctx} />`);
    case 'employer':
      if (parts[1] === 'remittance') return needs('employer', html`<${Remittance} ctx=${ctx} />`);
      if (parts[1] === 'register') return needs('employer', html`<${EmployerRegistration} ctx=${ctx} />`);
      if (parts[1] === 'employees') return needs('employer', html`<${Employees} ctx=${ctx} />`);
      if (parts[1] === 'back-pay') return needs('employer', html`<${BackPay} ctx=${ctx} />`);
      return needs('employer', html`<${BaseAdjustment} ctx=${ctx} />`);
    case 'staff':
      if (parts[1] === 'stats') return needs('staff', html`<${RegionalStats} ctx=${ctx} />`);
      if (parts[1] === 'audit') return needs('staff', html`<${Audit} ctx=${ctx} />`);
      // The staff desk's registers (pages/property.ts, pages/enforcement.ts)
      if (parts[1] === 'property' && parts[2])
        return needs('staff', html`<${PropertyRecordPage} ctx=${ctx} onlineSigningNo=${parts[2]} />`);
      if (parts[1] === 'property') return needs('staff', html`<${PropertyDesk} ctx=${ctx} />`);
      if (parts[1] === 'enforcement' && parts[2])
        return needs('staff', html`<${EnforcementRecordPage} ctx=${ctx} id=${parts[2]} />`);
      if (parts[1] === 'enforcement') return needs('staff', html`<${EnforcementDesk} ctx=${ctx} />`);
      if (parts[1] === 'payouts') return needs('staff', html`<${PayoutReturns} ctx=${ctx} />`);
      return needs('staff', html`<${WorkQueue} ctx=${ctx} /><${CentrePing} ctx=${ctx} />`);
    default:
      return html`<section><h1 id="page-title" tabindex="-1">${t('页面不存在', 'No such page')}</h1><a href="#/">${t('返回首页', 'Home')}</a></section>`;
  }
}

const ROLE: Record<string, [string, string]> = {
  citizen: ['缴存职工', 'citizen'],
  employer: ['单位', 'employer'],
  staff: ['中心工作人员', 'staff'],
  agent: ['受托网点', 'agent'],
};

function App({
  config,
  initialSession,
  signInError,
}: {
  config: PortalConfig;
  initialSession?: Session;
  signInError?: string;
}) {
  const [path, setPath] = useState(currentRoute());
  const [session, setSession] = useState<Session | undefined>(initialSession);
  const [, setLanguage] = useState<Lang>(lang());
  useEffect(() => {
    const onHash = () => {
      setPath(currentRoute());
      // Focus the new page's heading so keyboard and screen-reader users land on it.
      requestAnimationFrame(() => document.getElementById('page-title')?.focus());
    };
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const ctx = useMemo<Ctx>(
    () => ({
      config,
      session,
      signIn: (returnTo = location.hash || '#/') => void startSignIn(config, returnTo),
      call: makeCall(config, session),
    }),
    [config, session],
  );
  const role = session?.claims.role;
  const links: [string, string][] = [
    ['#/', t('服务事项', 'Services')],
    ['#/cities', t('十市中心', 'Centres')],
    ['#/calculator', t('贷款试算', 'Calculator')],
    ['#/verify', t('证明核验', 'Verify')],
    ...(role === 'citizen'
      ? ([
          ['#/me', t('我的账户', 'My accounts')],
          ['#/me/applications', t('我的办件', 'My applications')],
          ['#/me/loans', t('我的贷款', 'My loans')],
          ['#/me/apply', t('申请贷款', 'Apply for a loan')],
          ['#/me/certificates', t('开具证明', 'Certificates')],
          ['#/me/withdrawals', t('提取', 'Withdrawals')],
          ['#/me/transfers', t('转移接续', 'Move account')],
          ['#/me/voluntary', t('自愿缴存', 'Voluntary deposits')],
          ['#/me/consent', t('配偶确认', "Spouse's consent")],
          ['#/me/restrictions', t('我的限制与公示', 'Restrictions')],
        ] as [string, string][])
      : []),
    ...(role === 'agent'
      ? ([
          ['#/agent', t('柜台受理', 'Counter')],
          ['#/agent/withdrawal', t('柜台提取', 'Counter withdrawal')],
          ['#/agent/payments', t('缴款到账', 'Payments received')],
          ['#/agent/transfer', t('柜台转移接续', 'Counter transfer')],
        ] as [string, string][])
      : []),
    ...(role === 'employer'
      ? ([
          ['#/employer/register', t('单位开户', 'Register')],
          ['#/employer/employees', t('职工账户', 'Employees')],
          ['#/employer/remittance', t('按月汇缴', 'Remittance')],
          ['#/employer/back-pay', t('补缴', 'Back-pay')],
          ['#/employer/base-adjustment', t('基数调整', 'Base adjustment')],
        ] as [string, string][])
      : []),
    ...(role === 'staff'
      ? ([
          ['#/staff', t('工作台', 'Work queue')],
          ['#/staff/payouts', t('退票', 'Returned payouts')],
          ['#/staff/audit', t('审计', 'Audit')],
          ['#/staff/stats', t('区域统计', 'Statistics')],
          ['#/staff/property', t('网签备案', 'Property register')],
          ['#/staff/enforcement', t('联合惩戒', 'Enforcement')],
        ] as [string, string][])
      : []),
  ];
  return html`<a class="skip" href="#main" onClick=${(e: Event) => {
    e.preventDefault();
    document.getElementById('page-title')?.focus();
  }}>${t('跳到正文', 'Skip to content')}</a>
    <header class="top">
      <a class="brand" href="#/">${t('淮海经济区住房公积金', 'Huaihai HPF')}</a>
      <div class="top-actions">
        <${LangSwitch} onChange=${(next: Lang) => {
          setLang(next);
          setLanguage(next);
        }} />
        ${
          session
            ? html`<span class="who" data-testid="who">${t(...(ROLE[session.claims.role] ?? [session.claims.role, session.claims.role]))}${session.claims.city ? ` · ${cityName(session.claims.city)}` : ''}</span>
              <button type="button" class="btn btn-secondary" onClick=${() => setSession(undefined)}>${t('退出', 'Sign out')}</button>`
            : html`<button type="button" class="btn btn-primary" data-testid="sign-in" onClick=${() => ctx.signIn()}>${t('登录', 'Sign in')}</button>`
        }
      </div>
    </header>
    <nav aria-label=${t('主导航', 'Main')}><ul>
      ${links.map(([href, label]) => html`<li><a href=${href} aria-current=${`#${path}` === href ? 'page' : undefined}>${label}</a></li>`)}
    </ul></nav>
    <main id="main">
      ${signInError ? html`<p class="problem" role="alert">${t('登录失败：', 'Sign-in failed: ')}${signInError}</p>` : null}
      ${route(ctx, path)}
    </main>
    <footer><p>${t('演示平台：数据均为演示数据。', 'Demo platform: all data is demo data.')}</p></footer>`;
}

async function start(): Promise<void> {
  setLang(lang());
  const root = document.getElementById('app') as HTMLElement;
  const config = await loadConfig();
  let session: Session | undefined;
  let signInError: string | undefined;
  try {
    session = (await completeSignIn(config))?.session;
  } catch (error) {
    signInError = (error as Error).message;
  }
  // The static page's loading line: Preact 11 renders beside what the root holds, so it goes first.
  root.replaceChildren();
  render(html`<${App} config=${config} initialSession=${session} signInError=${signInError} />`, root);
}

void start();
