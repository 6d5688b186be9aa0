/** The staff home's health check: this centre pings every centre's inbox and shows each round trip (functions/staff-ping). */
import { useState } from 'preact/hooks';
import { asProblem } from '../api.js';
import type { Ctx } from '../context.js';
import { html } from '../html.js';
import { pick, t } from '../i18n.js';
import { Button, Table } from '../ui.js';
import { CITY_CODES, cityName } from './public.js';

type PingResult = { city: string; roundTripMs?: number; problem?: ReturnType<typeof asProblem> };

export function CentrePing({ ctx }: { ctx: Ctx }) {
  const [results, setResults] = useState<PingResult[] | undefined>();
  const [busy, setBusy] = useState(false);
  const pingAll = async () => {
    setBusy(true);
    setResults(undefined);
    // All at once: each waits for its own pong (up to the centre deadline), so the slowest sets the pace.
    setResults(
      await Promise.all(
        CITY_CODES.map((city) =>
          ctx.call<{ roundTripMs: number }>('POST', `/v1/staff/ping/${city}`).then(
            (pong): PingResult => ({ city, roundTripMs: pong.roundTripMs }),
            (error: unknown): PingResult => ({ city, problem: asProblem(error) }),
          ),
        ),
      ),
    );
    setBusy(false);
  };
  return html`<section aria-labelledby="ping-title" data-testid="ping">
    <h2 id="ping-title">${t('中心连通检测', 'Centre health check')}</h2>
    <p class="hint">${t(
      '经各中心收件队列发送 ping，等待其回复 pong，显示往返时间。',
      'A ping through each centre’s inbox, waiting for its pong: the round trip of each.',
    )}</p>
    <${Button} kind="secondary" disabled=${busy} onClick=${pingAll}>${busy ? t('检测中…', 'Checking…') : t('检测各中心', 'Ping every centre')}<//>
    ${
      results
        ? html`<${Table}
          caption=${t('往返时间', 'Round trips')}
          head=${[t('中心', 'Centre'), t('结果', 'Result')]}
          rows=${results.map((r) => [
            cityName(r.city),
            html`<span data-city=${r.city} data-ok=${r.problem ? 'false' : 'true'}>${
              r.problem ? pick(r.problem.text) : t(`${r.roundTripMs} 毫秒`, `${r.roundTripMs} ms`)
            }</span>`,
          ])}
        />`
        : null
    }
  </section>`;
}
