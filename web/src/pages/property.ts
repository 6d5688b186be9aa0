/**
 * The staff desk's property register (房屋网签备案): a paper contract's record entered where the
 * housing authority has no online link, confirmed by a second staff member (复核), cancelled on
 * the authority's notice (撤销备案). functions/property-register.
 */
import { useEffect, useState } from 'preact/hooks';
import { asProblem, type Problem } from '../api.js';
import { type Ctx, useResendKey } from '../context.js';
import { html } from '../html.js';
import { pick, t } from '../i18n.js';
import { Button, DateText, Facts, Field, Loading, Money, Page, ProblemBox, parseYuan } from '../ui.js';
import { CITY_CODES, cityName } from './public.js';

/** The server's message for a field or any of its members (`buyers`, `buyers.1.idNumber`). */
export function fieldMessage(problem: Problem | undefined, name: string): string | undefined {
  const error = problem?.errors.find((e) => e.field === name || e.field?.startsWith(`${name}.`));
  return error ? pick(error.message) || error.code : undefined;
}

/** A refusal that names no field but is about one (the number taken, another city's property): its message. */
const refusedOn = (problem: Problem | undefined, code: string) =>
  problem?.code === code ? pick(problem.text) : undefined;

/** One entry per line, blanks dropped. */
export const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

type PropertyRecord = {
  onlineSigningNo: string;
  city: string;
  contractDate: string;
  registeredPriceFen: number;
  buyers: { idNumber: string }[];
  status: 'pending' | 'filed' | 'cancelled';
  source: 'housing-authority' | 'paper';
  evidenceRef?: string;
  enteredBy: string;
  enteredAt: string;
  confirmedBy?: string;
  confirmedAt?: string;
  cancelledBy?: string;
  cancelledAt?: string;
};

const STATUS: Record<PropertyRecord['status'], [string, string]> = {
  pending: ['待复核', 'awaiting the second confirmation'],
  filed: ['已备案', 'filed'],
  cancelled: ['已撤销', 'cancelled'],
};

/** A labelled field's text input or text area, bound to a state. */
export const textInput =
  (value: string, set: (v: string) => void, type = 'text') =>
  (attrs: Record<string, unknown>) =>
    html`<input ...${attrs} type=${type} value=${value} onInput=${(e: Event) => set((e.target as HTMLInputElement).value)} />`;
export const textArea =
  (value: string, set: (v: string) => void, rows = 3) =>
  (attrs: Record<string, unknown>) =>
    html`<textarea ...${attrs} rows=${rows} value=${value} onInput=${(e: Event) => set((e.target as HTMLTextAreaElement).value)}></textarea>`;

