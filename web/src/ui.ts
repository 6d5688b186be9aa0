/** The portal's small component library: layout, fields, buttons, tables, money, dates, problems. */
import type { ComponentChildren } from 'preact';
import type { Problem } from './api.js';
import { html } from './html.js';
import { type Lang, lang, pick, t } from './i18n.js';

/** 123456 fen → "1,234.56 元" (integer arithmetic: no float rounding). */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.trunc(abs / 100).toLocaleString('en-US');
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}${yuan}.${cents} ${t('元', 'yuan')}`;
}

/** "1500000" or "1,500,000.5" yuan → fen; undefined when it is not an amount. */
export function parseYuan(text: string): number | undefined {
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text.replaceAll(',', '').trim());
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

export const Money = ({ fen }: { fen: number }) => html`<span class="money">${formatYuan(fen)}</span>`;

/** A date or instant, as a Beijing calendar date (the platform's day). */
export function formatDate(value: string): string {
  if (/^\d{4}-\d{2}(-\d{2})?$/.test(value)) return value;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleDateString(lang() === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai' });
}
export const DateText = ({ value }: { value: string }) =>
  html`<time datetime=${value}>${formatDate(value)}</time>`;

export function Page({ title, children }: { title: string; children: ComponentChildren }) {
  return html`<section aria-labelledby="page-title"><h1 id="page-title" tabindex="-1">${title}</h1>${children}</section>`;
}

export function Button({
  children,
  onClick,
  type = 'button',
  kind = 'primary',
  disabled = false,
}: {
  children: ComponentChildren;
  onClick?: () => void;
  type?: 'button' | 'submit';
  kind?: 'primary' | 'secondary';
  disabled?: boolean;
}) {
  return html`<button type=${type} class=${`btn btn-${kind}`} onClick=${onClick} disabled=${disabled}>${children}</button>`;
}

/** A labelled input; the server's error for `name` (errors[].field) marks it and is read with it. */
export function Field({
  name,
  id: givenId,
  label,
  hint,
  problem,
  localError,
  children,
}: {
  name: string;
  /** Default `f-<name>`; give one when the same field appears more than once on a page. */
  id?: string;
  label: string;
  hint?: string;
  problem?: Problem | undefined;
  localError?: string | undefined;
  children: (attrs: Record<string, unknown>) => ComponentChildren;
}) {
  const error = localError ?? (problem?.field(name) ? pick(problem.field(name)?.message) : undefined);
  const id = givenId ?? `f-${name}`;
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class=${error ? 'field field-invalid' : 'field'}>
    <label for=${id}>${label}</label>
    ${hint ? html`<p class="hint" id=${`${id}-hint`}>${hint}</p>` : null}
    ${children({ id, name, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': described || undefined })}
    ${error ? html`<p class="field-error" id=${`${id}-error`} role="alert">${error}</p>` : null}
  </div>`;
}

/** The problem's message in the page's language, and each field or row it names. */
export function ProblemBox({ problem }: { problem: Problem | undefined }) {
  if (!problem) return null;
  const rows = problem.errors.filter((e) => e.message);
  return html`<div class="problem" role="alert" data-code=${problem.code}>
    <p><strong>${pick(problem.text)}</strong></p>
    ${
      rows.length > 0
        ? html`<ul>${rows.map(
            (e) =>
              html`<li>${e.row !== undefined ? `${t('第', 'Row ')}${e.row}${t(' 行', '')} · ` : ''}${e.field ? html`<code>${e.field}</code> ` : ''}${pick(e.message)}</li>`,
          )}</ul>`
        : null
    }
  </div>`;
}

/** A table that scrolls inside itself on a narrow screen, never the page. */
export function Table({
  caption,
  head,
  rows,
}: {
  caption: string;
  head: string[];
  rows: ComponentChildren[][];
}) {
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label=${caption}>
    <table>
      <caption>${caption}</caption>
      <thead><tr>${head.map((cell) => html`<th scope="col">${cell}</th>`)}</tr></thead>
      <tbody>${rows.map((row) => html`<tr>${row.map((cell) => html`<td>${cell}</td>`)}</tr>`)}</tbody>
    </table>
  </div>`;
}

export function Loading() {
  return html`<p class="loading" aria-live="polite">${t('加载中…', 'Loading…')}</p>`;
}

export function LangSwitch({ onChange }: { onChange: (next: Lang) => void }) {
  const next: Lang = lang() === 'zh' ? 'en' : 'zh';
  return html`<button type="button" class="lang" lang=${next === 'zh' ? 'zh-CN' : 'en'} onClick=${() => onChange(next)}>
    ${next === 'zh' ? '中文' : 'English'}
  </button>`;
}

/** A definition list of label → value pairs. */
export function Facts({ items }: { items: [string, ComponentChildren][] }) {
  return html`<dl class="facts">${items.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>`;
}
