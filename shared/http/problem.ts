/**
 * The one place a DomainError becomes `application/problem+json` (RFC 9457): a stable `code`, a
 * message in Chinese and English, and for validation failures the field paths. Nothing internal
 * ever reaches a response, and no extension member shadows a standard one.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type DomainError, ERROR_TYPES, type ErrorKind } from '../errors/domain-error.js';

export const STATUS_OF_KIND: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  'unsupported-media': 415,
  refused: 422,
  internal: 500,
  'not-implemented': 501,
  unavailable: 503,
  'too-many-requests': 429,
  timeout: 504,
};

/** RFC 9457's members, and ours every problem has: an extension never replaces them. */
const STANDARD_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'message']);

export function statusOf(error: DomainError): number {
  return STATUS_OF_KIND[error.kind];
}

export function problemTypeUri(code: string): string {
  return `urn:huaihai-hpf:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemResponse(
  error: DomainError,
  requestId: string,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  const status = statusOf(error);
  const extensions = Object.fromEntries(
    Object.entries(error.details).filter(([member]) => !STANDARD_MEMBERS.has(member)),
  );
  const body = {
    ...extensions,
    type: problemTypeUri(error.code),
    title: ERROR_TYPES[error.code].title,
    status,
    code: error.code,
    message: error.localised,
    detail: error.details.detail ?? error.localised.en,
    instance: `urn:huaihai-hpf:request:${requestId}`,
  };
  const retryAfter = error.details.retryAfterSeconds;
  return {
    statusCode: status,
    headers: {
      ...headers,
      'content-type': PROBLEM_CONTENT_TYPE,
      ...(typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {}),
    },
    body: JSON.stringify(body),
  };
}
