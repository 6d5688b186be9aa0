/**
 * The plumbing every HTTP handler shares (middy 7): request and correlation ids in every log
 * line, security headers, the route's role check from the service declaration, a 64 KiB JSON
 * body, zod validation of body, path and query, and problem+json for every failure.
 * A handler module then only says what it accepts and which domain function answers:
 *
 *   export const handler = httpHandler({ path: PathSchema, handle: async ({ path, caller }) => … });
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import * as z from 'zod/mini';
import { DomainError, type FieldError } from '../errors/domain-error.js';
import { CORRELATION_ID_PATTERN } from '../observability/correlation.js';
import { logger } from '../observability/logger.js';
import { findRoute, type Role, type RouteDeclaration } from '../services/declaration.js';
import { type Caller, callerFromClaims } from './caller.js';
import { claimKey, completeKey, type IdempotencyScope, idempotencyScope, releaseKey } from './idempotency.js';
import { problemResponse, statusOf } from './problem.js';
import { fieldErrors } from './validation.js';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResponse = APIGatewayProxyStructuredResultV2;

export const MAX_BODY_BYTES = 64 * 1024;

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** The caller a handler for `R` sees: narrowed to that role, or anyone (public routes) when none is given. */
export type CallerOf<R extends Role | undefined> = R extends Role
  ? Extract<Caller, { role: R }>
  : Caller | undefined;

export interface HttpRequest<Body, Path, Query, R extends Role | undefined = undefined> {
  body: Body;
  path: Path;
  query: Query;
  /** The authenticated caller, of the handler's roles; undefined only on public routes called without a token. */
  caller: CallerOf<R>;
  /** On a route declared idempotent: the caller's Idempotency-Key, scoped to caller and route. */
  idempotency: IdempotencyScope | undefined;
  route: RouteDeclaration;
  requestId: string;
  correlationId: string;
  headers: Readonly<Record<string, string | undefined>>;
  /** The client's address as API Gateway saw it (the TCP peer, not a header the client sets). */
  sourceIp: string;
  /** Lambda's remaining time, for handlers that wait (they must answer before it runs out). */
  remainingTimeMs: () => number;
}

export interface HttpResult {
  status: number;
  /** Serialised as JSON, unless it is a string and `headers` give its content type. */
  body?: unknown;
  headers?: Record<string, string>;
}

type Schema = z.ZodMiniType;
type Out<S> = S extends Schema ? z.output<S> : undefined;

export interface HttpHandlerSpec<
  B extends Schema | undefined,
  P extends Schema | undefined,
  Q extends Schema | undefined,
  R extends Role | undefined,
> {
  /** The caller's roles this handler serves (a narrower list than the route's is refused with 403). */
  role?: R | readonly R[];
  body?: B;
  /**
   * A route that takes `text/csv` bodies as well (UTF-8, with or without a byte-order mark): turns
   * the text and the query into the value `body` validates, the same as the JSON form's.
   */
  csv?: (text: string, query: Readonly<Record<string, string | undefined>>) => unknown;
  path?: P;
  query?: Q;
  handle: (request: HttpRequest<Out<B>, Out<P>, Out<Q>, R>) => Promise<HttpResult>;
}

interface Internal extends Record<string, unknown> {
  requestId: string;
  correlationId: string;
}

type MiddyRequest = middy.Request<HttpEvent, HttpResponse, Error, Context, Internal>;

function responseHeaders(request: MiddyRequest): Record<string, string> {
  return {
    ...SECURITY_HEADERS,
    'x-request-id': request.internal.requestId,
    'x-correlation-id': request.internal.correlationId,
  };
}

