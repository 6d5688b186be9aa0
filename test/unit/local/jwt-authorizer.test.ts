/**
 * The local JWT authorizer keeps the imported key set and the tokens it verified (issue 17: the
 * gateway imported the RSA key on every request), without letting either outlive what made it
 * valid: a verified token is refused once it expires, and after a key rotation a token signed with
 * the old key is refused while one signed with the new key is accepted.
 */
import { describe, expect, it, jest } from '@jest/globals';
import type { JSONWebKeySet } from 'jose';
import { createDevIdp } from '../../../infra/local/dev-idp.js';
import { createJwtAuthorizer } from '../../../infra/local/jwt-authorizer.js';

const claims = { sub: 'c1', role: 'citizen' as const, idNumber: '110101199003074578' };

describe('the JWT authorizer', () => {
  it('refuses a token it accepted once the token has expired', async () => {
    const idp = await createDevIdp();
    const authorizer = createJwtAuthorizer({
      issuer: idp.issuer,
      audience: [idp.audience],
      jwks: () => idp.jwks(),
    });
    const token = await idp.signToken(claims, { expiresIn: 2 });
    expect(await authorizer.authorize(`Bearer ${token}`)).toMatchObject({ ok: true });
    expect(await authorizer.authorize(`Bearer ${token}`)).toMatchObject({ ok: true });
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 3_000);
    try {
      expect(await authorizer.authorize(`Bearer ${token}`)).toEqual({
        ok: false,
        status: 401,
        description: 'the token has expired',
      });
    } finally {
      clock.mockRestore();
    }
  });

  it('after a key rotation refuses the old key’s token and accepts the new key’s', async () => {
    const [before, after] = await Promise.all([createDevIdp(), createDevIdp()]);
    let published: JSONWebKeySet = before.jwks();
    const authorizer = createJwtAuthorizer({
      issuer: before.issuer,
      audience: [before.audience],
      jwks: () => published,
    });
    const oldToken = await before.signToken(claims);
    expect(await authorizer.authorize(`Bearer ${oldToken}`)).toMatchObject({ ok: true });
    // the new key published under the old kid: the old token's kid still matches, its signature does not
    published = { keys: after.jwks().keys.map((key) => ({ ...key, kid: before.kid })) };
    expect(await authorizer.authorize(`Bearer ${oldToken}`)).toEqual({
      ok: false,
      status: 401,
      description: 'the token signature is invalid',
    });
    const newToken = await after.signToken(claims, {
      kid: before.kid,
      issuer: before.issuer,
      audience: before.audience,
    });
    expect(await authorizer.authorize(`Bearer ${newToken}`)).toMatchObject({ ok: true });
  });
});
