/**
 * Certificates through the local gateway: DEPOSIT_CERT and PAYOFF_CERT issued to a citizen,
 * CERT_VERIFY answered to anyone holding the code (valid / expired / revoked, masked), and a plain
 * 404 for a forged or malformed code, counted for the alarm.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it, jest } from '@jest/globals';
import jsQRModule from 'jsqr';
import { revokeCertificate } from '../../shared/certificates/certificates.js';
import {
  certificateKey,
  certificateLogKey,
  newVerificationCode,
  normaliseVerificationCode,
} from '../../shared/certificates/records.js';
import type { CityCode } from '../../shared/config/cities.js';
import { maskIdNumber } from '../../shared/identity/mask.js';
import { personalAccountPartition } from '../../shared/ledger/ledger.js';
import { getApplication } from '../../shared/loans/decide.js';
import { depositFactsOf } from '../../shared/loans/facts.js';
import { loanKey } from '../../shared/loans/store.js';
import { BUSINESS_METRICS } from '../../shared/observability/metrics.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { makeDepositor } from '../support/depositors.js';
import { useLocalRegion } from '../support/local-region.js';
import { homeBoughtBy } from '../support/properties.js';
import { eventually } from '../support/region.js';

const XUZHOU: CityCode = '320300';
const LINYI: CityCode = '371300';

const region = useLocalRegion();

interface CertificateView {
  verificationCode: string;
  status: 'valid' | 'expired' | 'revoked';
  kind: string;
  itemCode: string;
  issuingCentre: { code: string; nameZh: string; nameEn: string; provinceZh: string; provinceEn: string };
  issuedAt: string;
  validUntil: string | null;
  validity: { 'zh-CN': string; en: string };
  holder: { nameMasked: string; idNumberMasked: string };
  facts: Record<string, unknown>;
  verifyUrl?: string;
}

const CODE_FORMAT = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/;

function citizenToken(idNumber: string) {
  return region.api.token({ sub: `citizen-${idNumber.slice(-6)}`, role: 'citizen', idNumber });
}

async function issue(token: string, json: unknown) {
  return region.api.request('POST', '/v1/me/certificates', {
    headers: { 'idempotency-key': crypto.randomUUID() },
    token,
    json,
  });
}

async function issued(token: string, json: unknown): Promise<CertificateView> {
  const response = await issue(token, json);
  expect(response.status).toBe(201);
  return (await response.json()) as CertificateView;
}

async function verify(code: string) {
  return region.api.request('GET', `/v1/certificates/${encodeURIComponent(code)}`);
}

async function verified(code: string): Promise<CertificateView> {
  const response = await verify(code);
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toBe('no-store');
  return (await response.json()) as CertificateView;
}

describe('deposit-usage certificate (DEPOSIT_CERT)', () => {
  it('is issued for the citizen’s own account and verified by anyone with the code, masked', async () => {
    const person = await makeDepositor([LINYI], 12);
    const accountNo = person.accounts[LINYI] as string;
    const token = await citizenToken(person.idNumber);

    const response = await issue(token, { kind: 'deposit-usage', personalAccountNo: accountNo });
    expect(response.status).toBe(201);
    const certificate = (await response.json()) as CertificateView;
    expect(certificate.verificationCode).toMatch(CODE_FORMAT);
    expect(certificate.verifyUrl).toBe(`/v1/certificates/${certificate.verificationCode}`);
    expect(response.headers.get('location')).toBe(certificate.verifyUrl);
    expect(certificate).toMatchObject({
      status: 'valid',
      kind: 'deposit-usage',
      itemCode: 'DEPOSIT_CERT',
      issuingCentre: { code: LINYI, nameZh: '临沂', provinceZh: '山东' },
      holder: { nameMasked: '**人', idNumberMasked: maskIdNumber(person.idNumber) },
    });
    const issuedAt = Date.parse(certificate.issuedAt);
    expect(Date.parse(certificate.validUntil as string) - issuedAt).toBe(90 * 24 * 60 * 60 * 1000);

    // Anonymously, by the code as printed, in lower case, and without hyphens.
    const checked = await verified(certificate.verificationCode);
    const { verifyUrl: _url, ...printed } = certificate;
    expect(checked).toEqual(printed);
    expect(checked.facts).toEqual({
      ...(await depositFactsOf(centreRepository(LINYI), person.personKey, new Date())),
      personalAccountNoMasked: `${accountNo.slice(0, 4)}********${accountNo.slice(-4)}`,
      depositCentre: expect.objectContaining({ code: LINYI, nameEn: 'Linyi' }),
      asOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(checked.facts).toMatchObject({ accountStatus: 'normal', continuousDepositMonths: 12 });
    expect((await verified(certificate.verificationCode.toLowerCase())).verificationCode).toBe(
      certificate.verificationCode,
    );
    expect((await verified(certificate.verificationCode.replaceAll('-', ''))).status).toBe('valid');

    // Nothing that identifies the person in clear, and no person key.
    const text = await (await verify(certificate.verificationCode)).text();
    expect(text).not.toContain(person.idNumber);
    expect(text).not.toContain(person.personKey);
    expect(text).not.toContain(accountNo);
    expect(text).not.toContain('personKey');

    // The issuing centre keeps its own log entry.
    const canonical = normaliseVerificationCode(certificate.verificationCode) as string;
    const log = await centreRepository(LINYI).get(
      certificateLogKey(LINYI, new Date(certificate.issuedAt), canonical),
      { consistent: true },
    );
    expect(log).toMatchObject({
      verificationCode: certificate.verificationCode,
      kind: 'deposit-usage',
      personKey: person.personKey,
      subject: accountNo,
    });
  });

  it('is a 404 for someone else’s account or one that does not exist', async () => {
    const owner = await makeDepositor([XUZHOU], 6);
    const stranger = await makeDepositor([XUZHOU], 6);
    const token = await citizenToken(stranger.idNumber);
    const foreign = await issue(token, {
      kind: 'deposit-usage',
      personalAccountNo: owner.accounts[XUZHOU] as string,
    });
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toContain('application/problem+json');
    expect(((await foreign.json()) as { code: string }).code).toBe('NOT_FOUND');
    expect(
      (await issue(token, { kind: 'deposit-usage', personalAccountNo: '3203002999999999' })).status,
    ).toBe(404);
    expect(
      (await issue(token, { kind: 'deposit-usage', personalAccountNo: '9999992000000001' })).status,
    ).toBe(404);
  });

  it('is refused for a closed account, and the body is validated', async () => {
    const person = await makeDepositor([XUZHOU], 3);
    const accountNo = person.accounts[XUZHOU] as string;
    const token = await citizenToken(person.idNumber);
    await centreRepository(XUZHOU).update({
      Key: { PK: personalAccountPartition(XUZHOU, accountNo), SK: 'ACCOUNT' },
      UpdateExpression: 'SET #status = :closed',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':closed': 'closed' },
    });
    const closed = await issue(token, { kind: 'deposit-usage', personalAccountNo: accountNo });
    expect(closed.status).toBe(409);
    expect(((await closed.json()) as { code: string }).code).toBe('ACCOUNT_CLOSED');

    const unknownKind = await issue(token, { kind: 'income', personalAccountNo: accountNo });
    expect(unknownKind.status).toBe(400);
    const extra = await issue(token, { kind: 'deposit-usage', personalAccountNo: accountNo, name: 'x' });
    expect(extra.status).toBe(400);
    const staff = await region.api.token({ sub: 'staff-xz', role: 'staff', city: XUZHOU });
    expect((await issue(staff, { kind: 'deposit-usage', personalAccountNo: accountNo })).status).toBe(403);
    expect(
      (
        await region.api.request('POST', '/v1/me/certificates', {
          headers: { 'idempotency-key': crypto.randomUUID() },
          json: { kind: 'deposit-usage', personalAccountNo: accountNo },
        })
      ).status,
    ).toBe(401);
  });

  it('answers expired after its validity and revoked once revoked, with its facts', async () => {
    const person = await makeDepositor([XUZHOU], 6);
    const token = await citizenToken(person.idNumber);
    const body = { kind: 'deposit-usage', personalAccountNo: person.accounts[XUZHOU] as string };

    const old = await issued(token, body);
    await centreRepository(XUZHOU).update({
      Key: certificateKey(normaliseVerificationCode(old.verificationCode) as string),
      UpdateExpression: 'SET validUntil = :past',
      ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() },
    });
    const expired = await verified(old.verificationCode);
    expect(expired.status).toBe('expired');
    expect(expired.facts).toEqual(old.facts);

    const wrong = await issued(token, body);
    // Only the issuing centre revokes.
    expect(
      await revokeCertificate(centreRepository(LINYI), wrong.verificationCode, {
        by: 'staff-ly',
        reason: 'test',
      }),
    ).toBe(false);
    expect((await verified(wrong.verificationCode)).status).toBe('valid');
    expect(
      await revokeCertificate(centreRepository(XUZHOU), wrong.verificationCode, {
        by: 'staff-xz',
        reason: 'issued in error',
      }),
    ).toBe(true);
    const revoked = await verified(wrong.verificationCode);
    expect(revoked).toMatchObject({ status: 'revoked', holder: wrong.holder, facts: wrong.facts });
    expect(JSON.stringify(revoked)).not.toContain('issued in error');
  });
});

describe('a forged or malformed code', () => {
  it('is a plain 404 problem, the same for both, and each failure is counted for the alarm', async () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      written.push(String(chunk));
      return true;
    });
    let forged: Response;
    let malformed: Response;
    try {
      forged = await verify(newVerificationCode());
      malformed = await verify('not-a-code');
    } finally {
      spy.mockRestore();
    }
    for (const response of [forged, malformed]) {
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.headers.get('cache-control')).toBe('no-store');
      const problem = (await response.json()) as Record<string, unknown>;
      expect(problem).toMatchObject({ status: 404, code: 'NOT_FOUND', title: 'Not found' });
      expect(Object.keys(problem).sort()).toEqual(
        ['code', 'detail', 'instance', 'message', 'status', 'title', 'type'].sort(),
      );
    }
    const counted = written
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.includes(BUSINESS_METRICS.certificateVerificationFailed.name))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(counted).toHaveLength(2);
    for (const emf of counted) expect(emf[BUSINESS_METRICS.certificateVerificationFailed.name]).toBe(1);
  });
});

describe('loan-payoff certificate (PAYOFF_CERT)', () => {
  it('is refused while principal is outstanding and issued once the loan is repaid', async () => {
    const person = await makeDepositor([XUZHOU], 12);
    const token = await citizenToken(person.idNumber);
    const applied = await region.api.request('POST', '/v1/me/loan-applications', {
      headers: { 'idempotency-key': crypto.randomUUID() },
      token,
      json: {
        lendingCity: XUZHOU,
        ...(await homeBoughtBy(person.idNumber, XUZHOU)),
        housePriceFen: 100_000_000,
        requestedFen: 20_000_000,
        termMonths: 240,
        method: 'equal-installment',
        declaredHomeOrder: 'first',
        otherMonthlyDebtFen: 0,
        maritalStatus: 'single',
      },
    });
    expect(applied.status).toBe(202);
    const { applicationId } = (await applied.json()) as { applicationId: string };
    const application = await eventually(
      async () => {
        const found = await getApplication(centreRepository(XUZHOU), applicationId);
        return found && found.status !== 'awaiting_facts' ? found : undefined;
      },
      20_000,
      `a decision on ${applicationId}`,
    );
    expect(application.status).toBe('approved');
    const loanId = application.loanId as string;
    const staff = await region.api.token({ sub: 'staff-xz', role: 'staff', city: XUZHOU });
    expect(
      (
        await region.api.request('POST', `/v1/staff/loans/${loanId}/disbursement`, {
          headers: { 'idempotency-key': crypto.randomUUID() },
          token: staff,
        })
      ).status,
    ).toBe(201);

    const refused = await issue(token, { kind: 'loan-payoff', loanId });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await refused.json()) as {
      code: string;
      message: { 'zh-CN': string; en: string };
      outstandingPrincipalFen: number;
    };
    expect(problem.code).toBe('LOAN_NOT_REPAID');
    expect(problem.message['zh-CN']).toMatch(/还清/);
    expect(problem.message.en).toMatch(/not fully repaid/);
    expect(problem.outstandingPrincipalFen).toBe(20_000_000);

    // Someone else cannot have a certificate for this loan, repaid or not.
    const stranger = await citizenToken((await makeDepositor([], 0)).idNumber);
    expect((await issue(stranger, { kind: 'loan-payoff', loanId })).status).toBe(404);

    // Principal at zero but the loan not yet marked repaid is still refused; then both.
    const repository = centreRepository(XUZHOU);
    await repository.update({
      Key: loanKey(XUZHOU, loanId),
      UpdateExpression: 'SET outstandingPrincipalFen = :zero',
      ExpressionAttributeValues: { ':zero': 0 },
    });
    expect((await issue(token, { kind: 'loan-payoff', loanId })).status).toBe(409);
    await repository.update({
      Key: loanKey(XUZHOU, loanId),
      UpdateExpression: 'SET #status = :repaid, lastPaidMonth = :month, repaidOn = :repaidOn',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':repaid': 'repaid', ':month': '2045-06', ':repaidOn': '2045-06-02' },
    });

    const certificate = await issued(token, { kind: 'loan-payoff', loanId });
    expect(certificate).toMatchObject({
      status: 'valid',
      kind: 'loan-payoff',
      itemCode: 'PAYOFF_CERT',
      validUntil: null,
      issuingCentre: { code: XUZHOU, nameZh: '徐州' },
      holder: { nameMasked: '**人', idNumberMasked: maskIdNumber(person.idNumber) },
      facts: {
        loanId,
        lendingCentre: expect.objectContaining({ code: XUZHOU }),
        principalFen: 20_000_000,
        contractDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        repaidOn: '2045-06-02',
        outstandingPrincipalFen: 0,
      },
    });
    expect(certificate.validity.en).toMatch(/not expire/);
    const checked = await verified(certificate.verificationCode);
    expect(checked).toMatchObject({ status: 'valid', validUntil: null, facts: certificate.facts });
    expect(JSON.stringify(checked)).not.toContain(person.idNumber);
  });
});

// jsqr is CommonJS: its module object is the function its types call `default`.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

/** The squares of the page's inline QR SVG (uqr: `M x,y h s v s h -s z` per dark module) as grey pixels. */
function qrPixels(html: string): { data: Uint8ClampedArray; width: number; height: number } {
  const svg = /<svg[^>]*viewBox="0 0 (\d+) (\d+)"[^>]*>.*?<path[^>]*d="([^"]*)"/s.exec(html);
  if (!svg) throw new Error('no QR code on the page');
  const [width, height] = [Number(svg[1]), Number(svg[2])];
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  for (const [, x, y, size] of (svg[3] as string).matchAll(/M(\d+),(\d+)h(\d+)v\d+h-\d+z/g)) {
    for (let row = Number(y); row < Number(y) + Number(size); row++) {
      for (let col = Number(x); col < Number(x) + Number(size); col++) {
        const at = (row * width + col) * 4;
        data[at] = data[at + 1] = data[at + 2] = 0;
      }
    }
  }
  return { data, width, height };
}

