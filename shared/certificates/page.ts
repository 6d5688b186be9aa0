/**
 * The printable certificate (打印版证明): the verification answer as an HTML page in Chinese for A4,
 * with a QR code of the certificate's public verification address, so a printed copy is checked by
 * scanning it with a phone. Every value is HTML-escaped; the page loads nothing and runs nothing
 * (its Content-Security-Policy allows only its own inline style, by hash).
 */
import { createHash } from 'node:crypto';
import { renderSVG } from 'uqr';
import { toBeijingDate } from '../calendar/working-days.js';
import { publicBaseUrl } from '../config/runtime.js';
import { formatYuan } from '../money/money.js';
import type { CertificateStatus, certificateView } from './records.js';
import { verifyPath } from './records.js';

export type CertificateView = ReturnType<typeof certificateView>;

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/**
 * Whether the caller asked for the page: `text/html` listed with a weight above zero and at least
 * that of JSON (a browser's Accept); anything else keeps the JSON answer.
 */
export function wantsHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const weights = new Map<string, number>();
  for (const part of accept.split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!type) continue;
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(type, Number.isFinite(weight) ? weight : 0);
  }
  const html = weights.get('text/html') ?? 0;
  const json = Math.max(weights.get('application/json') ?? 0, weights.get('application/problem+json') ?? 0);
  return html > 0 && html >= json;
}

/** The address a printed certificate's QR code carries: this same page, on the platform's public URL. */
export function verificationAddress(verificationCode: string): string {
  return `${publicBaseUrl()}${verifyPath(verificationCode)}`;
}

const STYLE = `
@page { size: A4; margin: 18mm 16mm; }
* { box-sizing: border-box; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; color: #000; margin: 0 auto;
  max-width: 178mm; padding: 8mm 0; font-size: 11pt; line-height: 1.6; }
h1 { font-size: 20pt; text-align: center; letter-spacing: 0.2em; margin: 0 0 2mm; }
.centre { text-align: center; font-size: 13pt; margin: 0 0 6mm; }
.status { border: 2px solid #000; padding: 3mm 4mm; margin: 0 0 6mm; }
.status strong { font-size: 14pt; }
.status.expired, .status.revoked { border-style: dashed; }
table { width: 100%; border-collapse: collapse; margin: 0 0 6mm; }
th, td { border: 1px solid #000; padding: 1.6mm 3mm; text-align: left; vertical-align: top; }
th { width: 38%; font-weight: normal; background: #f2f2f2; }
.verify { display: flex; gap: 6mm; align-items: center; }
.verify svg { width: 36mm; height: 36mm; flex: none; }
.code { font-family: monospace; font-size: 12pt; letter-spacing: 0.05em; }
.address { font-family: monospace; font-size: 8.5pt; word-break: break-all; }
@media print { body { padding: 0; } th { background: none; } }
`;

/** The page's policy: nothing loads, nothing runs; only this inline style, pinned by its hash. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface HtmlPage {
  html: string;
  headers: Record<string, string>;
}

/** One page; its content is the main landmark (a screen reader lands on it). */
function page(title: string, body: string): HtmlPage {
  const html =
    `<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>` +
    `<style>${STYLE}</style></head><body><main>${body}</main></body></html>\n`;
  return {
    html,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      vary: 'Accept',
    },
  };
}

const KIND_TITLE: Readonly<Record<CertificateView['kind'], string>> = {
  'deposit-usage': '住房公积金缴存使用证明',
  'loan-payoff': '住房公积金贷款全部还清证明',
};

const ACCOUNT_STATUS_TEXT: Readonly<Record<string, string>> = {
  normal: '正常缴存',
  sealed: '封存',
  closed: '已销户',
  none: '无账户',
};

function centreName(centre: { nameZh: string; provinceZh: string }): string {
  return `${centre.provinceZh}省${centre.nameZh}市住房公积金管理中心`;
}

