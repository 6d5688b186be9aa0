/**
 * A loan application followed by its applicant (撤回 with a confirmation step), and the spouse's
 * consent (配偶 / 共同申请人确认). The API lists nothing that awaits a spouse: the spouse learns the
 * application by the link (or QR code) the applicant's page shows, or types its number.
 */
import { useEffect, useState } from 'preact/hooks';
import { renderSVG } from 'uqr';
import { asProblem, type Problem } from '../api.js';
import { type Ctx, useLoad } from '../context.js';
import { FollowApplication, type Followed, timeLeftText } from '../follow.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { Button, DateText, Facts, Field, Loading, Money, Page, ProblemBox } from '../ui.js';
import { cityName } from './public.js';

type LoanApplicationFollowed = Followed & {
  city: string;
  acceptedAt: string;
  request: { propertyCity: string; requestedFen: number; termMonths: number };
  decision?: { outcome: string; approvedFen?: number; amountFen?: number };
  loanId?: string;
  household?: {
    maritalStatus: string;
    spouse?: { idNumberMasked: string; coApplies: boolean; consentedAt: string | null };
  };
};

/** Statuses after which a loan application needs staff or the borrower: the page stops asking. */
const LOAN_SETTLED = ['review', 'pending_confirmation', 'approved', 'rejected', 'disbursed', 'withdrawn'];
/** What the applicant may still withdraw (shared/applications/kernel.ts: → withdrawn). */
const WITHDRAWABLE = ['awaiting_facts', 'review', 'pending_confirmation', 'approved'];
/** Where a spouse's consent is still taken (shared/loans/consent.ts). */
const CONSENT_OPEN = ['awaiting_facts', 'review'];

/** The consent page's address in this portal, for the spouse's own phone. */
export const consentLink = (applicationId: string) =>
  `${location.origin}${location.pathname}#/me/consent/${encodeURIComponent(applicationId)}`;

function ConsentInvitation({ applicationId }: { applicationId: string }) {
  const link = consentLink(applicationId);
  const qr = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(link, { border: 2 }))}`;
  return html`<div class="result" data-testid="consent-invitation">
    <h2>${t('等待配偶确认', 'Waiting for your spouse')}</h2>
    <p>${t(
      '请配偶用本人账号登录后打开此链接（或扫描二维码）确认；确认前不查询配偶的任何信息，审批等待确认。',
      'Your spouse signs in with their own account and opens this link (or scans the QR code) to confirm; nothing about them is looked up until then, and the decision waits.',
    )}</p>
    <p><a href=${link} data-testid="consent-link">${link}</a></p>
    <img src=${qr} width="180" height="180" alt=${t('配偶确认页面的二维码', 'QR code of the consent page')} />
    <p class="hint">${t('或告诉配偶申请编号：', 'Or give your spouse the application number: ')}<code>${applicationId}</code></p>
  </div>`;
}

/** One loan application followed by its applicant (the list and the application's answer link here). */
export function LoanApplicationDetail({ ctx, id }: { ctx: Ctx; id: string }) {
  const path = `/v1/me/loan-applications/${encodeURIComponent(id)}`;
  return html`<${Page} title=${`${t('贷款申请', 'Loan application')} ${id}`}>
    <${FollowApplication}
      ctx=${ctx}
      path=${path}
      settled=${LOAN_SETTLED}
      testid="loan-application"
      facts=${(application: LoanApplicationFollowed) => {
        const spouse = application.household?.spouse;
        return [
          [t('贷款中心', 'Lending centre'), cityName(application.city)],
          [t('申请金额', 'Amount asked'), html`<${Money} fen=${application.request.requestedFen} />`],
          [
            t('期限', 'Term'),
            t(`${application.request.termMonths} 个月`, `${application.request.termMonths} months`),
          ],
          [t('受理时间', 'Accepted'), html`<${DateText} value=${application.acceptedAt} />`],
          [t('承诺办结', 'Committed by'), html`<${DateText} value=${application.committedDeadline} />`],
          [t('剩余时限', 'Time left'), timeLeftText(application)],
          ...(spouse
            ? [
                [
                  spouse.coApplies ? t('共同申请人（配偶）', 'Co-applicant (spouse)') : t('配偶', 'Spouse'),
                  html`<span data-testid="spouse-consent">${spouse.idNumberMasked} · ${spouse.consentedAt ? t('已确认', 'confirmed') : t('待确认', 'not yet confirmed')}</span>`,
                ] as [string, unknown],
              ]
            : []),
          ...(application.decision?.approvedFen !== undefined
            ? [
                [
                  t('批准金额', 'Amount approved'),
                  html`<${Money} fen=${application.decision.approvedFen} />`,
                ] as [string, unknown],
              ]
            : []),
          ...(application.loanId
            ? [
                [
                  t('贷款', 'Loan'),
                  html`<a href=${`#/me/loans/${encodeURIComponent(application.loanId)}`}>${application.loanId}</a>`,
                ] as [string, unknown],
              ]
            : []),
        ];
      }}
      actions=${(
        application: LoanApplicationFollowed,
        replace: (next: LoanApplicationFollowed) => void,
        fail: (problem: Problem | undefined) => void,
      ) => {
        const spouse = application.household?.spouse;
        return html`${spouse && !spouse.consentedAt && CONSENT_OPEN.includes(application.status) ? html`<${ConsentInvitation} applicationId=${application.applicationId} />` : null}
          ${WITHDRAWABLE.includes(application.status) ? html`<${Withdraw} ctx=${ctx} path=${path} replace=${replace} fail=${fail} />` : null}`;
      }}
    />
    <p><a href="#/me/applications">${t('我的办件', 'My applications')}</a> · <a href="#/me/loans">${t('我的贷款', 'My loans')}</a></p>
  <//>`;
}

