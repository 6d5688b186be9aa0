/**
 * The local identity provider: an RS256 key pair with a `kid`, a JWKS, and signed tokens with the
 * claims of DESIGN.md §5. In AWS an external, real-name-verifying IdP issues the tokens; this one
 * exists only on a developer's machine and in tests.
 *
 * The local region keeps its key under `.local/dev-idp/` (git-ignored) so tokens printed by
 * `npm start` or `npm run token` keep working across restarts; tests use an in-memory key.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { type CityCode, isCityCode } from '../../shared/config/cities.js';
import { parseIdNumber } from '../../shared/identity/id-number.js';
import { parseUscc } from '../../shared/identity/uscc.js';
import { ROLES, type Role } from '../../shared/services/declaration.js';

/** The local issuer: an identifier (the local gateway also serves its JWKS and sign-in under it). */
export function localIssuer(port: number): string {
  return `http://127.0.0.1:${port}/dev-idp`;
}
/** The issuer of the local region on its default port (and of the tests' in-memory IdP). */
export const LOCAL_ISSUER = localIssuer(3000);
/** Where `npm start` records the issuer it serves, for `npm run token` (in DEV_IDP_DIR). */
const ISSUER_FILE = 'issuer.txt';
export const LOCAL_AUDIENCE = 'huaihai-hpf-hub';
/** Where the local region keeps its signing key (relative to the repository root). */
export const DEV_IDP_DIR = '.local/dev-idp';
const KEY_FILE = 'signing-key.private.jwk.json';
export const DEV_IDP_ALG = 'RS256';

/** The caller claims of DESIGN.md §5 (`sub` plus what the role needs). */
export type HubClaims =
  | { sub: string; role: 'citizen'; idNumber: string }
  | { sub: string; role: 'employer'; uscc: string; city: CityCode }
  | { sub: string; role: 'staff'; city: CityCode }
  | { sub: string; role: 'agent'; city: CityCode; agentOrgId: string };

export interface SignTokenOptions {
  /** Lifetime from now: seconds, or `30s`, `15m`, `12h`, `7d`; negative = already expired. Default 12h. */
  expiresIn?: string | number;
  /** `aud`; default the IdP's audience. */
  audience?: string | string[];
  /** `iss`; default the IdP's issuer. */
  issuer?: string;
  /** `nbf`: absolute epoch seconds or a Date, or relative to now as for expiresIn (`+5m`, `5m`). */
  notBefore?: string | number | Date;
  /** `iat` as epoch seconds; default now. */
  issuedAt?: number;
  /** Header `kid`; default the IdP's own. */
  kid?: string;
}

export interface DevIdp {
  issuer: string;
  audience: string;
  kid: string;
  /** The public JWKS, as the IdP would publish it at its jwks_uri. */
  jwks(): JSONWebKeySet;
  signToken(
    claims: HubClaims | (JWTPayload & Record<string, unknown>),
    options?: SignTokenOptions,
  ): Promise<string>;
}

export interface DevIdpOptions {
  issuer?: string;
  audience?: string;
  /** Default: a random one (in memory) or the one stored with the key. */
  kid?: string;
  /** Keep the key pair in this directory (created mode 0700, key file 0600); omit for in memory. */
  persistDir?: string;
}