function beijingDateText(iso: string): string {
  const [y, m, d] = toBeijingDate(iso).split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

const yuan = (fen: number) => `${formatYuan(fen)} 元`;

/** What the status means, in words a citizen understands. */
function statusText(view: CertificateView, status: CertificateStatus): { head: string; detail: string } {
  const centre = centreName(view.issuingCentre);
  if (status === 'revoked') {
    const on = 'revokedAt' in view && view.revokedAt ? `于${beijingDateText(view.revokedAt)}` : '';
    return {
      head: '已作废',
      detail: `本证明已由${centre}${on}作废，不能再作为办理业务的依据。如有疑问，请联系该中心。`,
    };
  }
  if (status === 'expired') {
    const until = view.validUntil ? `有效期至${beijingDateText(view.validUntil)}，` : '';
    return {
      head: '已过期',
      detail: `本证明确由${centre}出具，但${until}现已过期，不能再作为办理业务的依据。如仍需使用，请重新申请出具。`,
    };
  }
  const until = view.validUntil ? `有效期至${beijingDateText(view.validUntil)}。` : '长期有效。';
  return { head: '真实有效', detail: `本证明由${centre}出具，经核验真实有效，${until}` };
}

function factRows(view: CertificateView): [string, string][] {
  if (view.kind === 'deposit-usage') {
    const f = view.facts as Extract<CertificateView['facts'], { asOf: string }>;
    return [
      ['缴存中心', centreName(f.depositCentre)],
      ['个人公积金账号', f.personalAccountNoMasked],
      ['账户状态', ACCOUNT_STATUS_TEXT[f.accountStatus] ?? f.accountStatus],
      ['月缴存基数', yuan(f.monthlyDepositBaseFen)],
      ['月缴存额', yuan(f.monthlyDepositFen)],
      ['连续缴存月数', `${f.continuousDepositMonths} 个月`],
      ['账户余额', yuan(f.balanceFen)],
      ['未结清住房公积金贷款', `${f.outstandingHpfLoans} 笔`],
      ['是否列入失信记录', f.onViolationList ? '是' : '否'],
      ['数据截至', beijingDateText(`${f.asOf}T12:00:00+08:00`)],
    ];
  }
  const f = view.facts as Extract<CertificateView['facts'], { loanId: string }>;
  return [
    ['贷款中心', centreName(f.lendingCentre)],
    ['贷款编号', f.loanId],
    ['贷款本金', yuan(f.principalFen)],
    ['合同日期', f.contractDate],
    ['结清日期', f.repaidOn ?? '—'],
    ['剩余未还本金', yuan(f.outstandingPrincipalFen)],
  ];
}

/** The certificate as a printable page, its QR code carrying `address` (this page's public URL). */
export function certificatePage(view: CertificateView, address: string): HtmlPage {
  const title = KIND_TITLE[view.kind];
  const status = statusText(view, view.status);
  // A quiet zone of four modules (ISO/IEC 18004) so phone cameras find the code on paper.
  const qr = renderSVG(address, { ecc: 'M', border: 4, pixelSize: 4 });
  const rows: [string, string][] = [
    ['持证人姓名', view.holder.nameMasked],
    ['身份证号码', view.holder.idNumberMasked],
    ...factRows(view),
    ['出具日期', beijingDateText(view.issuedAt)],
    ['有效期', view.validity['zh-CN']],
  ];
  const body =
    `<h1>${escapeHtml(title)}</h1>` +
    `<p class="centre">${escapeHtml(centreName(view.issuingCentre))}</p>` +
    `<div class="status ${escapeHtml(view.status)}"><p><strong>核验结果：${escapeHtml(status.head)}</strong></p>` +
    `<p>${escapeHtml(status.detail)}</p></div>` +
    `<table>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>` +
    `<div class="verify">${qr}<div><p>验证码：<span class="code">${escapeHtml(view.verificationCode)}</span></p>` +
    `<p>用手机扫描二维码，或访问下列地址输入验证码，即可核验本证明的真伪和当前状态：</p>` +
    `<p class="address">${escapeHtml(address)}</p>` +
    `<p>个人信息已作脱敏处理。本证明以核验时显示的状态为准。</p></div></div>`;
  return page(`${title}（${status.head}）`, body);
}

/** An unknown or malformed code: the same words for both, nothing about why. */
export function notFoundPage(): HtmlPage {
  return page(
    '未查到该证明',
    '<h1>未查到该证明</h1><div class="status revoked"><p><strong>核验结果：查无此证明</strong></p>' +
      '<p>没有找到与该验证码对应的证明。请核对验证码是否输入正确；若证明上的二维码或验证码无法核验，' +
      '该证明不能作为办理业务的依据，请联系出具证明的住房公积金管理中心。</p></div>',
  );
}
