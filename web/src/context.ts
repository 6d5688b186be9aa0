import { useEffect, useState } from 'preact/hooks';
import { type ApiOptions, api, asProblem, newIdempotencyKey, type Problem } from './api.js';
import type { Session } from './auth.js';
import type { PortalConfig } from './config.js';

/** What every page gets: the settings, who is signed in, and calls on their behalf. */
export interface Ctx {
  config: PortalConfig;
  session: Session | undefined;
  signIn(returnTo?: string): void;
  call<T = Record<string, unknown>>(method: string, path: string, options?: ApiOptions): Promise<T>;
}

export function makeCall(config: PortalConfig, session: Session | undefined): Ctx['call'] {
  return (method, path, options = {}) => api(config, method, path, { token: session?.token, ...options });
}

/** Loads once per key: { data, problem } (both undefined while loading). */
export function useLoad<T>(load: () => Promise<T>, key: string) {
  const [state, setState] = useState<{ data?: T; problem?: Problem; key?: string }>({});
  useEffect(() => {
    let live = true;
    setState({});
    load().then(
      (data) => live && setState({ data, key }),
      (error: unknown) =>
        live &&
        setState({
          problem: asProblem(error),
          key,
        }),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return state;
}

/**
 * The Idempotency-Key of one form: the same body again (a resend after a refusal or a lost answer)
 * reuses the key of the body last sent, another body gets a fresh one (never IDEMPOTENCY_KEY_REUSED).
 */
export function useResendKey(prefix: string): (body: unknown) => string {
  const [sent, setSent] = useState<{ key: string; body: string } | undefined>();
  return (body) => {
    const text = JSON.stringify(body);
    const key = sent?.body === text ? sent.key : newIdempotencyKey(prefix);
    setSent({ key, body: text });
    return key;
  };
}
