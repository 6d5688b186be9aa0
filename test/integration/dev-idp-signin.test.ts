/**
 * The dev IdP's sign-in for the portal (infra/local/dev-idp-oauth.ts) over HTTP: authorization code
 * with PKCE S256, and the attacks a public client's code must survive.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { demoPeople } from '../../infra/local/demo-deposits.js';
import { PORTAL_CLIENT_ID } from '../../infra/local/dev-idp-oauth.js';
import { startTestGateway, TEST_ALLOWED_ORIGIN, type TestGateway } from '../support/gateway.js';

let api: TestGateway;
let redirectUri: string;
const citizen = demoPeople()[0];
const persona = `citizen-${citizen?.idNumber.slice(-6)}`;

beforeAll(async () => {
  api = await startTestGateway({ portalDir: mkdtempSync(join(tmpdir(), 'hpf-portal-')) });
  redirectUri = `${api.baseUrl}/`;
});
afterAll(() => api.close());

const verifierPair = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

function authorizeParams(challenge: string, overrides: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    response_type: 'code',
    client_id: PORTAL_CLIENT_ID,
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'st-1',
    ...overrides,
  });
}

/** Chooses the persona on the sign-in page: the code the redirect carries. */
async function codeFor(challenge: string): Promise<string> {
  const params = authorizeParams(challenge);
  params.set('persona', persona);
  const res = await fetch(`${api.baseUrl}/dev-idp/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: params,
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
  expect(location.searchParams.get('state')).toBe('st-1');
  return location.searchParams.get('code') ?? '';
}

function redeem(fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${api.baseUrl}/dev-idp/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: PORTAL_CLIENT_ID,
      redirect_uri: redirectUri,
      ...fields,
    }),
  });
}

describe('dev IdP sign-in (authorization code + PKCE)', () => {
  it('publishes its endpoints and S256 only', async () => {
    const res = await fetch(`${api.baseUrl}/dev-idp/.well-known/openid-configuration`);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      issuer: api.idp.issuer,
      authorization_endpoint: `${api.baseUrl}/dev-idp/authorize`,
      token_endpoint: `${api.baseUrl}/dev-idp/token`,
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
    });
  });

  it('names its own address in the discovery document, whatever Host the request claims', async () => {
    const { port } = new URL(api.baseUrl);
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/dev-idp/.well-known/openid-configuration',
          headers: { host: 'evil.example' },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => {
            text += chunk;
          });
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(body).not.toContain('evil.example');
    expect(JSON.parse(body)).toMatchObject({ token_endpoint: `${api.baseUrl}/dev-idp/token` });
  });

  it('lists the demo people of every city on its page', async () => {
    const { challenge } = verifierPair();
    const res = await fetch(`${api.baseUrl}/dev-idp/authorize?${authorizeParams(challenge)}`);
    expect(res.status).toBe(200);
    const page = await res.text();
    for (const name of [
      '缴存职工',
      '单位经办人',
      '受托网点经办人',
      '中心工作人员',
      '徐州',
      '菏泽',
      citizen?.name ?? '?',
    ])
      expect(page).toContain(name);
    // No ID number in clear on the page.
    expect(page).not.toContain(citizen?.idNumber);
  });

  it('trades a code and its verifier for a token the gateway accepts, with CORS for the portal origin', async () => {
    const { verifier, challenge } = verifierPair();
    const code = await codeFor(challenge);
    const res = await redeem({ code, code_verifier: verifier }, { origin: TEST_ALLOWED_ORIGIN });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(TEST_ALLOWED_ORIGIN);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBeGreaterThan(0);
    const accounts = await api.request('GET', '/v1/me/accounts', { token: body.access_token });
    expect(accounts.status).toBe(200);
  });

  it('refuses a wrong verifier, and the code is spent by the attempt', async () => {
    const { verifier, challenge } = verifierPair();
    const code = await codeFor(challenge);
    const wrong = await redeem({ code, code_verifier: verifierPair().verifier });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_grant' });
    const right = await redeem({ code, code_verifier: verifier });
    expect(right.status).toBe(400);
  });

  it('refuses a code used twice', async () => {
    const { verifier, challenge } = verifierPair();
    const code = await codeFor(challenge);
    expect((await redeem({ code, code_verifier: verifier })).status).toBe(200);
    const again = await redeem({ code, code_verifier: verifier });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses another redirect_uri, at the token endpoint and at authorize (no redirect to it)', async () => {
    const { verifier, challenge } = verifierPair();
    const code = await codeFor(challenge);
    const res = await redeem({ code, code_verifier: verifier, redirect_uri: `${TEST_ALLOWED_ORIGIN}/` });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });

    const evil = authorizeParams(challenge, { redirect_uri: 'https://evil.example/' });
    evil.set('persona', persona);
    for (const request of [
      fetch(`${api.baseUrl}/dev-idp/authorize?${evil}`, { redirect: 'manual' }),
      fetch(`${api.baseUrl}/dev-idp/authorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: evil,
        redirect: 'manual',
      }),
    ]) {
      const answer = await request;
      expect(answer.status).toBe(400);
      expect(answer.headers.get('location')).toBeNull();
    }
  });

  it('refuses the plain method: at authorize, and a verifier equal to the challenge', async () => {
    const { verifier } = verifierPair();
    const plain = await fetch(
      `${api.baseUrl}/dev-idp/authorize?${authorizeParams(verifier, { code_challenge_method: 'plain' })}`,
    );
    expect(plain.status).toBe(400);
    const missing = authorizeParams(verifier);
    missing.delete('code_challenge_method');
    expect((await fetch(`${api.baseUrl}/dev-idp/authorize?${missing}`)).status).toBe(400);

    // A plain-style client sends the challenge itself as the verifier: not its SHA-256, refused.
    const { challenge } = verifierPair();
    const code = await codeFor(challenge);
    const res = await redeem({ code, code_verifier: challenge });
    expect(res.status).toBe(400);
  });

  it('refuses another client, an unknown client, and another grant type', async () => {
    const { verifier, challenge } = verifierPair();
    const code = await codeFor(challenge);
    const other = await redeem({ code, code_verifier: verifier, client_id: 'someone-else' });
    expect(other.status).toBe(401);
    expect(await other.json()).toMatchObject({ error: 'invalid_client' });

    const unknown = await fetch(
      `${api.baseUrl}/dev-idp/authorize?${authorizeParams(challenge, { client_id: 'someone-else' })}`,
    );
    expect(unknown.status).toBe(400);
    const grant = await redeem({ grant_type: 'password', code: 'x', code_verifier: verifier });
    expect(grant.status).toBe(400);
    expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });
});