/** 撤回, with a confirmation step that takes the focus: a keyboard user reads the question, then Tab to answer it. */
function Withdraw({
  ctx,
  path,
  replace,
  fail,
}: {
  ctx: Ctx;
  path: string;
  replace: (next: LoanApplicationFollowed) => void;
  fail: (problem: Problem | undefined) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (confirming) document.getElementById('withdraw-q')?.focus();
  }, [confirming]);
  const withdraw = async () => {
    setBusy(true);
    fail(undefined);
    try {
      replace(await ctx.call<LoanApplicationFollowed>('POST', `${path}/withdrawal`));
      setConfirming(false);
    } catch (error) {
      fail(asProblem(error));
    } finally {
      setBusy(false);
    }
  };
  if (!confirming)
    return html`<${Button} kind="secondary" onClick=${() => setConfirming(true)}>${t('撤回申请', 'Withdraw the application')}<//>`;
  return html`<div class="confirm" role="alertdialog" aria-labelledby="withdraw-q" data-testid="withdraw-confirm">
    <p id="withdraw-q" tabindex="-1"><strong>${t('确定撤回此贷款申请？撤回后不能恢复，如需贷款须重新申请。', 'Withdraw this application? It cannot be undone: a loan needs a new application.')}</strong></p>
    <${Button} disabled=${busy} onClick=${withdraw}>${t('确认撤回', 'Yes, withdraw')}<//>
    <${Button} kind="secondary" onClick=${() => setConfirming(false)}>${t('不撤回', 'Keep it')}<//>
  </div>`;
}

/** The spouse, signed in as themselves, confirms the household (and co-application) of one application. */
type ConsentRequest = {
  applicationId: string;
  lendingCity: string;
  applicantIdNumberMasked: string;
  requestedFen: number;
  termMonths: number;
  coApplies: boolean;
  consentedAt: string | null;
  open: boolean;
};