/** #/staff/property: find a record by its number, or enter one from the paper contract. */
export function PropertyDesk({ ctx }: { ctx: Ctx }) {
  const [find, setFind] = useState('');
  const [no, setNo] = useState('');
  const [city, setCity] = useState(ctx.session?.claims.city ?? '');
  const [contractDate, setContractDate] = useState('');
  const [price, setPrice] = useState('');
  const [buyers, setBuyers] = useState('');
  const [evidenceRef, setEvidenceRef] = useState('');
  const [problem, setProblem] = useState<Problem | undefined>();
  const [priceError, setPriceError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const keyFor = useResendKey('property');

  const submit = async (event: Event) => {
    event.preventDefault();
    const priceFen = parseYuan(price);
    if (priceFen === undefined || priceFen < 1) {
      setPriceError(
        t(
          '请填写金额（元），例如 1200000 或 1200000.50',
          'Enter an amount in yuan, e.g. 1200000 or 1200000.50',
        ),
      );
      return;
    }
    setPriceError(undefined);
    const body = {
      onlineSigningNo: no.trim(),
      city,
      contractDate,
      registeredPriceFen: priceFen,
      buyers: lines(buyers).map((idNumber) => ({ idNumber })),
      evidenceRef: evidenceRef.trim(),
    };
    setBusy(true);
    setProblem(undefined);
    try {
      const record = await ctx.call<PropertyRecord>('POST', '/v1/staff/property-records', {
        body,
        idempotencyKey: keyFor(body),
      });
      location.hash = `#/staff/property/${encodeURIComponent(record.onlineSigningNo)}`;
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };

  return html`<${Page} title=${t('房屋网签备案', 'Property register (online signing)')}>
    <form data-testid="property-find" onSubmit=${(e: Event) => {
      e.preventDefault();
      if (find.trim()) location.hash = `#/staff/property/${encodeURIComponent(find.trim())}`;
    }}>
      <${Field} name="find" label=${t('查询网签备案号', 'Find an online-signing number')}>
        ${textInput(find, setFind)}
      <//>
      <${Button} type="submit" kind="secondary">${t('查询', 'Find')}<//>
    </form>
    <h2>${t('录入纸质网签备案', 'Enter a paper record')}</h2>
    <p class="hint">${t(
      '房屋所在城市的网签系统未联网时，依据纸质购房合同录入；须由本中心另一名工作人员复核后生效。',
      'Where the housing authority has no online link, enter the paper contract; it is filed once another staff member of the centre confirms it.',
    )}</p>
    <form onSubmit=${submit} novalidate data-testid="property-form">
      <${Field} name="onlineSigningNo" label=${t('网签备案号', 'Online-signing number')} problem=${problem} localError=${refusedOn(problem, 'PROPERTY_RECORD_EXISTS')}>
        ${textInput(no, setNo)}
      <//>
      <${Field} name="city" label=${t('房屋所在城市', 'City of the property')} problem=${problem} localError=${refusedOn(problem, 'NOT_PROPERTY_CITY_STAFF')}>
        ${(
          attrs: Record<string, unknown>,
        ) => html`<select ...${attrs} value=${city} onChange=${(e: Event) => setCity((e.target as HTMLSelectElement).value)}>
          ${CITY_CODES.map((c) => html`<option value=${c}>${cityName(c)}</option>`)}
        </select>`}
      <//>
      <${Field} name="contractDate" label=${t('合同签订日期', 'Contract date')} problem=${problem}>
        ${textInput(contractDate, setContractDate, 'date')}
      <//>
      <${Field} name="registeredPriceFen" id="f-price" label=${t('网签备案价（元）', 'Registered price (yuan)')} problem=${problem} localError=${priceError}>
        ${(attrs: Record<string, unknown>) => html`<input ...${attrs} inputmode="decimal" value=${price} onInput=${(e: Event) => setPrice((e.target as HTMLInputElement).value)} />`}
      <//>
      <${Field} name="buyers" label=${t('购房人身份证号（每行一个）', 'Buyers’ ID numbers (one a line)')} problem=${problem} localError=${fieldMessage(problem, 'buyers')}>
        ${textArea(buyers, setBuyers)}
      <//>
      <${Field} name="evidenceRef" label=${t('纸质合同档案号', 'File reference of the paper contract')} problem=${problem}>
        ${textInput(evidenceRef, setEvidenceRef)}
      <//>
      <${ProblemBox} problem=${problem} />
      <${Button} type="submit" disabled=${busy}>${t('录入备案', 'Enter the record')}<//>
    </form>
  <//>`;
}