const DURATION = /^([+-]?\d+)\s*(s|m|h|d)?$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `12h` → 43200; a plain number is seconds. */
export function durationSeconds(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a duration: ${value}`);
    return Math.trunc(value);
  }
  const match = DURATION.exec(value.trim());
  if (!match) throw new RangeError(`not a duration: "${value}" (use e.g. 30s, 15m, 12h, 7d)`);
  return Number(match[1]) * (UNIT_SECONDS[match[2] ?? 's'] as number);
}

function newKid(): string {
  return `dev-${randomBytes(6).toString('hex')}`;
}

async function loadOrCreateKey(options: DevIdpOptions): Promise<{ privateJwk: JWK; kid: string }> {
  const file = options.persistDir ? join(options.persistDir, KEY_FILE) : undefined;
  if (file && existsSync(file)) {
    let stored: JWK;
    try {
      stored = JSON.parse(readFileSync(file, 'utf8')) as JWK;
    } catch (error) {
      throw new Error(`${file} is not a JWK (${(error as Error).message}); delete it to make a new key`);
    }
    if (stored.kty !== 'RSA' || typeof stored.d !== 'string' || typeof stored.kid !== 'string')
      throw new Error(`${file} is not an RSA private JWK with a kid; delete it to make a new key`);
    return { privateJwk: stored, kid: options.kid ?? stored.kid };
  }
  const { privateKey } = await generateKeyPair(DEV_IDP_ALG, { modulusLength: 2048, extractable: true });
  const kid = options.kid ?? newKid();
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: DEV_IDP_ALG, use: 'sig' };
  if (file && options.persistDir) {
    mkdirSync(options.persistDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return { privateJwk, kid };
}

/** `npm start` notes the issuer of the port it really listens on. */
export function recordIssuer(persistDir: string, issuer: string): void {
  mkdirSync(persistDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(persistDir, ISSUER_FILE), `${issuer}\n`);
}

/** The issuer `npm start` last recorded, if any. */
export function recordedIssuer(persistDir: string): string | undefined {
  const file = join(persistDir, ISSUER_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}

export async function createDevIdp(options: DevIdpOptions = {}): Promise<DevIdp> {
  const issuer = options.issuer ?? LOCAL_ISSUER;
  const audience = options.audience ?? LOCAL_AUDIENCE;
  const { privateJwk, kid } = await loadOrCreateKey(options);
  const privateKey = await importJWK({ ...privateJwk, alg: DEV_IDP_ALG }, DEV_IDP_ALG);
  const { kty, n, e } = privateJwk;
  const publicJwk: JWK = { kty, n, e, kid, alg: DEV_IDP_ALG, use: 'sig' };

  return {
    issuer,
    audience,
    kid,
    jwks: () => ({ keys: [{ ...publicJwk }] }),
    async signToken(claims, signOptions = {}) {
      const now = Math.floor(Date.now() / 1000);
      const issuedAt = signOptions.issuedAt ?? now;
      const jwt = new SignJWT({ ...claims })
        .setProtectedHeader({ alg: DEV_IDP_ALG, typ: 'JWT', kid: signOptions.kid ?? kid })
        .setIssuer(signOptions.issuer ?? issuer)
        .setAudience(signOptions.audience ?? audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(now + durationSeconds(signOptions.expiresIn ?? '12h'));
      const nbf = signOptions.notBefore;
      if (nbf instanceof Date) jwt.setNotBefore(Math.floor(nbf.getTime() / 1000));
      else if (typeof nbf === 'number') jwt.setNotBefore(nbf);
      else if (typeof nbf === 'string') jwt.setNotBefore(now + durationSeconds(nbf));
      return jwt.sign(privateKey);
    },
  };
}

/** What is wrong with these caller claims (empty when they are a complete caller of §5). */
export function claimProblems(claims: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const role = claims.role;
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    problems.push(`role must be one of ${ROLES.join(', ')}`);
    return problems;
  }
  if (typeof claims.sub !== 'string' || claims.sub === '') problems.push('sub is required');
  const need = (name: string) => {
    const value = claims[name];
    if (typeof value !== 'string' || value === '') {
      problems.push(`--${name} is required for role ${role}`);
      return undefined;
    }
    return value;
  };
  const checkCity = () => {
    const city = need('city');
    if (city !== undefined && !isCityCode(city))
      problems.push(`city ${city} is not one of the ten region cities`);
  };
  switch (role as Role) {
    case 'citizen': {
      const idNumber = need('idNumber');
      if (idNumber !== undefined) {
        const parsed = parseIdNumber(idNumber);
        if (!parsed.ok) problems.push(`idNumber: ${parsed.messageEn}`);
      }
      break;
    }
    case 'employer': {
      const uscc = need('uscc');
      if (uscc !== undefined && !parseUscc(uscc).ok)
        problems.push('uscc must be 18 digits or uppercase letters (excluding I, O, Z, S and V)');
      checkCity();
      break;
    }
    case 'staff':
      checkCity();
      break;
    case 'agent':
      checkCity();
      need('agentOrgId');
      break;
  }
  return problems;
}