/** The spouse, signed in as themselves, confirms the household (and co-application) of one application. */
export function CoApplicantConsent({ ctx, id }: { ctx: Ctx; id?: string | undefined }) {
  const [typed, setTyped] = useState('');
  if (id) return html`<${ConsentAsked} ctx=${ctx} id=${id} />`;
  const open = (event: Event) => {
    event.preventDefault();
    if (typed.trim() !== '') location.hash = `#/me/consent/${encodeURIComponent(typed.trim())}`;
  };
  return html`<${Page} title=${t('配偶确认', "Spouse's consent")}>
    <p class="hint">${t(
      '配偶申请住房公积金贷款并填写了您的身份证号时，请打开其发给您的链接，或输入申请编号。',
      'When your spouse applies for an HPF loan naming you, open the link they sent you, or type the application number.',
    )}</p>
    <form onSubmit=${open} novalidate>
      <${Field} name="applicationId" label=${t('申请编号', 'Application number')}>
        ${(attrs: Record<string, unknown>) => html`<input ...${attrs} autocomplete="off" value=${typed} onInput=${(e: Event) => setTyped((e.target as HTMLInputElement).value)} />`}
      <//>
      <${Button} type="submit">${t('打开', 'Open')}<//>
    </form>
  <//>`;
}

/**
 * What the spouse is asked to confirm, read from the server first (who applied, where, for how
 * much, as co-applicant or not): a link alone proves nothing, and nobody confirms blind.
 */
function ConsentAsked({ ctx, id }: { ctx: Ctx; id: string }) {
  const path = `/v1/me/loan-applications/${encodeURIComponent(id)}/co-applicant-consent`;
  const asked = useLoad(() => ctx.call<ConsentRequest>('GET', path), `consent:${id}`);
  const [problem, setProblem] = useState<Problem | undefined>();
  const [consented, setConsented] = useState<{ coApplicantConsentedAt: string } | undefined>();
  const [busy, setBusy] = useState(false);
  const consent = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      setConsented(await ctx.call('POST', path));
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };
  const request = asked.data;
  const consentedAt = consented?.coApplicantConsentedAt ?? request?.consentedAt;
  return html`<${Page} title=${t('配偶确认', "Spouse's consent")}>
    <${ProblemBox} problem=${asked.problem ?? problem} />
    ${!request && !asked.problem ? html`<${Loading} />` : null}
    ${
      request
        ? html`<${Facts} items=${[
            [t('申请编号', 'Application'), html`<code>${request.applicationId}</code>`],
            [
              t('申请人', 'Applicant'),
              html`<span data-testid="consent-applicant">${request.applicantIdNumberMasked}</span>`,
            ],
            [t('贷款城市', 'Lending city'), cityName(request.lendingCity)],
            [t('申请金额', 'Amount asked'), html`<${Money} fen=${request.requestedFen} />`],
            [t('期限', 'Term'), t(`${request.termMonths} 个月`, `${request.termMonths} months`)],
            [
              t('您的身份', 'You are'),
              request.coApplies ? t('共同申请人（配偶）', 'Co-applicant (spouse)') : t('配偶', 'Spouse'),
            ],
          ]} />
          <p>${
            request.coApplies
              ? t(
                  '确认后，贷款中心将向您缴存的中心查询您的公积金贷款记录和缴存信息，并计入可贷额度。',
                  'Once you confirm, the lending centre asks the centres where you deposit for your HPF loans and your deposit facts, which count toward the limit.',
                )
              : t(
                  '确认后，贷款中心将向您缴存的中心查询您的公积金贷款记录。',
                  'Once you confirm, the lending centre asks the centres where you deposit for your HPF loans.',
                )
          }</p>
          <p class="hint">${t(
            '申请人不是您的配偶，或不同意，则无需操作：未经您确认，平台不查询您的信息，申请将转人工审核。',
            'If the applicant is not your spouse, or you do not agree, do nothing: nothing about you is looked up without your consent, and the application goes to staff.',
          )}</p>
          ${
            consentedAt
              ? html`<div class="result" role="status" data-testid="consented">
                  <p class="big">${t('已确认。', 'Confirmed.')} <${DateText} value=${consentedAt} /></p>
                </div>`
              : request.open
                ? html`<${Button} disabled=${busy} onClick=${consent}>${t('我是配偶，同意并确认', 'I am the spouse: I confirm')}<//>`
                : html`<p data-testid="consent-closed">${t('此申请已不再接受确认。', 'This application no longer takes a consent.')}</p>`
          }`
        : null
    }
  <//>`;
}
