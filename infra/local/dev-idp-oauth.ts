/**
 * The dev identity provider's sign-in for the portal: OAuth 2.0 authorization code with PKCE (RFC
 * 7636, S256 only) for public clients, as a real OIDC provider would offer it.
 *
 *   GET  <issuer>/authorize   a page listing the demo people of every city (zh/en); choosing one
 *   POST <issuer>/authorize   issues a one-time code and redirects to redirect_uri?code=…&state=…
 *   POST <issuer>/token       form-encoded authorization_code grant → {access_token, token_type, expires_in}
 *
 * Refused (never redirected): an unknown client_id, a redirect_uri not registered exactly, a
 * missing or non-S256 code_challenge. At the token endpoint a code is good once (the first attempt
 * consumes it, right or wrong), for CODE_TTL_SECONDS, for the same client and redirect_uri, and
 * only with the verifier whose SHA-256 is the challenge. LOCAL ONLY: anyone may pick any persona.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CityCode } from '../../shared/config/cities.js';
import type { DevIdp, HubClaims } from './dev-idp.js';

export const CODE_TTL_SECONDS = 60;
export const ACCESS_TOKEN_TTL_SECONDS = 3600;
/** The portal's client id (a public client: no secret). */
export const PORTAL_CLIENT_ID = 'hpf-portal';

export interface DevIdpPersona {
  id: string;
  group: 'citizen' | 'employer' | 'agent' | 'staff';
  city: CityCode;
  labelZh: string;
  labelEn: string;
  claims: HubClaims;
}

export interface OAuthClient {
  clientId: string;
  /** Exact redirect URIs (compared as strings). */
  redirectUris: readonly string[];
}

export interface DevIdpOAuthOptions {
  idp: Pick<DevIdp, 'issuer' | 'signToken'>;
  personas: readonly DevIdpPersona[];
  /** Read on each request: a gateway on a free port registers its own address once listening. */
  clients: () => readonly OAuthClient[];
  now?: () => number;
}

