/**
 * ACCOUNT_TRANSFER 转移接续 on the emulators: 临沂 → 徐州 end to end over the inboxes with both
 * ledgers; refusals (not sealed, a loan) that move nothing; and, between 济宁 and 枣庄 whose workers
 * do not run here, the test plays the network: duplicated, reordered and lost messages, a crash
 * between the debit and its message, a receiving account closed meanwhile (the money goes back),
 * a silent sending centre (to staff), a cancellation — with the conservation invariant checked.
 */
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from '@jest/globals';
import { handleMessage, sendReply } from '../../functions/centre-worker/messages.js';
import { sweepApplications } from '../../shared/applications/sweep.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import { CITY_CODES, type CityCode } from '../../shared/config/cities.js';
import { getPersonalAccount } from '../../shared/deposits/store.js';
import { loanIndexKey } from '../../shared/loans/store.js';
import { type Envelope, newMessage, parseEnvelope } from '../../shared/messaging/envelope.js';
import { centreRepository, workerRepository } from '../../shared/persistence/centre-repository.js';
import { submitTransfer, sweepTransfersOut } from '../../shared/transfers/flows.js';
import { conserved } from '../../shared/transfers/saga.js';
import {
  getTransfer,
  getTransferOut,
  receivingStateOf,
  type TransferApplication,
} from '../../shared/transfers/store.js';
import { makeDepositor, sealAccount } from '../support/depositors.js';
import { asJob } from '../support/jobs.js';
import { assertBalanceEqualsLedger, ledgerEntries } from '../support/ledger-assertions.js';
import { decided } from '../support/loans.js';
import { useLocalRegion } from '../support/local-region.js';
import { homeBoughtBy } from '../support/properties.js';
import { eventually, withInboxesUnreachable } from '../support/region.js';

/** 济宁 and 枣庄: no worker, the test delivers their messages itself. */
const MANUAL: CityCode[] = ['370800', '370400'];
const region = useLocalRegion(CITY_CODES.filter((city) => !MANUAL.includes(city)));

async function balance(city: CityCode, no: string): Promise<number> {
  return (await getPersonalAccount(centreRepository(city), no))?.balanceFen ?? Number.NaN;
}

async function citizen(idNumber: string) {
  return region.api.token({ sub: `c-${idNumber.slice(-6)}`, role: 'citizen', idNumber });
}

async function settled(city: CityCode, id: string): Promise<TransferApplication> {
  return eventually(
    async () => {
      const transfer = await getTransfer(centreRepository(city), id);
      return transfer && transfer.status !== 'awaiting_facts' ? transfer : undefined;
    },
    20_000,
    `transfer ${id} settled`,
  );
}

/** A person with an account in `from` (12 months, sealed unless told) and one in `to` (3 months). */
async function mover(from: CityCode, to: CityCode, options: { sealed?: boolean } = {}) {
  const person = await makeDepositor([from], 12);
  const there = await makeDepositor([to], 3, person.idNumber);
  const fromNo = person.accounts[from] as string;
  const toNo = there.accounts[to] as string;
  if (options.sealed ?? true) await sealAccount(from, fromNo);
  return { ...person, fromNo, toNo, startFen: (await balance(from, fromNo)) + (await balance(to, toNo)) };
}

