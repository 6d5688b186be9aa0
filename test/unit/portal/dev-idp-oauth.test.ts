/** The sign-in code's lifetime and the issuer a region records (no HTTP: the clock is injected). */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { demoPersonas } from '../../../infra/local/demo-personas.js';
import { createDevIdp, localIssuer, recordedIssuer, recordIssuer } from '../../../infra/local/dev-idp.js';
import { CODE_TTL_SECONDS, createDevIdpOAuth, PORTAL_CLIENT_ID } from '../../../infra/local/dev-idp-oauth.js';

describe('dev IdP codes', () => {
  it('refuses a code after its lifetime', async () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const oauth = createDevIdpOAuth({
      idp: await createDevIdp(),
      personas: demoPersonas(),
      clients: () => [{ clientId: PORTAL_CLIENT_ID, redirectUris: ['http://portal.test/'] }],
      now: () => now,
    });
    const verifier = 'v'.repeat(43);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    const params = {
      response_type: 'code',
      client_id: PORTAL_CLIENT_ID,
      redirect_uri: 'http://portal.test/',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
    const redeemAfter = async (seconds: number) => {
      const issued = await oauth.handle({
        method: 'POST',
        path: '/authorize',
        query: new URLSearchParams(),
        body: form({ ...params, persona: 'staff-320300-A' }),
      });
      const code = new URL(issued?.headers.find(([n]) => n === 'location')?.[1] ?? '').searchParams.get(
        'code',
      );
      now += seconds * 1000;
      return oauth.handle({
        method: 'POST',
        path: '/token',
        query: new URLSearchParams(),
        contentType: 'application/x-www-form-urlencoded',
        body: form({
          grant_type: 'authorization_code',
          code: code ?? '',
          client_id: PORTAL_CLIENT_ID,
          redirect_uri: 'http://portal.test/',
          code_verifier: verifier,
        }),
      });
    };
    expect((await redeemAfter(CODE_TTL_SECONDS - 1))?.status).toBe(200);
    expect((await redeemAfter(CODE_TTL_SECONDS + 1))?.status).toBe(400);
  });

  it('offers citizens, employers (one not yet registered), agents (a branch and the collecting bank) and two staff members of every city', () => {
    const personas = demoPersonas();
    expect(personas.filter((p) => p.group === 'agent')).toHaveLength(20);
    // each city's demo employer and the walk-through's, not yet registered
    expect(personas.filter((p) => p.group === 'employer')).toHaveLength(11);
    expect(personas.filter((p) => p.group === 'staff')).toHaveLength(20);
    expect(new Set(personas.map((p) => p.id)).size).toBe(personas.length);
  });
});

describe('the local issuer', () => {
  it('names the port and is read back from where npm start records it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hpf-idp-'));
    expect(recordedIssuer(dir)).toBeUndefined();
    recordIssuer(dir, localIssuer(3123));
    expect(recordedIssuer(dir)).toBe('http://127.0.0.1:3123/dev-idp');
  });
});
