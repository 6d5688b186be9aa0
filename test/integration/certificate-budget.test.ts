/**
 * The certificate check's budget of failed look-ups per source address (shared/certificates/
 * lookup-budget.ts): the real handler on DynamoDB Local, each call from the address the test names.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { handler as verifyCertificate } from '../../functions/certificate-verify/handler.js';
import { FAILED_LOOKUPS_PER_HOUR } from '../../shared/certificates/lookup-budget.js';
import { makeDepositor } from '../support/depositors.js';
import { httpEvent, lambdaContext } from '../support/events.js';
import { useLocalRegion } from '../support/local-region.js';

const region = useLocalRegion([]);

/** A fresh documentation-range address (RFC 5737), so no other test shares its budget. */
const freshAddress = () => `203.0.113.${randomBytes(1)[0]}-${randomBytes(4).toString('hex')}`;

async function check(code: string, sourceIp: string) {
  const event = httpEvent({
    method: 'GET',
    routePath: '/v1/certificates/{verificationCode}',
    rawPath: `/v1/certificates/${code}`,
    pathParameters: { verificationCode: code },
  });
  event.requestContext.http.sourceIp = sourceIp;
  const response = await verifyCertificate(event, lambdaContext());
  return {
    status: response.statusCode,
    headers: response.headers ?? {},
    body: JSON.parse(response.body ?? '{}'),
  };
}

const guess = () => randomBytes(10).toString('hex').toUpperCase();

async function realCode(): Promise<string> {
  const person = await makeDepositor(['371300'], 12);
  const token = await region.api.token({ sub: 'budget-citizen', role: 'citizen', idNumber: person.idNumber });
  const response = await region.api.request('POST', '/v1/me/certificates', {
    token,
    headers: { 'idempotency-key': crypto.randomUUID() },
    json: { kind: 'deposit-usage', personalAccountNo: person.accounts['371300'] },
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { verificationCode: string }).verificationCode;
}

describe('failed certificate look-ups per source address', () => {
  it('are counted exactly under a race, and past the budget every check from the address is refused with 429', async () => {
    const address = freshAddress();
    const code = await realCode();
    // Concurrent failures all count (an atomic counter), none is lost to a race.
    const burst = await Promise.all(
      Array.from({ length: FAILED_LOOKUPS_PER_HOUR }, () => check(guess(), address)),
    );
    expect(burst.map((r) => r.status)).toEqual(Array(FAILED_LOOKUPS_PER_HOUR).fill(404));

    const refused = await check(code, address);
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'TOO_MANY_FAILED_LOOKUPS', status: 429 });
    expect(refused.body.message['zh-CN']).toContain('稍后再试');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);

    // Another address is not held up by this one.
    expect((await check(code, freshAddress())).status).toBe(200);
  });

  it('costs nothing for checks that succeed', async () => {
    const address = freshAddress();
    const code = await realCode();
    for (let i = 0; i < FAILED_LOOKUPS_PER_HOUR + 5; i += 1) {
      expect((await check(code, address)).status).toBe(200);
    }
    expect((await check(guess(), address)).status).toBe(404);
  });
});