describe('临沂 → 徐州 over the inboxes', () => {
  it('debits and closes the sealed 临沂 account with interest to date, credits 徐州 once, and the months count in a 徐州 loan', async () => {
    const p = await mover('371300', '320300');
    const token = await citizen(p.idNumber);
    const body = { personalAccountNo: p.fromNo, toCity: '320300' };
    const key = `transfer-${crypto.randomUUID()}`;
    const accepted = await region.api.request('POST', '/v1/me/transfers', {
      token,
      headers: { 'idempotency-key': key },
      json: body,
    });
    expect(accepted.status).toBe(202);
    const { applicationId, committedDeadline } = (await accepted.json()) as {
      applicationId: string;
      committedDeadline: string;
    };
    expect(applicationId).toMatch(/^320300-T-/);
    expect(Date.parse(committedDeadline)).toBeGreaterThan(Date.now());

    // The same key and body: the same transfer; another body: 422.
    const again = await region.api.request('POST', '/v1/me/transfers', {
      token,
      headers: { 'idempotency-key': key },
      json: body,
    });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const reused = await region.api.request('POST', '/v1/me/transfers', {
      token,
      headers: { 'idempotency-key': key },
      json: { ...body, toCity: '370800' },
    });
    expect(reused.status).toBe(422);
    expect(((await reused.json()) as { code: string }).code).toBe('IDEMPOTENCY_KEY_REUSED');

    const transfer = await settled('320300', applicationId);
    expect(transfer.status).toBe('paid');
    // Two at once with a new key, after the move: one application, refused (the account is closed).
    const race = () =>
      region.api.request('POST', '/v1/me/transfers', {
        token,
        headers: { 'idempotency-key': `race-${key}` },
        json: body,
      });
    const raced = await Promise.all([race(), race()]);
    const racedIds = await Promise.all(
      raced.map(async (r) => ((await r.json()) as { applicationId?: string }).applicationId),
    );
    expect(new Set(racedIds).size).toBe(1);
    const closedAlready = await settled('320300', racedIds[0] as string);
    expect(closedAlready.reasons?.map((r) => r.code)).toEqual(['TRANSFER_ACCOUNT_CLOSED']);
    expect(receivingStateOf(transfer)).toBe('credited');
    const interestFen = transfer.interestFen ?? 0;
    expect(interestFen).toBeGreaterThan(0);

    // 临沂: interest to date, then the whole balance out, closed; 徐州: one credit of that amount.
    const sending = await assertBalanceEqualsLedger('371300', p.fromNo);
    expect(sending.account).toMatchObject({ status: 'closed', balanceFen: 0 });
    expect(sending.entries.slice(-2).map((e) => [e.reference, e.amountFen])).toEqual([
      [`INTEREST-TO-DATE#${applicationId}`, interestFen],
      [`TRANSFER-OUT#${applicationId}`, -(transfer.amountFen ?? 0)],
    ]);
    const receiving = await assertBalanceEqualsLedger('320300', p.toNo);
    expect(receiving.entries.filter((e) => e.kind === 'transfer-in').map((e) => e.amountFen)).toEqual([
      transfer.amountFen,
    ]);
    expect(
      conserved({
        startTotalFen: p.startFen,
        interestSettledFen: interestFen,
        sendingBalanceFen: sending.account.balanceFen,
        receivingBalanceFen: receiving.account.balanceFen,
        inTransitFen: 0,
      }),
    ).toBe(true);

    // 临沂 hears the credit: its in-transit record is completed, among its centre's finished work.
    const out = await eventually(async () => {
      const record = await getTransferOut(centreRepository('371300'), applicationId);
      return record?.state === 'completed' ? record : undefined;
    });
    expect(out).toMatchObject({ amountFen: transfer.amountFen, interestFen, status: 'paid' });
    expect(out.GSI1PK).toBe('C#371300#APPS#paid');
    expect(transfer.requests['371300']?.answeredAt).toBeDefined();

    // Anyone else: 404; staff of 徐州 see it among paid applications.
    const stranger = await makeDepositor(['320300'], 1);
    const peek = await region.api.request('GET', `/v1/me/transfers/${applicationId}`, {
      token: await citizen(stranger.idNumber),
    });
    expect(peek.status).toBe(404);
    const mine = await region.api.request('GET', `/v1/me/transfers/${applicationId}`, { token });
    expect(((await mine.json()) as { transferState: string }).transferState).toBe('credited');
    const staff = await region.api.token({ sub: 'staff-xz', role: 'staff', city: '320300' });
    const queue = (await (
      await region.api.request('GET', '/v1/staff/applications?status=paid', { token: staff })
    ).json()) as { applications: { applicationId: string }[] };
    expect(queue.applications.map((a) => a.applicationId)).toContain(applicationId);

    // Cancellation after the credit: 409.
    const late = await region.api.request('POST', `/v1/me/transfers/${applicationId}/cancellation`, {
      token,
    });
    expect(late.status).toBe(409);

    // The 徐州 account had 3 months of its own; with the 12 moved from 临沂 the run is 12 (a month
    // deposited in both counts once), and the loan decision uses it.
    const loan = await region.api.request('POST', '/v1/me/loan-applications', {
      token,
      headers: { 'idempotency-key': crypto.randomUUID() },
      json: {
        lendingCity: '320300',
        ...(await homeBoughtBy(p.idNumber, '320300')),
        requestedFen: 10_000_000,
        termMonths: 240,
        method: 'equal-installment',
        declaredHomeOrder: 'first',
        otherMonthlyDebtFen: 0,
        maritalStatus: 'single',
      },
    });
    expect(loan.status).toBe(202);
    const decision = await decided(
      '320300',
      ((await loan.json()) as { applicationId: string }).applicationId,
    );
    expect(decision.facts['320300']).toMatchObject({ accountStatus: 'normal', continuousDepositMonths: 12 });
    expect(decision.facts['371300']).toMatchObject({ accountStatus: 'none' });
    expect(JSON.stringify(decision.reasons ?? [])).not.toContain('连续足额缴存不足');
  });

  it('refuses an account its employer has not sealed, and one with an HPF loan: nothing moves', async () => {
    const open = await mover('371300', '320300', { sealed: false });
    const token = await citizen(open.idNumber);
    const res = await region.api.request('POST', '/v1/me/transfers', {
      token,
      headers: { 'idempotency-key': crypto.randomUUID() },
      json: { personalAccountNo: open.fromNo, toCity: '320300' },
    });
    const refused = await settled('320300', ((await res.json()) as { applicationId: string }).applicationId);
    expect(refused.status).toBe('rejected');
    expect(refused.reasons?.map((r) => r.code)).toEqual(['TRANSFER_ACCOUNT_NOT_SEALED']);
    expect((await balance('371300', open.fromNo)) + (await balance('320300', open.toNo))).toBe(open.startFen);
    expect((await getPersonalAccount(centreRepository('371300'), open.fromNo))?.status).toBe('normal');

    const borrower = await mover('371300', '320300');
    await centreRepository('371300').put({
      ...loanIndexKey(borrower.personKey),
      status: 'active',
      lendingCity: '320300',
      repaidLoans: 0,
    });
    const res2 = await region.api.request('POST', '/v1/me/transfers', {
      token: await citizen(borrower.idNumber),
      headers: { 'idempotency-key': crypto.randomUUID() },
      json: { personalAccountNo: borrower.fromNo, toCity: '320300' },
    });
    const refused2 = await settled(
      '320300',
      ((await res2.json()) as { applicationId: string }).applicationId,
    );
    expect(refused2.reasons?.map((r) => r.code)).toEqual(['TRANSFER_LOAN_OUTSTANDING']);
    expect(await ledgerEntries('371300', borrower.fromNo)).toHaveLength(12);
  });

  it('refuses a transfer within one city, to a city with no account of the person, and another person’s account', async () => {
    const p = await mover('371300', '320300');
    const token = await citizen(p.idNumber);
    const post = (json: unknown, t = token, path = '/v1/me/transfers') =>
      region.api.request('POST', path, {
        token: t,
        headers: { 'idempotency-key': crypto.randomUUID() },
        json,
      });
    const same = await post({ personalAccountNo: p.fromNo, toCity: '371300' });
    expect(((await same.json()) as { code: string }).code).toBe('TRANSFER_SAME_CITY');
    const none = await post({ personalAccountNo: p.fromNo, toCity: '371700' });
    expect(((await none.json()) as { code: string }).code).toBe('TRANSFER_NO_RECEIVING_ACCOUNT');
    const other = await makeDepositor(['320300'], 1);
    const theirs = await post(
      { personalAccountNo: p.fromNo, toCity: '320300' },
      await citizen(other.idNumber),
    );
    expect(theirs.status).toBe(404);
    // An agent of 临沂 cannot accept for 徐州 (the receiving centre accepts).
    const agent = await region.api.token({
      sub: 'teller',
      role: 'agent',
      city: '371300',
      agentOrgId: 'LY-BANK-01',
    });
    const byAgent = await post(
      { personalAccountNo: p.fromNo, toCity: '320300', idNumber: p.idNumber },
      agent,
      '/v1/agent/transfers',
    );
    expect(byAgent.status).toBe(403);
    // An agent of 徐州 accepts for the present citizen: the channel and the agent are on the record,
    // and the transfer completes like an online one.
    const xzAgent = await region.api.token({
      sub: 'teller',
      role: 'agent',
      city: '320300',
      agentOrgId: 'XZ-BANK-09',
    });
    const accepted = await post(
      { personalAccountNo: p.fromNo, toCity: '320300', idNumber: p.idNumber },
      xzAgent,
      '/v1/agent/transfers',
    );
    expect(accepted.status).toBe(202);
    const transfer = await settled(
      '320300',
      ((await accepted.json()) as { applicationId: string }).applicationId,
    );
    expect(transfer).toMatchObject({ status: 'paid', channel: 'agent', agentOrgId: 'XZ-BANK-09' });
    const listed = (await (
      await region.api.request('GET', '/v1/agent/applications', { token: xzAgent })
    ).json()) as {
      applications: { applicationId: string }[];
    };
    expect(listed.applications.map((a) => a.applicationId)).toContain(transfer.applicationId);
  });
});

