/**
 * Errors as `application/problem+json` (RFC 9457): a stable `code`, a message in Chinese and
 * English, and for validation failures the field paths. Nothing internal ever reaches a response.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export interface LocalisedMessage {
  'zh-CN': string;
  en: string;
}

/** One failed field: where it was (`body`, `path`, `query`, `header`), its dotted path, why. */
export interface FieldError {
  in: 'body' | 'path' | 'query' | 'header';
  field: string;
  code: string;
  message: LocalisedMessage;
}

/** The problem types every handler may raise; items add their own codes with `new HttpProblem`. */
export const PROBLEMS = {
  VALIDATION_FAILED: {
    status: 400,
    title: 'Validation failed',
    message: {
      'zh-CN': '提交的信息有误，请按提示修改后重新提交。',
      en: 'Some of the information is invalid.',
    },
  },
  MALFORMED_JSON: {
    status: 400,
    title: 'Malformed JSON',
    message: { 'zh-CN': '请求内容不是有效的 JSON。', en: 'The request body is not valid JSON.' },
  },
  FORBIDDEN: {
    status: 403,
    title: 'Forbidden',
    message: { 'zh-CN': '您无权办理此事项。', en: 'You are not allowed to use this service.' },
  },
  NOT_FOUND: {
    status: 404,
    title: 'Not found',
    message: { 'zh-CN': '未找到相关记录。', en: 'No such record.' },
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    title: 'Payload too large',
    message: { 'zh-CN': '请求内容超过 64 KiB 上限。', en: 'The request body exceeds the 64 KiB limit.' },
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: 'Unsupported media type',
    message: {
      'zh-CN': '请求内容须为 JSON（Content-Type: application/json）。',
      en: 'The request body must be JSON (Content-Type: application/json).',
    },
  },
  NOT_IMPLEMENTED: {
    status: 501,
    title: 'Not implemented',
    message: { 'zh-CN': '该事项暂未开通。', en: 'This service is not available yet.' },
  },
  INTERNAL: {
    status: 500,
    title: 'Internal error',
    message: {
      'zh-CN': '系统繁忙，请稍后再试。如问题持续，请联系公积金中心并提供请求编号。',
      en: 'Something went wrong on our side. Please try again; if it persists, contact the centre with the request id.',
    },
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    title: 'Service unavailable',
    message: { 'zh-CN': '服务暂不可用，请稍后再试。', en: 'The service is temporarily unavailable.' },
  },
  CENTRE_TIMEOUT: {
    status: 504,
    title: 'Centre did not answer in time',
    message: { 'zh-CN': '对方公积金中心未在时限内答复。', en: 'The other centre did not answer in time.' },
  },
} as const satisfies Record<string, { status: number; title: string; message: LocalisedMessage }>;

export type ProblemCode = keyof typeof PROBLEMS;

export class HttpProblem extends Error {
  override name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly localised: LocalisedMessage,
    readonly extra: { detail?: string; errors?: FieldError[]; [member: string]: unknown } = {},
  ) {
    super(`${code}: ${localised.en}`);
  }

  /** A problem of a standard type, with an optional detail and extension members. */
  static of(code: ProblemCode, extra: HttpProblem['extra'] = {}): HttpProblem {
    const p = PROBLEMS[code];
    return new HttpProblem(p.status, code, p.title, p.message, extra);
  }
}

export function problemTypeUri(code: string): string {
  return `urn:huaihai-hpf:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemResponse(
  problem: HttpProblem,
  requestId: string,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  const body = {
    type: problemTypeUri(problem.code),
    title: problem.title,
    status: problem.status,
    code: problem.code,
    message: problem.localised,
    detail: problem.extra.detail ?? problem.localised.en,
    instance: `urn:huaihai-hpf:request:${requestId}`,
    ...problem.extra,
  };
  return {
    statusCode: problem.status,
    headers: { ...headers, 'content-type': PROBLEM_CONTENT_TYPE },
    body: JSON.stringify(body),
  };
}
