/** 我的办件: the citizen's withdrawals, transfers and loan applications in every centre, each linked to its follow page. */
import { useEffect, useState } from 'preact/hooks';
import { Problem } from '../api.js';
import type { Ctx } from '../context.js';
import { itemText, statusText } from '../follow.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { Button, DateText, Loading, Page, ProblemBox } from '../ui.js';
import { cityName } from './public.js';

type Listed = {
  applicationId: string;
  itemCode: string;
  city: string;
  status: string;
  acceptedAt: string;
};

/** Each list: its route, the member holding the page, its heading and each item's follow page. */
const LISTS = [
  {
    name: 'withdrawals',
    path: '/v1/me/withdrawals',
    member: 'withdrawals',
    title: ['提取', 'Withdrawals'],
    follow: (id: string) => `#/me/withdrawals/${encodeURIComponent(id)}`,
  },
  {
    name: 'transfers',
    path: '/v1/me/transfers',
    member: 'transfers',
    title: ['转移接续', 'Account moves'],
    follow: (id: string) => `#/me/transfers/${encodeURIComponent(id)}`,
  },
  {
    name: 'loan-applications',
    path: '/v1/me/loan-applications',
    member: 'applications',
    title: ['贷款申请', 'Loan applications'],
    follow: (id: string) => `#/me/loan-applications/${encodeURIComponent(id)}`,
  },
] as const;

const PAGE = 5;

/** One list, a page at a time: "more" asks for the next page with the last answer's cursor. */
function ApplicationList({ ctx, list }: { ctx: Ctx; list: (typeof LISTS)[number] }) {
  const [items, setItems] = useState<Listed[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | undefined>();
  const [busy, setBusy] = useState(false);
  const more = async (after: string | null | undefined) => {
    setBusy(true);
    setProblem(undefined);
    try {
      const query = `?limit=${PAGE}${after ? `&cursor=${encodeURIComponent(after)}` : ''}`;
      const page = await ctx.call<Record<string, unknown>>('GET', `${list.path}${query}`);
      setItems((shown) => [...(after ? shown : []), ...(page[list.member] as Listed[])]);
      setCursor(page.nextCursor as string | null);
    } catch (error) {
      setProblem(error instanceof Problem ? error : undefined);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    void more(undefined);
  }, []);
  return html`<section aria-labelledby=${`list-${list.name}`} data-testid=${`list-${list.name}`}>
    <h2 id=${`list-${list.name}`}>${t(list.title[0], list.title[1])}</h2>
    <${ProblemBox} problem=${problem} />
    ${cursor === undefined && !problem ? html`<${Loading} />` : null}
    ${cursor !== undefined && items.length === 0 ? html`<p>${t('暂无。', 'None yet.')}</p>` : null}
    <ul class="cards">
      ${items.map(
        (
          item,
        ) => html`<li class="card" data-testid="my-application" data-id=${item.applicationId} data-status=${item.status}>
          <a href=${list.follow(item.applicationId)}>${itemText(item.itemCode)} · <code>${item.applicationId}</code></a>
          <p>${cityName(item.city)} · ${t('受理', 'accepted')} <${DateText} value=${item.acceptedAt} /> · <strong>${statusText(item.status)}</strong></p>
        </li>`,
      )}
    </ul>
    ${cursor ? html`<${Button} kind="secondary" disabled=${busy} onClick=${() => more(cursor)}>${t('更多', 'More')}<//>` : null}
  </section>`;
}

export function MyApplications({ ctx }: { ctx: Ctx }) {
  return html`<${Page} title=${t('我的办件', 'My applications')}>
    ${LISTS.map((list) => html`<${ApplicationList} ctx=${ctx} list=${list} />`)}
  <//>`;
}