// ------------------------------------------------------------------------------------------------
// 济宁 → 枣庄, the test as the network

const FROM: CityCode = '370800';
const TO: CityCode = '370400';

/** What the centre's worker does with a message: handle it, then send the reply it made. */
async function deliver(message: Envelope) {
  return sendReply(
    await handleMessage(message, { city: message.to, repository: workerRepository(message.to) }),
  );
}

/** Every message waiting in a centre's inbox now, taken off the queue (the test delivers them). */
async function inbox(city: CityCode): Promise<Envelope[]> {
  const QueueUrl = region.inboxes.queues[city].url;
  const found: Envelope[] = [];
  for (;;) {
    const output = await region.inboxes.sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    const batch = output.Messages ?? [];
    if (batch.length === 0) return found;
    for (const m of batch) {
      found.push(parseEnvelope(m.Body ?? ''));
      await region.inboxes.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
  }
}

async function accept(p: Awaited<ReturnType<typeof mover>>, options: { replyDeadlineMs?: number } = {}) {
  const repository = centreRepository(TO);
  const [sendingAccount, receivingAccount] = await Promise.all([
    getPersonalAccount(centreRepository(FROM), p.fromNo),
    getPersonalAccount(repository, p.toNo),
  ]);
  if (!sendingAccount || !receivingAccount) throw new Error('accounts');
  const submit = () =>
    submitTransfer(repository, {
      sendingAccount,
      receivingAccount,
      idempotencySeed: crypto.randomUUID().replaceAll('-', ''),
      idNumberMasked: '3708**********0000',
      channel: 'online',
      acceptedBy: 'test',
      correlationId: crypto.randomUUID(),
    });
  const { transfer } =
    options.replyDeadlineMs === undefined ? await submit() : await withInboxesUnreachable(submit, options);
  return transfer;
}

async function assertConserved(p: Awaited<ReturnType<typeof mover>>, id: string) {
  const [application, out] = await Promise.all([
    getTransfer(centreRepository(TO), id),
    getTransferOut(centreRepository(FROM), id),
  ]);
  const sending = await assertBalanceEqualsLedger(FROM, p.fromNo);
  const receiving = await assertBalanceEqualsLedger(TO, p.toNo);
  const state = application ? receivingStateOf(application) : 'letter-sent';
  const debited = out?.state === 'in-transit' || out?.state === 'completed' || out?.state === 'returned';
  const inTransitFen =
    debited && state !== 'credited' && out?.state !== 'returned' ? (out?.amountFen ?? 0) : 0;
  expect(
    conserved({
      startTotalFen: p.startFen,
      interestSettledFen: debited ? (out?.interestFen ?? 0) : 0,
      sendingBalanceFen: sending.account.balanceFen,
      receivingBalanceFen: receiving.account.balanceFen,
      inTransitFen,
    }),
  ).toBe(true);
  return { sending, receiving, application, out };
}

describe('济宁 → 枣庄 with the test as the network', () => {
  it('a duplicated letter, answers delivered twice and out of order, results twice: one debit, one credit', async () => {
    const p = await mover(FROM, TO);
    const transfer = await accept(p);
    const [letter] = (await inbox(FROM)).filter((m) => m.type === 'transfer-letter');
    if (!letter) throw new Error('no letter');
    await deliver(letter);
    await assertConserved(p, transfer.applicationId); // in transit
    await deliver(letter); // a duplicate: the same answer again, nothing debited twice
    // The sweep announces the debit again (a new message id) while 枣庄 has not answered; two
    // sweeps at once (the fanned-out job's runs overlap) announce it once.
    const later = { now: new Date(Date.now() + 60_000), resendAfterMs: 30_000 };
    const swept = await Promise.all(
      [1, 2].map(() => asJob('loan-sweep', () => sweepTransfersOut(centreRepository(FROM), later))),
    );
    expect(swept.map((r) => r.resent).sort()).toEqual([0, 1]);
    const answers = (await inbox(TO)).filter((m) => m.type === 'transfer-answer');
    expect(answers).toHaveLength(3);
    // Reordered: the last copy first.
    for (const answer of answers.reverse()) await deliver(answer);
    const results = (await inbox(FROM)).filter((m) => m.type === 'transfer-result');
    expect(results).toHaveLength(3);
    for (const result of results) await deliver(result);
    const { sending, receiving, application, out } = await assertConserved(p, transfer.applicationId);
    expect(application?.status).toBe('paid');
    expect(out?.state).toBe('completed');
    expect(sending.entries.filter((e) => e.kind === 'transfer-out')).toHaveLength(1);
    expect(receiving.entries.filter((e) => e.kind === 'transfer-in')).toHaveLength(1);
    // Nothing left to re-send.
    expect(
      (await asJob('loan-sweep', () => sweepTransfersOut(centreRepository(FROM), { resendAfterMs: 0 })))
        .resent,
    ).toBe(0);
  });

  it('a crash after the debit, before its message: the sweep sends it and the transfer completes', async () => {
    const p = await mover(FROM, TO);
    const transfer = await accept(p);
    const [letter] = (await inbox(FROM)).filter((m) => m.type === 'transfer-letter');
    if (!letter) throw new Error('no letter');
    // The debit commits; the answer cannot be sent (the worker "dies" there).
    await expect(withInboxesUnreachable(() => deliver(letter))).rejects.toThrow();
    const out = await getTransferOut(centreRepository(FROM), transfer.applicationId);
    expect(out?.state).toBe('in-transit');
    // The answer is kept with the debit: the letter's redelivery, or the sweep, sends it.
    expect(out?.answerMessage).toBeDefined();
    await assertConserved(p, transfer.applicationId);
    // Restarted only after the committed time: the money in transit is in 济宁's staff queue, and the
    // sweep sends what was never sent.
    const late = new Date(Date.now() + 10 * 86_400_000);
    expect(
      await asJob('loan-sweep', () => sweepTransfersOut(centreRepository(FROM), { now: late })),
    ).toMatchObject({
      toReview: 1,
      resent: 1,
    });
    const staff = await region.api.token({ sub: 'staff-jn', role: 'staff', city: FROM });
    const queue = (await (
      await region.api.request('GET', '/v1/staff/applications?status=review', { token: staff })
    ).json()) as {
      applications: { applicationId: string; amountFen: number | null; reasons: { code: string }[] }[];
    };
    const line = queue.applications.find((a) => a.applicationId === transfer.applicationId);
    expect(line?.reasons).toEqual([expect.objectContaining({ code: 'TRANSFER_RECEIVING_CENTRE_SILENT' })]);
    // The amount in transit, as debited.
    expect(line?.amountFen).toBe(out?.amountFen);
    for (const m of await inbox(TO)) await deliver(m);
    for (const m of await inbox(FROM)) await deliver(m);
    const { application, out: done } = await assertConserved(p, transfer.applicationId);
    expect(application?.status).toBe('paid');
    expect(done).toMatchObject({ state: 'completed', status: 'paid' });
  });

  it('a receiving account closed meanwhile: the money goes back, a ledger entry on each side, the account sealed again', async () => {
    const p = await mover(FROM, TO);
    const transfer = await accept(p);
    const [letter] = (await inbox(FROM)).filter((m) => m.type === 'transfer-letter');
    if (!letter) throw new Error('no letter');
    await deliver(letter);
    await centreRepository(TO).update({
      Key: { PK: `C#${TO}#PACCT#${p.toNo}`, SK: 'ACCOUNT' },
      UpdateExpression: 'SET #status = :closed',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':closed': 'closed' },
    });
    for (const m of await inbox(TO)) await deliver(m);
    const results = (await inbox(FROM)).filter((m) => m.type === 'transfer-result');
    for (const m of [...results, ...results]) await deliver(m);
    const { sending, application, out } = await assertConserved(p, transfer.applicationId);
    expect(application).toMatchObject({ status: 'rejected', creditResult: 'returned' });
    expect(application?.reasons?.map((r) => r.code)).toEqual(['TRANSFER_RECEIVING_ACCOUNT_CLOSED']);
    expect(out?.state).toBe('returned');
    expect(sending.account.status).toBe('sealed');
    expect(sending.entries.map((e) => e.kind).slice(-3)).toEqual([
      'interest',
      'transfer-out',
      'transfer-return',
    ]);
    const inRecord = await centreRepository(TO).get({
      PK: `C#${TO}#TRANSFER#${transfer.applicationId}`,
      SK: 'IN',
    });
    expect(inRecord).toMatchObject({ outcome: 'returned', amountFen: out?.amountFen });
  });

  it('a silent sending centre: the application reaches staff; a letter arriving after that is refused, a cancellation stops a letter', async () => {
    const p = await mover(FROM, TO);
    const transfer = await accept(p, { replyDeadlineMs: 1 });
    const swept = await asJob('loan-sweep', () =>
      sweepApplications(centreRepository(TO), { now: new Date(transfer.factsDeadline) }),
    );
    expect(swept.toReview).toBeGreaterThanOrEqual(1);
    const withStaff = await getTransfer(centreRepository(TO), transfer.applicationId);
    expect(withStaff?.status).toBe('review');
    expect(withStaff?.reasons?.map((r) => r.code)).toEqual(['FACTS_NOT_RECEIVED']);
    const staff = await region.api.token({ sub: 'staff-zz', role: 'staff', city: TO });
    const queue = (await (
      await region.api.request('GET', '/v1/staff/applications?status=review', { token: staff })
    ).json()) as { applications: { applicationId: string }[] };
    expect(queue.applications.map((a) => a.applicationId)).toContain(transfer.applicationId);
    // A staff member cannot approve a credit no debit confirmed.
    const approve = await region.api.request(
      'POST',
      `/v1/staff/applications/${transfer.applicationId}/decision`,
      {
        token: staff,
        json: { outcome: 'approve' },
      },
    );
    expect(approve.status).toBe(422);
    // Another centre's staff cannot see it; a refusal needs a second staff member (four eyes).
    const other = await region.api.token({ sub: 'staff-jn', role: 'staff', city: FROM });
    const foreign = await region.api.request(
      'POST',
      `/v1/staff/applications/${transfer.applicationId}/decision`,
      {
        token: other,
        json: { outcome: 'reject', reasonZh: '转出地未答复' },
      },
    );
    expect(foreign.status).toBe(404);
    const refuse = await region.api.request(
      'POST',
      `/v1/staff/applications/${transfer.applicationId}/decision`,
      {
        token: staff,
        json: { outcome: 'reject', reasonZh: '转出地未答复，请重新申请' },
      },
    );
    expect(refuse.status).toBe(200);
    const confirm = (token: string) =>
      region.api.request('POST', `/v1/staff/applications/${transfer.applicationId}/confirmation`, {
        token,
        headers: { 'idempotency-key': crypto.randomUUID() },
        json: { outcome: 'confirm' },
      });
    expect((await confirm(staff)).status).toBe(403);
    const second = await region.api.token({ sub: 'staff-zz-2', role: 'staff', city: TO });
    expect((await confirm(second)).status).toBe(200);
    expect((await getTransfer(centreRepository(TO), transfer.applicationId))?.status).toBe('rejected');
    // The letter (never delivered) comes late: refused as expired, nothing debited.
    const letter = JSON.parse(withStaff?.requests[FROM]?.message ?? '{}');
    await deliver(parseEnvelope(JSON.stringify(letter)));
    expect((await getTransferOut(centreRepository(FROM), transfer.applicationId))?.state).toBe('refused');
    expect(await ledgerEntries(FROM, p.fromNo)).toHaveLength(12);

    // Cancelled before its letter is handled: the letter is then refused.
    const p2 = await mover(FROM, TO);
    const t2 = await accept(p2);
    const token = await citizen(p2.idNumber);
    const cancelled = await region.api.request('POST', `/v1/me/transfers/${t2.applicationId}/cancellation`, {
      token,
    });
    expect(cancelled.status).toBe(200);
    const messages = await inbox(FROM);
    // The cancellation first, then the letter (reordered): refused, nothing moved.
    for (const m of [
      ...messages.filter((m) => m.type === 'transfer-cancellation'),
      ...messages.filter((m) => m.type === 'transfer-letter'),
    ])
      await deliver(m);
    expect((await getTransferOut(centreRepository(FROM), t2.applicationId))?.state).toBe('cancelled');
    await assertConserved(p2, t2.applicationId);
  });

  it('a cancellation that loses the race with the debit: the late debit is sent back', async () => {
    const p = await mover(FROM, TO);
    const transfer = await accept(p);
    const [letter] = (await inbox(FROM)).filter((m) => m.type === 'transfer-letter');
    if (!letter) throw new Error('no letter');
    await deliver(letter); // debited
    const token = await citizen(p.idNumber);
    const cancelled = await region.api.request(
      'POST',
      `/v1/me/transfers/${transfer.applicationId}/cancellation`,
      {
        token,
      },
    );
    expect(cancelled.status).toBe(200);
    for (const m of await inbox(TO)) await deliver(m);
    for (const m of await inbox(FROM)) await deliver(m);
    const { application, out, sending } = await assertConserved(p, transfer.applicationId);
    expect(application).toMatchObject({ status: 'withdrawn', creditResult: 'returned' });
    expect(out?.state).toBe('returned');
    expect(sending.account.balanceFen).toBe(out?.amountFen);
  });

  it('an empty sealed account: closed with no posting, nothing credited, the letter answered once', async () => {
    const person = await makeDepositor([FROM], 0);
    const there = await makeDepositor([TO], 2, person.idNumber);
    const p = {
      ...person,
      fromNo: person.accounts[FROM] as string,
      toNo: there.accounts[TO] as string,
      startFen: await balance(TO, there.accounts[TO] as string),
    };
    await sealAccount(FROM, p.fromNo);
    const transfer = await accept(p);
    for (const m of await inbox(FROM)) await deliver(m);
    for (const m of await inbox(TO)) await deliver(m);
    for (const m of await inbox(FROM)) await deliver(m);
    const { sending, receiving, application, out } = await assertConserved(p, transfer.applicationId);
    expect(sending.account.status).toBe('closed');
    expect(sending.entries).toEqual([]);
    expect(receiving.entries.filter((e) => e.kind === 'transfer-in')).toEqual([]);
    expect(application).toMatchObject({ status: 'paid', amountFen: 0 });
    expect(out?.state).toBe('completed');
  });

  it('concurrent letters of one transfer: one debit', async () => {
    const p = await mover(FROM, TO);
    const transfer = await accept(p);
    const [letter] = (await inbox(FROM)).filter((m) => m.type === 'transfer-letter');
    if (!letter) throw new Error('no letter');
    await Promise.all([
      deliver(letter),
      deliver(letter),
      deliver({ ...letter, requestId: crypto.randomUUID() }),
    ]);
    const { sending } = await assertConserved(p, transfer.applicationId);
    expect(sending.entries.filter((e) => e.kind === 'transfer-out')).toHaveLength(1);
  });
});

