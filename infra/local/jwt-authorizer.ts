/**
 * What API Gateway's HTTP API JWT authorizer does, for the local gateway
 * (docs: "Control access to HTTP APIs with JWT authorizers", "Troubleshooting … JWT authorizers"):
 *
 * 1. The identity source `$request.header.Authorization` holds the token, alone or after `Bearer`.
 * 2. The token is decoded; its algorithm must be RSA (here RS256: the only one the IdP uses) and
 *    its signature must verify with the key of the JWKS whose `kid` is in the token header.
 * 3. Claims: `iss` equals the configured issuer; `aud` matches one configured audience, or, only
 *    when there is no `aud`, `client_id` does; `exp` is after now; `nbf` and `iat` (when present)
 *    are before now. The docs state no clock skew, so none is allowed (configurable).
 * 4. A route with authorization scopes needs one of them in `scope` (or `scp`).
 *
 * Any refusal is API Gateway's own `401 {"message":"Unauthorized"}` (a valid token without a
 * required scope: `403 {"message":"Forbidden"}`), with a `www-authenticate` header naming the
 * reason when a token was present. Accepted claims reach the handler as strings
 * (numbers as their digits, arrays as `[a b]`), and `scopes` is null on a route without scopes.
 */
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  errors,
  type JSONWebKeySet,
  type JWTPayload,
  jwtVerify,
} from 'jose';

export interface JwtAuthorizerConfig {
  issuer: string;
  /** The authorizer's audience list. */
  audience: readonly string[];
  /** The issuer's JWKS (a function: re-read on each request, so a rotated key is seen at once). */
  jwks: JSONWebKeySet | (() => JSONWebKeySet);
  /** Seconds of clock skew tolerated on exp/nbf/iat. Default 0 (none documented by AWS). */
  clockToleranceSeconds?: number;
}

export type AuthorizerResult =
  | {
      ok: true;
      /** As delivered in `requestContext.authorizer.jwt.claims`: every value a string. */
      claims: Record<string, string>;
      /** `requestContext.authorizer.jwt.scopes`: null unless the route has authorization scopes. */
      scopes: string[] | null;
      payload: JWTPayload;
    }
  | {
      ok: false;
      /** 401 Unauthorized; 403 Forbidden when only the route's scopes are missing. */
      status: 401 | 403;
      /** For the `www-authenticate` header; absent when there was no token at all. */
      description?: string;
    };

export interface JwtAuthorizer {
  authorize(authorization: string | undefined, requiredScopes?: readonly string[]): Promise<AuthorizerResult>;
}

const ALGORITHMS = ['RS256'];

/** How API Gateway renders a claim value: strings as they are, everything else as text. */
export function renderClaimValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return `[${value.map(renderClaimValue).join(' ')}]`;
  if (typeof value === 'object')
    return `map[${Object.keys(value)
      .sort()
      .map((key) => `${key}:${renderClaimValue((value as Record<string, unknown>)[key])}`)
      .join(' ')}]`;
  return String(value);
}

export function renderClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(Object.entries(payload).map(([name, value]) => [name, renderClaimValue(value)]));
}

function tokenScopes(payload: JWTPayload): string[] {
  const raw = payload.scope ?? payload.scp;
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string');
  return [];
}

/** Verified tokens kept at most (a bench or a browser test signs in a few personas). */
const VERIFIED_CACHE_LIMIT = 1000;

export function createJwtAuthorizer(config: JwtAuthorizerConfig): JwtAuthorizer {
  const tolerance = config.clockToleranceSeconds ?? 0;
  const keySet = () => (typeof config.jwks === 'function' ? config.jwks() : config.jwks);
  // The key set imported once per JWKS content (not per request: importing the RSA key and cloning
  // the set was a tenth of a request's CPU, issue 17); a rotated key changes the text, so a new set.
  let imported: { text: string; keys: ReturnType<typeof createLocalJWKSet> } | undefined;
  const importedKeys = (jwks: JSONWebKeySet) => {
    const text = JSON.stringify(jwks);
    if (imported?.text !== text) imported = { text, keys: createLocalJWKSet(jwks) };
    return imported;
  };
  // A token whose signature and issuer verified under this JWKS text: only its time claims can
  // change their verdict later, and they are checked again on every request.
  const verified = new Map<string, JWTPayload>();

  return {
    async authorize(authorization, requiredScopes = []) {
      const header = authorization?.trim() ?? '';
      if (header === '') return { ok: false, status: 401 };
      const bearer = /^bearer\s+(.+)$/i.exec(header);
      const token = (bearer ? bearer[1] : header)?.trim() ?? '';

      let kid: string | undefined;
      let alg: string | undefined;
      try {
        ({ kid, alg } = decodeProtectedHeader(token));
      } catch {
        return { ok: false, status: 401, description: 'the token could not be decoded' };
      }
      if (!alg || !ALGORITHMS.includes(alg))
        return { ok: false, status: 401, description: `signing method ${alg ?? 'none'} is invalid` };
      const jwks = keySet();
      if (typeof kid !== 'string' || !jwks.keys.some((key) => key.kid === kid))
        return {
          ok: false,
          status: 401,
          description: 'the token has no kid that matches a key of the issuer',
        };

      const keys = importedKeys(jwks);
      const cacheKey = `${keys.text}\n${token}`;
      const now = Math.floor(Date.now() / 1000);
      let payload: JWTPayload | undefined = verified.get(cacheKey);
      // jose's own time checks, for a token verified before
      if (payload && typeof payload.exp === 'number' && payload.exp <= now - tolerance)
        return { ok: false, status: 401, description: 'the token has expired' };
      if (payload && typeof payload.nbf === 'number' && payload.nbf > now + tolerance)
        return { ok: false, status: 401, description: 'the token is not valid yet' };
      if (!payload)
        try {
          ({ payload } = await jwtVerify(token, keys.keys, {
            algorithms: ALGORITHMS,
            issuer: config.issuer,
            clockTolerance: tolerance,
            requiredClaims: ['exp'],
          }));
          if (verified.size >= VERIFIED_CACHE_LIMIT) verified.clear();
          verified.set(cacheKey, payload);
        } catch (error) {
          if (error instanceof errors.JWTExpired)
            return { ok: false, status: 401, description: 'the token has expired' };
          if (error instanceof errors.JWTClaimValidationFailed) {
            if (error.claim === 'iss')
              return { ok: false, status: 401, description: 'the token does not have a valid issuer' };
            if (error.claim === 'nbf')
              return { ok: false, status: 401, description: 'the token is not valid yet' };
            return { ok: false, status: 401, description: `the token claim ${error.claim} is invalid` };
          }
          return { ok: false, status: 401, description: 'the token signature is invalid' };
        }

      if (typeof payload.iat === 'number' && payload.iat > now + tolerance)
        return { ok: false, status: 401, description: 'the token was issued in the future' };

      // aud first; client_id only when there is no aud (Cognito access tokens).
      const audiences = payload.aud === undefined ? undefined : [payload.aud].flat();
      const presented = audiences ?? (typeof payload.client_id === 'string' ? [payload.client_id] : []);
      if (!presented.some((value) => config.audience.includes(value)))
        return { ok: false, status: 401, description: 'the token does not have a valid audience' };

      let scopes: string[] | null = null;
      if (requiredScopes.length > 0) {
        const granted = tokenScopes(payload);
        scopes = requiredScopes.filter((scope) => granted.includes(scope));
        if (scopes.length === 0)
          return { ok: false, status: 403, description: 'the token does not have a required scope' };
      }
      return { ok: true, claims: renderClaims(payload), scopes, payload };
    },
  };
}
