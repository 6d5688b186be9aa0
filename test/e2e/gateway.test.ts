/**
 * The local gateway behaves as API Gateway's HTTP API does in front of the handlers: the JWT
 * authorizer's refusals, API Gateway's own 404/413/500 answers, CORS preflight, and the payload
 * format 2.0 event the handlers receive.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT, UnsecuredJWT } from 'jose';
import { createDevIdp } from '../../infra/local/dev-idp.js';
import type { HandlerDeclaration } from '../../shared/services/declaration.js';
import { startTestGateway, TEST_ALLOWED_ORIGIN, type TestGateway } from '../support/gateway.js';

const STAFF_320300 = { sub: 'staff-1', role: 'staff', city: '320300' } as const;
const PROTECTED = '/v1/staff/ping/320300';

const ECHO_HANDLERS: readonly HandlerDeclaration[] = [
  {
    id: 'echo',
    entry: 'test/support/echo-handler.ts',
    routes: [
      { method: 'GET', path: '/echo/public', access: 'public' },
      { method: 'POST', path: '/echo/public', access: 'public' },
      { method: 'POST', path: '/v1/staff/echo/{city}/{item}', access: ['staff'] },
      { method: 'GET', path: '/echo/things/{id}', access: 'public' },
      { method: 'GET', path: '/echo/things/special', access: 'public' },
      { method: 'GET', path: '/echo/files/{path+}', access: 'public' },
    ],
    capabilities: {},
    timeoutSeconds: 5,
    memoryMb: 256,
  },
];

async function expectUnauthorized(response: Response): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.headers.get('content-type')).toBe('application/json');
  expect(response.headers.get('apigw-requestid')).toEqual(expect.any(String));
  expect(await response.text()).toBe('{"message":"Unauthorized"}');
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('local gateway: API Gateway answers (real declaration)', () => {
  let api: TestGateway;
  beforeAll(async () => {
    api = await startTestGateway();
  });
  afterAll(async () => {
    await api.close();
  });

  it('refuses a protected route without a token, before the handler runs', async () => {
    const response = await api.request('POST', PROTECTED, { json: {} });
    await expectUnauthorized(response);
    expect(response.headers.get('www-authenticate')).toBeNull();
    expect(api.handlerErrors).toEqual([]);
  });

  it('refuses an expired token', async () => {
    const token = await api.token(STAFF_320300, { expiresIn: -60 });
    const response = await api.request('POST', PROTECTED, { token, json: {} });
    await expectUnauthorized(response);
    expect(response.headers.get('www-authenticate')).toContain('expired');
  });

  it('refuses a token for another audience', async () => {
    const token = await api.token(STAFF_320300, { audience: 'some-other-app' });
    const response = await api.request('POST', PROTECTED, { token, json: {} });
    await expectUnauthorized(response);
    expect(response.headers.get('www-authenticate')).toContain('audience');
  });

  it('refuses a token from another issuer', async () => {
    const token = await api.token(STAFF_320300, { issuer: 'https://evil.example/' });
    await expectUnauthorized(await api.request('POST', PROTECTED, { token, json: {} }));
  });

  it('refuses a token signed by another key, even under the same kid', async () => {
    const impostor = await createDevIdp({ kid: api.idp.kid });
    const token = await impostor.signToken(STAFF_320300);
    await expectUnauthorized(await api.request('POST', PROTECTED, { token, json: {} }));
  });

  it('refuses a token whose kid is not in the JWKS, or that has none', async () => {
    const unknownKid = await api.token(STAFF_320300, { kid: 'not-a-known-kid' });
    await expectUnauthorized(await api.request('POST', PROTECTED, { token: unknownKid, json: {} }));
    const [, payload, signature] = (await api.token(STAFF_320300)).split('.');
    const noKid = `${base64url({ alg: 'RS256', typ: 'JWT' })}.${payload}.${signature}`;
    await expectUnauthorized(await api.request('POST', PROTECTED, { token: noKid, json: {} }));
  });

  it('refuses alg none and HS256 tokens', async () => {
    const claims = { ...STAFF_320300 };
    const unsecured = new UnsecuredJWT(claims)
      .setIssuer(api.idp.issuer)
      .setAudience(api.idp.audience)
      .setExpirationTime('1h')
      .encode();
    await expectUnauthorized(await api.request('POST', PROTECTED, { token: unsecured, json: {} }));
    const [, payload] = unsecured.split('.');
    const noneWithKid = `${base64url({ alg: 'none', kid: api.idp.kid })}.${payload}.`;
    await expectUnauthorized(await api.request('POST', PROTECTED, { token: noneWithKid, json: {} }));
    // The classic confusion: HMAC keyed with the public key material.
    const hs256 = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: api.idp.kid })
      .setIssuer(api.idp.issuer)
      .setAudience(api.idp.audience)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(JSON.stringify(api.idp.jwks())));
    await expectUnauthorized(await api.request('POST', PROTECTED, { token: hs256, json: {} }));
  });

  it('refuses a token that is not valid yet (nbf in the future)', async () => {
    const token = await api.token(STAFF_320300, { notBefore: '+10m' });
    await expectUnauthorized(await api.request('POST', PROTECTED, { token, json: {} }));
  });

  it('refuses garbage and a bare "Bearer"', async () => {
    await expectUnauthorized(await api.request('POST', PROTECTED, { token: 'not.a.jwt', json: {} }));
    const response = await api.request('POST', PROTECTED, { headers: { authorization: 'Bearer' }, json: {} });
    await expectUnauthorized(response);
  });

  it('answers 404 {"message":"Not Found"} for an undeclared route or method', async () => {
    for (const [method, path] of [
      ['GET', '/v1/nothing-here'],
      ['GET', PROTECTED],
      ['GET', '/health/'],
      ['DELETE', '/v1/cities'],
    ] as const) {
      const response = await api.request(method, path);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.text()).toBe('{"message":"Not Found"}');
    }
  });

  it('answers a CORS preflight itself, without a token, for an allowed origin', async () => {
    const response = await api.request('OPTIONS', PROTECTED, {
      headers: {
        origin: TEST_ALLOWED_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(TEST_ALLOWED_ORIGIN);
    expect(response.headers.get('access-control-allow-methods')?.split(',')).toEqual(
      expect.arrayContaining(['GET', 'POST', 'PATCH']),
    );
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase().split(',')).toEqual(
      expect.arrayContaining(['authorization', 'content-type']),
    );
    expect(response.headers.get('access-control-max-age')).toBe('300');
    expect(await response.text()).toBe('');
  });

  it('gives no allow-origin to a preflight from another origin', async () => {
    const response = await api.request('OPTIONS', PROTECTED, {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('adds allow-origin to its own 401 for an allowed origin only', async () => {
    const allowed = await api.request('POST', PROTECTED, {
      headers: { origin: TEST_ALLOWED_ORIGIN },
      json: {},
    });
    await expectUnauthorized(allowed);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(TEST_ALLOWED_ORIGIN);
    const other = await api.request('POST', PROTECTED, {
      headers: { origin: 'https://evil.example' },
      json: {},
    });
    await expectUnauthorized(other);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 413 {"message":"Request Entity Too Large"} above 10 MB, before the handler', async () => {
    const token = await api.token(STAFF_320300);
    const response = await api.request('POST', PROTECTED, {
      token,
      headers: { 'content-type': 'application/json' },
      body: `"${'x'.repeat(10 * 1024 * 1024)}"`,
    });
    expect(response.status).toBe(413);
    expect(await response.text()).toBe('{"message":"Request Entity Too Large"}');
  });

  it('answers 413 for an event over Lambda’s 6 MB, though its body is under API Gateway’s 10 MB', async () => {
    const token = await api.token(STAFF_320300);
    const response = await api.request('POST', PROTECTED, {
      token,
      headers: { 'content-type': 'application/json' },
      body: `"${'x'.repeat(7 * 1024 * 1024)}"`,
    });
    expect(response.status).toBe(413);
    expect(await response.text()).toBe('{"message":"Request Entity Too Large"}');
  });
});

describe('local gateway: the payload 2.0 event and the response (echo handler)', () => {
  let api: TestGateway;
  beforeAll(async () => {
    api = await startTestGateway({ handlers: ECHO_HANDLERS });
  });
  afterAll(async () => {
    await api.close();
  });

  /** node:http, to send repeated header lines and cookies exactly. */
  function rawRequest(
    method: string,
    path: string,
    headers: Record<string, string | string[]>,
    body?: string | Buffer,
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(`${api.baseUrl}${path}`, { method }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      for (const [name, value] of Object.entries(headers)) req.setHeader(name, value);
      req.end(body);
    });
  }

  it('delivers routeKey, decoded path parameters, query parameters, string claims and lowercase headers', async () => {
    const token = await api.token({ ...STAFF_320300, amr: ['pwd', 'otp'], level: 3 });
    const response = await rawRequest(
      'POST',
      '/v1/staff/echo/320300/a%20b%2Fc?tag=x&tag=y&q=%E5%BE%90%E5%B7%9E&empty=',
      {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        'X-Repeated': ['one', 'two'],
        Cookie: 'session=abc; theme=dark',
        'User-Agent': 'hpf-e2e',
      },
      '{"hello":"徐州"}',
    );
    expect(response.status).toBe(200);
    const { event, context } = JSON.parse(response.body.toString('utf8'));

    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('POST /v1/staff/echo/{city}/{item}');
    expect(event.rawPath).toBe('/v1/staff/echo/320300/a%20b%2Fc');
    expect(event.rawQueryString).toBe('tag=x&tag=y&q=%E5%BE%90%E5%B7%9E&empty=');
    expect(event.pathParameters).toEqual({ city: '320300', item: 'a b/c' });
    expect(event.queryStringParameters).toEqual({ tag: 'x,y', q: '徐州', empty: '' });
    expect(event.cookies).toEqual(['session=abc', 'theme=dark']);
    expect(event.body).toBe('{"hello":"徐州"}');
    expect(event.isBase64Encoded).toBe(false);

    expect(event.headers['x-repeated']).toBe('one,two');
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.headers['user-agent']).toBe('hpf-e2e');
    expect(event.headers.cookie).toBeUndefined();
    for (const name of Object.keys(event.headers)) expect(name).toBe(name.toLowerCase());
    expect(event.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(event.headers['x-forwarded-proto']).toBe('http');

    const ctx = event.requestContext;
    expect(ctx.routeKey).toBe(event.routeKey);
    expect(ctx.stage).toBe('$default');
    expect(ctx.requestId).toBe(response.headers['apigw-requestid']);
    expect(ctx.http).toEqual({
      method: 'POST',
      path: '/v1/staff/echo/320300/a%20b%2Fc',
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'hpf-e2e',
    });
    expect(ctx.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(ctx.timeEpoch - Date.now())).toBeLessThan(10_000);
    expect(ctx.authorizer.jwt.scopes).toBeNull();
    const claims = ctx.authorizer.jwt.claims;
    expect(claims).toMatchObject({
      sub: 'staff-1',
      role: 'staff',
      city: '320300',
      iss: api.idp.issuer,
      aud: api.idp.audience,
      amr: '[pwd otp]',
      level: '3',
    });
    for (const value of Object.values(claims)) expect(typeof value).toBe('string');
    expect(claims.exp).toMatch(/^\d+$/);

    expect(context.functionName).toBe('hpf-local-echo');
    expect(context.memoryLimitInMB).toBe('256');
    expect(context.awsRequestId).not.toBe(ctx.requestId);
    expect(context.remainingMs).toBeGreaterThan(0);
    expect(context.remainingMs).toBeLessThanOrEqual(5000);
  });

  it('leaves out authorizer, query, path parameters, cookies and body when there are none', async () => {
    const response = await api.request('GET', '/echo/public');
    expect(response.status).toBe(200);
    const { event } = (await response.json()) as { event: Record<string, unknown> };
    expect(event.rawQueryString).toBe('');
    for (const absent of ['queryStringParameters', 'pathParameters', 'cookies', 'body'])
      expect(event).not.toHaveProperty(absent);
    expect(event.requestContext).not.toHaveProperty('authorizer');
    expect(event.isBase64Encoded).toBe(false);
  });

  it('base64-encodes a binary request body', async () => {
    const bytes = Buffer.from([0, 159, 146, 150, 255]);
    const response = await rawRequest(
      'POST',
      '/echo/public',
      { 'Content-Type': 'application/octet-stream' },
      bytes,
    );
    const { event } = JSON.parse(response.body.toString('utf8'));
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body, 'base64')).toEqual(bytes);
  });

  it('prefers a literal route to a path variable, and matches a greedy variable', async () => {
    const special = JSON.parse(await (await api.request('GET', '/echo/things/special')).text());
    expect(special.event.routeKey).toBe('GET /echo/things/special');
    const other = JSON.parse(await (await api.request('GET', '/echo/things/other')).text());
    expect(other.event.routeKey).toBe('GET /echo/things/{id}');
    expect(other.event.pathParameters).toEqual({ id: 'other' });
    const greedy = JSON.parse(await (await api.request('GET', '/echo/files/a/b/c.txt')).text());
    expect(greedy.event.pathParameters).toEqual({ path: 'a/b/c.txt' });
  });

  it('answers 500 {"message":"Internal Server Error"} when the handler throws', async () => {
    const before = api.handlerErrors.length;
    const response = await api.request('GET', '/echo/public?mode=throw');
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.text()).toBe('{"message":"Internal Server Error"}');
    expect(api.handlerErrors.length).toBe(before + 1);
  });

  it('infers a 200 application/json response from a string or an object without statusCode', async () => {
    const text = await api.request('GET', '/echo/public?mode=string');
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toBe('application/json');
    expect(await text.text()).toBe('hello from the echo handler');
    const object = await api.request('GET', '/echo/public?mode=object');
    expect(object.status).toBe(200);
    expect(await object.text()).toBe('{"hello":"echo"}');
  });

  it('turns cookies into set-cookie headers and owns the CORS headers', async () => {
    const response = await rawRequest('GET', '/echo/public?mode=cookies', { Origin: TEST_ALLOWED_ORIGIN });
    expect(response.status).toBe(201);
    expect(response.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/; HttpOnly']);
    expect(response.headers['x-echo']).toBe('yes');
    expect(response.headers['access-control-allow-origin']).toBe(TEST_ALLOWED_ORIGIN);
    expect(response.headers['access-control-expose-headers']).toBe('X-Correlation-Id');
    const other = await rawRequest('GET', '/echo/public?mode=cookies', { Origin: 'https://evil.example' });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('decodes a base64 response body', async () => {
    const response = await rawRequest('GET', '/echo/public?mode=binary', {});
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect([...response.body]).toEqual([0, 1, 2, 253, 254, 255]);
  });
});