// ------------------------------------------------------------------------------------------------
// Messages from a centre that has no part in the transfer, and an account that comes back

/** 徐州: neither the receiving nor the sending centre of the 济宁 → 枣庄 transfers. */
const THIRD: CityCode = '320300';

function forged<T extends 'transfer-letter' | 'transfer-result' | 'transfer-cancellation'>(
  type: T,
  body: Parameters<typeof newMessage<T>>[2],
): Envelope {
  return newMessage(
    type,
    {
      from: THIRD,
      to: FROM,
      correlationId: crypto.randomUUID(),
      deadline: new Date(Date.now() + 86_400_000),
    },
    body,
  );
}

/** Forces a receiving (or any) account's status, as a closing elsewhere would leave it. */
async function setStatus(city: CityCode, no: string, status: 'normal' | 'closed') {
  await centreRepository(city).update({
    Key: { PK: `C#${city}#PACCT#${no}`, SK: 'ACCOUNT' },
    UpdateExpression: 'SET #status = :status',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':status': status },
  });
}

/** A transfer debited, sent back by 枣庄 (its account closed meanwhile) and credited back in 济宁. */
async function returnedOnce(p: Awaited<ReturnType<typeof mover>>) {
  const transfer = await accept(p);
  const [letter] = (await inbox(FROM)).filter((m) => m.type === 'transfer-letter');
  if (!letter) throw new Error('no letter');
  await deliver(letter);
  await setStatus(TO, p.toNo, 'closed');
  for (const m of await inbox(TO)) await deliver(m);
  for (const m of await inbox(FROM)) await deliver(m);
  const out = await getTransferOut(centreRepository(FROM), transfer.applicationId);
  expect(out?.state).toBe('returned');
  return { transfer, out: out as NonNullable<typeof out> };
}