/** Ids into every log line and response; errors into problem+json; security headers on every answer. */
function httpBoundary(): MiddlewareObj<HttpEvent, HttpResponse, Error, Context, Internal> {
  return {
    before: (request) => {
      const requestId = request.event.requestContext?.requestId ?? request.context.awsRequestId;
      const correlationId = correlationIdOf(request.event, requestId);
      request.internal.requestId = requestId;
      request.internal.correlationId = correlationId;
      logger.appendKeys({ requestId, correlationId, routeKey: request.event.routeKey });
    },
    after: (request) => {
      const response = request.response ?? { statusCode: 204 };
      request.response = { ...response, headers: { ...responseHeaders(request), ...response.headers } };
    },
    onError: (request) => {
      const error = request.error;
      const problem = error instanceof DomainError ? error : new DomainError('INTERNAL');
      const status = statusOf(problem);
      if (status >= 500) {
        logger.error('request failed', { error: error as Error, code: problem.code });
      } else {
        logger.info('request refused', { status, code: problem.code });
      }
      request.response = problemResponse(
        problem,
        request.internal.requestId ?? 'unknown',
        responseHeaders(request),
      );
    },
  };
}

/** A caller-supplied correlation id is carried on if it is well-formed; otherwise the request id starts one. */
function correlationIdOf(event: HttpEvent, requestId: string): string {
  const supplied = headerValue(event, 'x-correlation-id');
  return supplied && CORRELATION_ID_PATTERN.test(supplied) ? supplied : requestId;
}

function headerValue(event: HttpEvent, name: string): string | undefined {
  return event.headers?.[name] ?? undefined;
}

const CSV_NOT_UTF8: FieldError = {
  in: 'body',
  field: '',
  code: 'CSV_NOT_UTF8',
  message: {
    'zh-CN': 'CSV 文件须为 UTF-8 编码（可带 BOM），请另存为“CSV UTF-8”后重新提交。',
    en: 'The CSV file must be UTF-8 (with or without a byte-order mark): save it as “CSV UTF-8”.',
  },
};

function parseBody(event: HttpEvent, csv: HttpHandlerSpec<Schema, Schema, Schema, Role>['csv']): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.byteLength > MAX_BODY_BYTES) throw new DomainError('PAYLOAD_TOO_LARGE');
  const contentType = headerValue(event, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (csv && contentType === 'text/csv') {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      text = '\uFFFD';
    }
    // A spreadsheet saved in GBK is refused, not read as mojibake: API Gateway hands a text body
    // over as a string, its bytes that are not UTF-8 already replaced by U+FFFD.
    if (text.includes('\uFFFD')) throw new DomainError('VALIDATION_FAILED', { errors: [CSV_NOT_UTF8] });
    return csv(text, event.queryStringParameters ?? {});
  }
  if (!contentType || !/^application\/([a-z0-9.+-]+\+)?json$/.test(contentType)) {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE');
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new DomainError('MALFORMED_JSON');
  }
}

function validate<S extends Schema | undefined>(schema: S, value: unknown, where: FieldError['in']): Out<S> {
  if (!schema) return undefined as Out<S>;
  // reportInput: a value of the wrong type is told apart from a missing one (INVALID_TYPE, not REQUIRED);
  // the input itself never leaves fieldErrors.
  const result = z.safeParse(schema, value, { reportInput: true });
  if (result.success) return result.data as Out<S>;
  throw new DomainError('VALIDATION_FAILED', { errors: fieldErrors(where, result.error.issues) });
}

function authorise(event: HttpEvent): { route: RouteDeclaration; caller: Caller | undefined } {
  const found = findRoute(event.routeKey);
  // Only declared routes reach a handler; anything else is a wiring fault, answered as not found.
  if (!found) throw new DomainError('NOT_FOUND');
  const caller = callerFromClaims(event.requestContext.authorizer?.jwt?.claims);
  const { access } = found.route;
  if (access !== 'public' && (!caller || !access.includes(caller.role))) throw new DomainError('FORBIDDEN');
  return { route: found.route, caller };
}

