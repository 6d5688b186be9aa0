/**
 * The platform routes and the handler plumbing, through the local gateway as a caller sees them:
 * public routes, role checks, body limits and problem+json.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CITY_CODES } from '../../shared/config/cities.js';
import { SERVICE_ITEM_CODES } from '../../shared/services/declaration.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { createTestInboxes, type TestInboxes } from '../support/region.js';

let api: TestGateway;
let inboxes: TestInboxes;

beforeAll(async () => {
  inboxes = await createTestInboxes();
  api = await startTestGateway();
});

afterAll(async () => {
  await api.close();
  inboxes.sqs.destroy();
});

const employerClaims = {
  sub: 'emp-1',
  role: 'employer',
  uscc: '91350100M000100Y43',
  city: '370800',
} as const;

describe('public routes', () => {
  it('GET /health reports the table and every inbox reachable', async () => {
    const response = await api.request('GET', '/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', checks: { table: 'ok', inboxes: 'ok' } });
  });

  it('GET /health says which inbox is unreachable', async () => {
    const saved = process.env.INBOX_QUEUE_URLS as string;
    const urls = JSON.parse(saved) as Record<string, string>;
    // a queue that does not exist, still named as an inbox (the capability guard knows queues by name)
    const missing = (urls['371700'] as string).replace(/\/([^/]+)$/, '/missing-$1');
    process.env.INBOX_QUEUE_URLS = JSON.stringify({ ...urls, '371700': missing });
    try {
      const response = await api.request('GET', '/health');
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        status: 'degraded',
        checks: { inboxes: { unreachable: ['371700'] } },
      });
    } finally {
      process.env.INBOX_QUEUE_URLS = saved;
    }
  });

  it('GET /v1/cities lists the ten centres with the parameters in force and their rule versions', async () => {
    const response = await api.request('GET', '/v1/cities');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      cities: { code: string; nameZh: string; parameters: Record<string, unknown> }[];
    };
    expect(body.cities.map((c) => c.code)).toEqual([...CITY_CODES]);
    const suzhou = body.cities.find((c) => c.code === '341300');
    expect(suzhou).toMatchObject({ nameZh: '宿州', provinceZh: '安徽' });
    for (const city of body.cities) {
      expect(city.parameters.ruleVersion).toMatch(new RegExp(`^${city.code}-\\d{4}-\\d{2}-\\d{2}$`));
      expect(city.parameters.depositBaseCeilingFen).toBeGreaterThan(
        city.parameters.depositBaseFloorFen as number,
      );
    }
  });

  it('GET /v1/services is the whole catalogue, and one item by its code', async () => {
    const all = await api.request('GET', '/v1/services');
    const body = (await all.json()) as { services: { code: string }[] };
    expect(body.services.map((s) => s.code)).toEqual([...SERVICE_ITEM_CODES]);
    const one = await api.request('GET', '/v1/services/OFFSITE_LOAN');
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({
      code: 'OFFSITE_LOAN',
      committedWorkingDays: expect.any(Number),
    });
  });

  it('an unknown service code is a 404 problem', async () => {
    const response = await api.request('GET', '/v1/services/NO_SUCH_ITEM');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('the plumbing every handler shares', () => {
  it('a citizen token on a staff route is a 403 problem+json in both languages', async () => {
    const token = await api.token({ sub: 'c-1', role: 'citizen', idNumber: '11010519491231002X' });
    const response = await api.request('POST', '/v1/staff/ping/320300', { token });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const body = (await response.json()) as { code: string; message: Record<string, string> };
    expect(body.code).toBe('FORBIDDEN');
    expect(body.message['zh-CN']).toBeTruthy();
    expect(body.message.en).toBeTruthy();
  });

  it('malformed JSON is a 400', async () => {
    const token = await api.token(employerClaims);
    const response = await api.request('POST', '/v1/employers', {
      token,
      body: '{"uscc": "91350100M000100Y43",',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'MALFORMED_JSON' });
  });

  it('a 70 KiB body is a 413', async () => {
    const token = await api.token(employerClaims);
    const response = await api.request('POST', '/v1/employers', {
      token,
      json: { name: 'x'.repeat(70 * 1024) },
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('a form-encoded body is a 415', async () => {
    const token = await api.token(employerClaims);
    const response = await api.request('POST', '/v1/employers', {
      token,
      body: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
  });

  it('every answer carries the security headers and the request id', async () => {
    const citizen = await api.token({ sub: 'c-1', role: 'citizen', idNumber: '11010519491231002X' });
    const employer = await api.token(employerClaims);
    const answers = {
      200: await api.request('GET', '/v1/services'),
      403: await api.request('POST', '/v1/staff/ping/320300', { token: citizen }),
      404: await api.request('GET', '/v1/services/NO_SUCH_ITEM'),
      400: await api.request('POST', '/v1/employers', {
        token: employer,
        body: '{"uscc": "91350100M000100Y43",',
        headers: { 'content-type': 'application/json' },
      }),
    };
    for (const [status, response] of Object.entries(answers)) {
      const headers = {
        status: String(response.status),
        requestId: response.headers.get('x-request-id'),
        nosniff: response.headers.get('x-content-type-options'),
        hsts: response.headers.get('strict-transport-security'),
      };
      expect(headers).toEqual({
        status,
        requestId: expect.stringMatching(/\S/),
        nosniff: 'nosniff',
        hsts: expect.stringContaining('max-age'),
      });
      expect({ status, requestId: headers.requestId }).toEqual({
        status,
        requestId: response.headers.get('apigw-requestid'),
      });
    }
  });
});