describe('济宁 → 枣庄: a third centre, and an account sent back', () => {
  it('a result from a third centre, returned or credited, changes nothing: the real one decides', async () => {
    const p = await mover(FROM, TO);
    const transfer = await accept(p);
    const [letter] = (await inbox(FROM)).filter((m) => m.type === 'transfer-letter');
    if (!letter) throw new Error('no letter');
    await deliver(letter);
    const answers = (await inbox(TO)).filter((m) => m.type === 'transfer-answer'); // held back
    const sendingBefore = await balance(FROM, p.fromNo);
    for (const outcome of ['returned', 'credited'] as const) {
      await deliver(
        forged('transfer-result', {
          inReplyTo: crypto.randomUUID(),
          payload: { transferId: transfer.applicationId, outcome, amountFen: 1 },
        }),
      );
      const out = await getTransferOut(centreRepository(FROM), transfer.applicationId);
      expect(out?.state).toBe('in-transit');
      expect(await balance(FROM, p.fromNo)).toBe(sendingBefore);
      await assertConserved(p, transfer.applicationId);
    }
    // Still in transit, so the sweep keeps announcing it to 枣庄.
    await asJob('loan-sweep', () => sweepTransfersOut(centreRepository(FROM), { resendAfterMs: 0 }));
    const announced = await inbox(TO);
    expect(
      announced.filter(
        (m) => m.type === 'transfer-answer' && m.payload.transferId === transfer.applicationId,
      ),
    ).toHaveLength(1);
    for (const a of [...answers, ...announced]) await deliver(a);
    for (const m of await inbox(FROM)) await deliver(m);
    const { application, out, sending } = await assertConserved(p, transfer.applicationId);
    expect(application?.status).toBe('paid');
    expect(out?.state).toBe('completed');
    expect(sending.account).toMatchObject({ status: 'closed', balanceFen: 0 });
    expect(sending.entries.filter((e) => e.kind === 'transfer-return')).toEqual([]);
  });

  it('a cancellation or a letter from a third centre changes nothing', async () => {
    const p = await mover(FROM, TO);
    const transfer = await accept(p);
    const [letter] = (await inbox(FROM)).filter((m) => m.type === 'transfer-letter');
    if (letter?.type !== 'transfer-letter') throw new Error('no letter');
    // 徐州 tries to stop 枣庄's transfer before 济宁 handled its letter, then to have the account
    // moved to itself under 枣庄's transfer id.
    await deliver(forged('transfer-cancellation', { payload: { transferId: transfer.applicationId } }));
    expect(await getTransferOut(centreRepository(FROM), transfer.applicationId)).toBeUndefined();
    const stolen = `${TO}-T-${crypto.randomUUID().replaceAll('-', '').slice(0, 16).toUpperCase()}`;
    const handled = await deliver(
      forged('transfer-letter', { payload: { ...letter.payload, transferId: stolen } }),
    );
    expect(handled.reply).toBeUndefined();
    expect(await getTransferOut(centreRepository(FROM), stolen)).toBeUndefined();
    expect((await getPersonalAccount(centreRepository(FROM), p.fromNo))?.status).toBe('sealed');
    await assertBalanceEqualsLedger(FROM, p.fromNo);
    // 枣庄's own letter is answered with the debit and the transfer completes.
    await deliver(letter);
    expect((await getTransferOut(centreRepository(FROM), transfer.applicationId))?.state).toBe('in-transit');
    for (const m of await inbox(TO)) await deliver(m);
    for (const m of await inbox(FROM)) await deliver(m);
    const { application, out } = await assertConserved(p, transfer.applicationId);
    expect(application?.status).toBe('paid');
    expect(out?.state).toBe('completed');
  });

  it('sent back after the person opened a new account in the sending city: credited back, the new account stays open', async () => {
    const p = await mover(FROM, TO);
    const transfer = await accept(p);
    const [letter] = (await inbox(FROM)).filter((m) => m.type === 'transfer-letter');
    if (!letter) throw new Error('no letter');
    await deliver(letter);
    // A new employer in 济宁 opens the person a new account (the debit removed the old one's link).
    const again = await makeDepositor([FROM], 1, p.idNumber);
    const newNo = again.accounts[FROM] as string;
    expect(newNo).not.toBe(p.fromNo);
    await setStatus(TO, p.toNo, 'closed');
    for (const m of await inbox(TO)) await deliver(m);
    for (const m of (await inbox(FROM)).filter((m) => m.type === 'transfer-result')) await deliver(m);
    const { sending, out } = await assertConserved(p, transfer.applicationId);
    expect(out?.state).toBe('returned');
    expect(sending.account).toMatchObject({ status: 'sealed', balanceFen: out?.amountFen });
    expect(sending.entries.at(-1)).toMatchObject({
      reference: `TRANSFER-RETURN#${transfer.applicationId}`,
      amountFen: out?.amountFen,
    });
    const link = await centreRepository(FROM).get(
      { PK: `C#${FROM}#PERSON#${p.personKey}`, SK: 'OPEN_ACCOUNT' },
      { consistent: true },
    );
    expect(link?.personalAccountNo).toBe(newNo);
    expect((await getPersonalAccount(centreRepository(FROM), newNo))?.status).toBe('normal');
  });

  it('a second transfer of an account sent back: debited again, the interest to date not paid twice', async () => {
    const p = await mover(FROM, TO);
    const { out: first } = await returnedOnce(p);
    await setStatus(TO, p.toNo, 'normal');
    const second = await accept(p);
    const [letter] = (await inbox(FROM)).filter((m) => m.type === 'transfer-letter');
    if (!letter) throw new Error('no letter');
    await deliver(letter);
    const out = await getTransferOut(centreRepository(FROM), second.applicationId);
    expect(out?.state).toBe('in-transit');
    for (const m of await inbox(TO)) await deliver(m);
    for (const m of await inbox(FROM)) await deliver(m);
    const sending = await assertBalanceEqualsLedger(FROM, p.fromNo);
    const receiving = await assertBalanceEqualsLedger(TO, p.toNo);
    expect(sending.account).toMatchObject({ status: 'closed', balanceFen: 0 });
    const closings = sending.entries.filter((e) => e.reference.startsWith('INTEREST-TO-DATE'));
    // Interest to date of the second closing runs from the first one's day: none on that same day.
    const sameDay = closings.every((e) => e.valueDate === toBeijingDate(new Date()));
    if (sameDay) expect(out?.interestFen).toBe(0);
    expect(closings.map((e) => e.reference)).toEqual(
      [
        first.interestFen > 0 ? `INTEREST-TO-DATE#${first.applicationId}` : undefined,
        (out?.interestFen ?? 0) > 0 ? `INTEREST-TO-DATE#${second.applicationId}` : undefined,
      ].filter(Boolean),
    );
    expect(sending.account.balanceFen + receiving.account.balanceFen).toBe(
      p.startFen + first.interestFen + (out?.interestFen ?? 0),
    );
    expect((await getTransfer(centreRepository(TO), second.applicationId))?.status).toBe('paid');
  });

  it('a closing withdrawal of an account sent back is paid, the interest to date not paid twice', async () => {
    const p = await mover(FROM, TO);
    const { out: first } = await returnedOnce(p);
    const reopened = await balance(FROM, p.fromNo);
    const response = await region.api.request('POST', '/v1/me/withdrawals', {
      token: await citizen(p.idNumber),
      headers: { 'idempotency-key': `closing-${crypto.randomUUID()}` },
      json: {
        type: 'emigration',
        personalAccountNo: p.fromNo,
        bankAccount: {
          accountNumber: '6222021234567890123',
          holderName: '测试人',
          bankName: '中国工商银行济宁分行',
        },
        settlement: { country: '加拿大', documentNo: 'CA-1', issuedOn: '2026-09-15' },
      },
    });
    expect(response.status).toBe(202);
    const { applicationId } = (await response.json()) as { applicationId: string };
    for (let i = 0; i < 3; i++) {
      for (const city of [FROM, TO]) for (const m of await inbox(city)) await deliver(m);
    }
    const withdrawal = await centreRepository(FROM).get(
      { PK: `C#${FROM}#WDR#${applicationId}`, SK: 'APPLICATION' },
      { consistent: true },
    );
    expect(withdrawal?.status).toBe('paid');
    const sending = await assertBalanceEqualsLedger(FROM, p.fromNo);
    expect(sending.account).toMatchObject({ status: 'closed', balanceFen: 0 });
    const interest = sending.entries.filter((e) => e.reference === `INTEREST-TO-DATE#${applicationId}`);
    const paidInterest = interest[0]?.amountFen ?? 0;
    // Interest to date runs from the transfer's closing day: none when that was today.
    const firstClosing = sending.entries.find((e) => e.reference === `TRANSFER-OUT#${first.applicationId}`);
    if (firstClosing?.valueDate === toBeijingDate(new Date())) expect(paidInterest).toBe(0);
    expect(sending.entries.at(-1)).toMatchObject({ amountFen: -(reopened + paidInterest) });
    expect(first.state).toBe('returned');
  });
});