/** The Idempotency-Key of a route declared idempotent: a replay answers the stored response. */
async function idempotent(
  route: RouteDeclaration,
  event: HttpEvent,
  caller: Caller | undefined,
  body: unknown,
  run: (scope: IdempotencyScope | undefined) => Promise<HttpResult>,
): Promise<HttpResult> {
  if (!route.idempotent || !caller) return run(undefined);
  const scope = idempotencyScope(
    caller.subject,
    { method: event.requestContext.http.method, path: event.rawPath },
    idempotencyKeyHeader(event.headers ?? {}),
    body,
  );
  const stored = await claimKey(scope, new Date());
  if (stored) return { ...stored, headers: { ...stored.headers, 'idempotent-replayed': 'true' } };
  let result: HttpResult;
  try {
    result = await run(scope);
  } catch (error) {
    await releaseKey(scope);
    throw error;
  }
  await completeKey(scope, {
    status: result.status,
    body: result.body,
    ...(result.headers ? { headers: result.headers } : {}),
  });
  return result;
}

export function httpHandler<
  B extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  R extends Role | undefined = undefined,
>(spec: HttpHandlerSpec<B, P, Q, R>) {
  const roles: readonly Role[] | undefined =
    spec.role === undefined ? undefined : ((Array.isArray(spec.role) ? spec.role : [spec.role]) as Role[]);
  return middy<HttpEvent, HttpResponse, Error, Context, Internal>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(httpBoundary())
    .handler(async (event, context) => {
      const { route, caller } = authorise(event);
      if (roles && (!caller || !roles.includes(caller.role))) throw new DomainError('FORBIDDEN');
      const json = spec.body ? parseBody(event, spec.csv) : undefined;
      const body = validate(spec.body, json, 'body') as Out<B>;
      const path = validate(spec.path, event.pathParameters ?? {}, 'path') as Out<P>;
      const query = validate(spec.query, event.queryStringParameters ?? {}, 'query') as Out<Q>;
      const result = await idempotent(route, event, caller, json, (idempotency) =>
        spec.handle({
          body,
          path,
          query,
          caller: caller as CallerOf<R>,
          idempotency,
          route,
          requestId: event.requestContext.requestId,
          correlationId: correlationIdOf(event, event.requestContext.requestId),
          headers: event.headers ?? {},
          sourceIp: event.requestContext.http.sourceIp,
          remainingTimeMs: () => context.getRemainingTimeInMillis(),
        }),
      );
      // A body with its own content type (CSV) goes as it is; anything else is JSON.
      const raw = typeof result.body === 'string' && result.headers?.['content-type'] !== undefined;
      return {
        statusCode: result.status,
        headers: {
          ...(result.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
          ...result.headers,
        },
        ...(result.body === undefined
          ? {}
          : { body: raw ? (result.body as string) : JSON.stringify(result.body) }),
      };
    });
}

type RouteLambda = (event: HttpEvent, context: Context) => Promise<HttpResponse>;

const undeclaredRoute = httpHandler({
  handle: async () => {
    throw new DomainError('NOT_FOUND');
  },
});

/** One function serving several routes: each route key gets its own handler (and schemas). */
export function byRoute(handlers: Record<string, RouteLambda>): RouteLambda {
  return (event, context) => (handlers[event.routeKey] ?? undeclaredRoute)(event, context);
}

/** A required request header, as a field error when it is missing or malformed. */
export function requiredHeader(
  headers: Readonly<Record<string, string | undefined>>,
  name: string,
  pattern: RegExp,
): string {
  const value = headers[name.toLowerCase()];
  if (value !== undefined && pattern.test(value)) return value;
  throw new DomainError('VALIDATION_FAILED', {
    errors: [
      {
        in: 'header',
        field: name,
        code: value === undefined ? 'REQUIRED' : 'INVALID_FORMAT',
        message:
          value === undefined
            ? { 'zh-CN': `缺少请求头 ${name}。`, en: `The ${name} header is required.` }
            : { 'zh-CN': `请求头 ${name} 格式有误。`, en: `The ${name} header is malformed.` },
      },
    ],
  });
}

/** The client's `Idempotency-Key`: 8–128 printable ASCII characters, required on money-moving requests. */
export function idempotencyKeyHeader(headers: Readonly<Record<string, string | undefined>>): string {
  return requiredHeader(headers, 'Idempotency-Key', /^[\x21-\x7e]{8,128}$/);
}
