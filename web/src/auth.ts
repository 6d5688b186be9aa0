/**
 * Sign-in: OAuth 2.0 authorization code with PKCE (S256) as a public client. The verifier and
 * state live in sessionStorage only across the redirect; the access token lives in memory only
 * (a reload signs out: nothing a script could steal later stays in the browser).
 */
import type { PortalConfig } from './config.js';

export interface Session {
  token: string;
  claims: { sub: string; role: 'citizen' | 'employer' | 'staff' | 'agent'; city?: string; uscc?: string };
  expiresAt: number;
}

const PENDING = 'hpf.signin';

const base64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');

function randomString(bytes = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

export async function startSignIn(config: PortalConfig, returnTo: string): Promise<void> {
  const verifier = randomString();
  const state = randomString(16);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo }));
  const url = new URL(config.oidc.authorizationEndpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.oidc.clientId,
    redirect_uri: config.oidc.redirectUri,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
    state,
    scope: 'openid',
  }).toString();
  location.assign(url.href);
}

function decodeClaims(token: string): Session['claims'] {
  const payload = token.split('.')[1] ?? '';
  const json = atob(payload.replaceAll('-', '+').replaceAll('_', '/'));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
}

/**
 * After the redirect back: trades the code for a token when state matches what this tab sent.
 * Returns the session and the page to go back to, or undefined when this load is no sign-in.
 */
export async function completeSignIn(
  config: PortalConfig,
): Promise<{ session: Session; returnTo: string } | undefined> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (code === null) return undefined;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as {
    verifier: string;
    state: string;
    returnTo: string;
  } | null;
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', `${location.pathname}${pending?.returnTo ?? '#/'}`);
  if (!pending || params.get('state') !== pending.state) throw new Error('state mismatch');
  const response = await fetch(config.oidc.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: config.oidc.redirectUri,
      client_id: config.oidc.clientId,
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) throw new Error(`token endpoint: ${response.status}`);
  const answer = (await response.json()) as { access_token: string; expires_in: number };
  return {
    session: {
      token: answer.access_token,
      claims: decodeClaims(answer.access_token),
      expiresAt: Date.now() + answer.expires_in * 1000,
    },
    returnTo: pending.returnTo,
  };
}
