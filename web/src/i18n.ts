/** Chinese first, English on request; the choice is kept for the tab only (sessionStorage). */
export type Lang = 'zh' | 'en';

/** A message in both languages, as problem+json carries it (`zh-CN`, `en`) or the catalogue (`zh`, `en`). */
export type Bilingual = { 'zh-CN'?: string; zh?: string; en?: string };

let current: Lang = (sessionStorage.getItem('lang') as Lang | null) ?? 'zh';

export const lang = () => current;
export function setLang(next: Lang): void {
  current = next;
  sessionStorage.setItem('lang', next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
}

/** Inline pair: t('账户', 'Accounts'). */
export const t = (zh: string, en: string): string => (current === 'zh' ? zh : en);

export function pick(message: Bilingual | undefined): string {
  if (!message) return '';
  return (current === 'zh' ? (message['zh-CN'] ?? message.zh) : message.en) ?? message.en ?? '';
}

/** One name of a record that has nameZh / nameEn. */
export const nameOf = (item: { nameZh?: string; nameEn?: string }): string =>
  (current === 'zh' ? item.nameZh : item.nameEn) ?? item.nameZh ?? '';