describe('the printable certificate (Accept: text/html)', () => {
  const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

  async function page(code: string) {
    const response = await region.api.request('GET', `/v1/certificates/${encodeURIComponent(code)}`, {
      headers: HTML,
    });
    return { response, html: await response.text() };
  }

  it('carries a QR code of its own public verification address, and is printable and locked down', async () => {
    const person = await makeDepositor([LINYI], 12);
    const token = await citizenToken(person.idNumber);
    const certificate = await issued(token, {
      kind: 'deposit-usage',
      personalAccountNo: person.accounts[LINYI] as string,
    });
    const { response, html } = await page(certificate.verificationCode);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('vary')).toBe('Accept');
    const csp = response.headers.get('content-security-policy') as string;
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; /);
    expect(csp).not.toContain('unsafe');
    // The hash pins exactly the page's one style element (a browser would drop any other).
    const styles = [...html.matchAll(/<style>([^<]*)<\/style>/g)].map((m) => m[1] as string);
    expect(styles).toHaveLength(1);
    expect(csp).toContain(
      `'sha256-${createHash('sha256')
        .update(styles[0] as string)
        .digest('base64')}'`,
    );
    expect(html).not.toMatch(/<script|<img|<link|https?:\/\/(?!www\.w3\.org)[^"<]*"/i);
    expect(html).toContain('@page { size: A4;');

    const address = `${region.api.baseUrl}/v1/certificates/${certificate.verificationCode}`;
    const { data, width, height } = qrPixels(html);
    const decoded = jsQR(data, width, height);
    expect(decoded?.data).toBe(address);
    // Scanning it opens this same page.
    const scanned = await fetch(decoded?.data as string, { headers: HTML });
    expect(scanned.status).toBe(200);
    expect(await scanned.text()).toBe(html);

    expect(html).toContain('住房公积金缴存使用证明');
    expect(html).toContain('山东省临沂市住房公积金管理中心');
    expect(html).toContain('核验结果：真实有效');
    expect(html).toContain(certificate.holder.idNumberMasked);
    expect(html).toContain(certificate.verificationCode);
    expect(html).not.toContain(person.idNumber);
    expect(html).not.toContain(person.accounts[LINYI] as string);

    // Any other Accept keeps the JSON record.
    for (const accept of [undefined, 'application/json', '*/*', 'application/json, text/html;q=0.5']) {
      const json = await region.api.request('GET', `/v1/certificates/${certificate.verificationCode}`, {
        ...(accept ? { headers: { accept } } : {}),
      });
      expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(((await json.json()) as CertificateView).verificationCode).toBe(certificate.verificationCode);
    }
  });

  it('says expired and revoked in words, and not found for a forged code, escaping what it shows', async () => {
    const person = await makeDepositor([XUZHOU], 6);
    const token = await citizenToken(person.idNumber);
    const body = { kind: 'deposit-usage', personalAccountNo: person.accounts[XUZHOU] as string };
    const old = await issued(token, body);
    const key = certificateKey(normaliseVerificationCode(old.verificationCode) as string);
    await centreRepository(XUZHOU).update({
      Key: key,
      // A stored value with markup in it (a name as typed) comes out as text.
      UpdateExpression: 'SET validUntil = :past, holder.nameMasked = :name',
      ExpressionAttributeValues: {
        ':past': new Date(Date.now() - 1000).toISOString(),
        ':name': '<script>alert("x")</script>',
      },
    });
    const expired = await page(old.verificationCode);
    expect(expired.html).toContain('核验结果：已过期');
    expect(expired.html).toContain('请重新申请出具');
    expect(expired.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(expired.html).not.toContain('<script');

    const wrong = await issued(token, body);
    await revokeCertificate(centreRepository(XUZHOU), wrong.verificationCode, {
      by: 'staff-xz',
      reason: '错开',
    });
    const revoked = await page(wrong.verificationCode);
    expect(revoked.html).toContain('核验结果：已作废');
    expect(revoked.html).toContain('不能再作为办理业务的依据');
    expect(revoked.html).not.toContain('错开');

    const forged = await page(newVerificationCode());
    expect(forged.response.status).toBe(404);
    expect(forged.response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(forged.html).toContain('查无此证明');
  });
});
