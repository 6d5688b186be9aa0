/** Calls to the API: JSON in and out, problem+json turned into a Problem the pages show. */
import type { PortalConfig } from './config.js';
import type { Bilingual } from './i18n.js';

export interface FieldError {
  field?: string;
  row?: number;
  code?: string;
  message?: Bilingual;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: Bilingual,
    readonly errors: FieldError[] = [],
  ) {
    super(text.en ?? code);
  }
  /** The error of one field, if the server named it. */
  field(name: string): FieldError | undefined {
    return this.errors.find((e) => e.field === name);
  }
}

/** Any failure as a Problem the page can show (a thrown non-Problem is a client bug, shown as it is). */
export function asProblem(error: unknown): Problem {
  return error instanceof Problem
    ? error
    : new Problem(0, 'CLIENT', { 'zh-CN': String(error), en: String(error) });
}

/** What API Gateway answers itself (never problem+json), in both languages. */
const GATEWAY: Record<number, Bilingual> = {
  401: { 'zh-CN': '请先登录（或登录已过期）。', en: 'Please sign in (or your sign-in has expired).' },
  403: { 'zh-CN': '无权访问。', en: 'Forbidden.' },
  404: { 'zh-CN': '未找到。', en: 'Not found.' },
  413: { 'zh-CN': '提交的内容过大。', en: 'The request is too large.' },
};
const NETWORK: Bilingual = {
  'zh-CN': '网络连接失败，请稍后重试。',
  en: 'The network request failed; try again.',
};

export interface ApiOptions {
  token?: string | undefined;
  body?: unknown;
  /** A body sent as it is (a file), with its content type. */
  raw?: { body: Blob | string; contentType: string };
  idempotencyKey?: string;
}

export async function api<T = Record<string, unknown>>(
  config: PortalConfig,
  method: string,
  path: string,
  options: ApiOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.raw) headers['content-type'] = options.raw.contentType;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(`${config.apiBaseUrl}${path}`, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.raw ? { body: options.raw.body } : {}),
    });
  } catch {
    throw new Problem(0, 'NETWORK', NETWORK);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? {} : JSON.parse(text);
  } catch {
    parsed = {};
  }
  if (response.ok) return parsed as T;
  const problem = parsed as { code?: string; message?: unknown; errors?: FieldError[] };
  if (typeof problem.code === 'string' && typeof problem.message === 'object' && problem.message)
    throw new Problem(response.status, problem.code, problem.message as Bilingual, problem.errors ?? []);
  throw new Problem(
    response.status,
    `HTTP_${response.status}`,
    GATEWAY[response.status] ?? {
      'zh-CN': `请求失败（${response.status}）。`,
      en: `Request failed (${response.status}).`,
    },
  );
}

/** A fresh key for one user action (a retry of the same action reuses it). */
export const newIdempotencyKey = (prefix: string) => `${prefix}-${crypto.randomUUID()}`;