/** #/staff/property/<no>: the record as the confirmer checks it against the paper; confirm or cancel. */
export function PropertyRecordPage({ ctx, onlineSigningNo }: { ctx: Ctx; onlineSigningNo: string }) {
  const [record, setRecord] = useState<PropertyRecord | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  const [actionProblem, setActionProblem] = useState<Problem | undefined>();
  const [reason, setReason] = useState('');
  const [cancellationRef, setCancellationRef] = useState('');
  const [busy, setBusy] = useState(false);
  const confirmKey = useResendKey('property-confirm');
  const path = `/v1/staff/property-records/${encodeURIComponent(onlineSigningNo)}`;
  useEffect(() => {
    let live = true;
    setRecord(undefined);
    setProblem(undefined);
    ctx.call<PropertyRecord>('GET', path).then(
      (found) => live && setRecord(found),
      (error: unknown) => live && setProblem(asProblem(error)),
    );
    return () => {
      live = false;
    };
  }, [path]);

  const act = async (send: () => Promise<PropertyRecord>) => {
    setBusy(true);
    setActionProblem(undefined);
    try {
      setRecord(await send());
    } catch (error) {
      setActionProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };
  const confirm = () =>
    act(() =>
      ctx.call<PropertyRecord>('POST', `${path}/confirmation`, {
        idempotencyKey: confirmKey({ confirm: onlineSigningNo }),
      }),
    );
  const cancel = (event: Event) => {
    event.preventDefault();
    void act(() =>
      ctx.call<PropertyRecord>('POST', `${path}/cancellation`, {
        body: { reasonZh: reason.trim(), evidenceRef: cancellationRef.trim() },
      }),
    );
  };

  return html`<${Page} title=${`${t('网签备案', 'Online-signing record')} ${onlineSigningNo}`}>
    <${ProblemBox} problem=${problem} />
    ${!record && !problem ? html`<${Loading} />` : null}
    ${
      record
        ? html`<div class="result" role="status" data-testid="property-record" data-status=${record.status}>
          <p class="big">${t('状态', 'Status')}: <strong>${t(...STATUS[record.status])}</strong></p>
          <${Facts} items=${[
            [t('网签备案号', 'Online-signing number'), html`<code>${record.onlineSigningNo}</code>`],
            [t('房屋所在城市', 'City of the property'), cityName(record.city)],
            [t('合同签订日期', 'Contract date'), record.contractDate],
            [t('网签备案价', 'Registered price'), html`<${Money} fen=${record.registeredPriceFen} />`],
            [t('购房人', 'Buyers'), record.buyers.map((b) => b.idNumber).join('、')],
            [
              t('来源', 'Source'),
              record.source === 'paper'
                ? t('纸质合同录入', 'entered from paper')
                : t('网签系统', 'housing authority'),
            ],
            ...(record.evidenceRef
              ? [[t('档案号', 'File reference'), record.evidenceRef] as [string, unknown]]
              : []),
            [t('录入', 'Entered'), html`${record.enteredBy} · <${DateText} value=${record.enteredAt} />`],
            ...(record.confirmedBy && record.confirmedAt
              ? [
                  [
                    t('复核', 'Confirmed'),
                    html`${record.confirmedBy} · <${DateText} value=${record.confirmedAt} />`,
                  ] as [string, unknown],
                ]
              : []),
            ...(record.cancelledBy && record.cancelledAt
              ? [
                  [
                    t('撤销', 'Cancelled'),
                    html`${record.cancelledBy} · <${DateText} value=${record.cancelledAt} />`,
                  ] as [string, unknown],
                ]
              : []),
          ]} />
        </div>
        <${ProblemBox} problem=${actionProblem} />
        ${
          record.status === 'pending'
            ? html`<div class="actions"><${Button} disabled=${busy} onClick=${confirm}>${t('复核通过', 'Confirm')}<//></div>`
            : null
        }
        ${
          record.status !== 'cancelled'
            ? html`<form onSubmit=${cancel} novalidate data-testid="property-cancel">
              <h2>${t('撤销备案', 'Cancel the record')}</h2>
              <${Field} name="reasonZh" label=${t('撤销原因', 'Reason')} problem=${actionProblem}>
                ${textArea(reason, setReason, 2)}
              <//>
              <${Field} name="evidenceRef" id="f-cancellationRef" label=${t('撤销通知文号', 'Reference of the notice')} problem=${actionProblem}>
                ${textInput(cancellationRef, setCancellationRef)}
              <//>
              <${Button} type="submit" kind="secondary" disabled=${busy}>${t('撤销备案', 'Cancel the record')}<//>
            </form>`
            : null
        }`
        : null
    }
    <p><a href="#/staff/property">${t('房屋网签备案', 'Property register')}</a></p>
  <//>`;
}