export interface IdpAnswer {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

export interface IdpRequest {
  method: string;
  /** The path below the issuer's, e.g. `/authorize`. */
  path: string;
  query: URLSearchParams;
  body: string;
  contentType?: string;
}

export interface DevIdpOAuth {
  /** Answers the requests it owns; undefined for any other path. */
  handle(request: IdpRequest): Promise<IdpAnswer | undefined>;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  persona: DevIdpPersona;
  expiresAt: number;
}

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

function json(status: number, value: unknown): IdpAnswer {
  return {
    status,
    headers: [
      ['content-type', 'application/json'],
      ['cache-control', 'no-store'],
      ['pragma', 'no-cache'],
    ],
    body: Buffer.from(JSON.stringify(value)),
  };
}

function tokenError(error: string, description: string): IdpAnswer {
  return json(error === 'invalid_client' ? 401 : 400, { error, error_description: description });
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(status: number, title: string, content: string): IdpAnswer {
  const body = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:0;padding:1rem;color:#1a1a1a;max-width:48rem}
h1{font-size:1.25rem}h2{font-size:1.05rem;margin-top:1.5rem;border-bottom:1px solid #ccc}
button{display:block;width:100%;text-align:left;margin:.25rem 0;padding:.6rem;font:inherit;background:#fff;
border:1px solid #555;border-radius:4px;cursor:pointer;overflow-wrap:anywhere}button:focus{outline:3px solid #0b57d0;outline-offset:2px}
.en{color:#444;font-size:.9em}</style></head><body><main>${content}</main></body></html>`;
  return {
    status,
    headers: [
      ['content-type', 'text/html; charset=utf-8'],
      ['cache-control', 'no-store'],
      ['content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"],
      ['x-frame-options', 'DENY'],
    ],
    body: Buffer.from(body),
  };
}

function refusal(reason: string): IdpAnswer {
  return page(
    400,
    '登录请求无效 Invalid sign-in request',
    `<h1>登录请求无效 · Invalid sign-in request</h1><p>${escapeHtml(reason)}</p>`,
  );
}

const GROUPS: { group: DevIdpPersona['group']; zh: string; en: string }[] = [
  { group: 'citizen', zh: '缴存职工', en: 'Citizens' },
  { group: 'employer', zh: '单位经办人', en: 'Employers' },
  { group: 'agent', zh: '受托网点经办人', en: 'Agents (bank branches, sales offices)' },
  { group: 'staff', zh: '中心工作人员', en: 'Centre staff' },
];

function sha256Base64Url(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

export function createDevIdpOAuth(options: DevIdpOAuthOptions): DevIdpOAuth {
  const now = options.now ?? Date.now;
  const codes = new Map<string, PendingCode>();
  const personas = new Map(options.personas.map((p) => [p.id, p]));

  /** The checks both halves of /authorize make; a string is the reason to refuse. */
  const authorizeRequest = (params: URLSearchParams) => {
    const clientId = params.get('client_id') ?? '';
    const client = options.clients().find((c) => c.clientId === clientId);
    if (!client) return `unknown client_id "${clientId}"`;
    const redirectUri = params.get('redirect_uri') ?? '';
    if (!client.redirectUris.includes(redirectUri))
      return `redirect_uri "${redirectUri}" is not registered for ${clientId}`;
    if (params.get('response_type') !== 'code') return 'response_type must be code';
    if (params.get('code_challenge_method') !== 'S256') return 'code_challenge_method must be S256';
    const challenge = params.get('code_challenge') ?? '';
    if (!CHALLENGE.test(challenge)) return 'code_challenge must be a base64url SHA-256 (43 characters)';
    return { clientId, redirectUri, challenge, state: params.get('state') ?? '' };
  };

  const forwarded = ['client_id', 'redirect_uri', 'response_type', 'code_challenge', 'code_challenge_method'];

  const authorizePage = (params: URLSearchParams): IdpAnswer => {
    const checked = authorizeRequest(params);
    if (typeof checked === 'string') return refusal(checked);
    const hidden = [...forwarded, 'state']
      .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name) ?? '')}">`)
      .join('');
    const sections = GROUPS.map(({ group, zh, en }) => {
      const buttons = options.personas
        .filter((p) => p.group === group)
        .map(
          (p) =>
            `<button type="submit" name="persona" value="${escapeHtml(p.id)}">${escapeHtml(p.labelZh)}<br><span class="en">${escapeHtml(p.labelEn)}</span></button>`,
        )
        .join('');
      return `<h2>${zh} <span class="en">${en}</span></h2>${buttons}`;
    }).join('');
    return page(
      200,
      '选择演示身份 Choose a demo identity',
      `<h1>本地开发身份提供方 · Local dev identity provider</h1>
<p>选择一个演示身份登录（仅限本地，数据均为演示数据）。<br><span class="en">Choose a demo identity to sign in as (local only, demo data).</span></p>
<form method="post">${hidden}${sections}</form>`,
    );
  };

  const issueCode = (form: URLSearchParams): IdpAnswer => {
    const checked = authorizeRequest(form);
    if (typeof checked === 'string') return refusal(checked);
    const persona = personas.get(form.get('persona') ?? '');
    if (!persona) return refusal('choose one of the listed identities');
    const code = randomBytes(24).toString('base64url');
    codes.set(code, {
      clientId: checked.clientId,
      redirectUri: checked.redirectUri,
      challenge: checked.challenge,
      persona,
      expiresAt: now() + CODE_TTL_SECONDS * 1000,
    });
    for (const [key, pending] of codes) if (pending.expiresAt < now()) codes.delete(key);
    const target = new URL(checked.redirectUri);
    target.searchParams.set('code', code);
    if (checked.state !== '') target.searchParams.set('state', checked.state);
    return {
      status: 302,
      headers: [
        ['location', target.href],
        ['cache-control', 'no-store'],
      ],
      body: Buffer.alloc(0),
    };
  };

  const token = async (request: IdpRequest): Promise<IdpAnswer> => {
    if (!/^application\/x-www-form-urlencoded\b/i.test(request.contentType ?? ''))
      return tokenError('invalid_request', 'the body must be application/x-www-form-urlencoded');
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') !== 'authorization_code')
      return tokenError('unsupported_grant_type', 'only authorization_code is supported');
    const code = form.get('code') ?? '';
    const pending = codes.get(code);
    // One attempt per code, right or wrong: a guessed verifier gets no second try.
    codes.delete(code);
    if (!pending || pending.expiresAt < now())
      return tokenError('invalid_grant', 'the code is unknown, used or expired');
    if (form.get('client_id') !== pending.clientId)
      return tokenError('invalid_client', 'the code was issued to another client');
    if (form.get('redirect_uri') !== pending.redirectUri)
      return tokenError('invalid_grant', 'redirect_uri differs from the authorization request');
    const verifier = form.get('code_verifier') ?? '';
    if (!VERIFIER.test(verifier)) return tokenError('invalid_grant', 'code_verifier is malformed');
    const expected = Buffer.from(pending.challenge);
    const actual = Buffer.from(sha256Base64Url(verifier));
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected))
      return tokenError('invalid_grant', 'code_verifier does not match the code_challenge');
    const accessToken = await options.idp.signToken(
      { ...pending.persona.claims, client_id: pending.clientId },
      { expiresIn: ACCESS_TOKEN_TTL_SECONDS },
    );
    return json(200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_TTL_SECONDS,
    });
  };

  return {
    async handle(request) {
      if (request.path === '/authorize') {
        if (request.method === 'GET') return authorizePage(request.query);
        if (request.method === 'POST') return issueCode(new URLSearchParams(request.body));
      }
      if (request.path === '/token' && request.method === 'POST') return token(request);
      return undefined;
    },
  };
}
