/**
 * The local stand-in for API Gateway's HTTP API: routes from the service declaration, the JWT
 * authorizer in front of every non-public route, CORS answered by the gateway, and each handler
 * called in this process with the payload format 2.0 event and a Lambda-like context.
 *
 * What API Gateway itself answers (never problem+json; handlers cannot reshape these):
 *   404 {"message":"Not Found"}                  no declared route for method + path
 *   401 {"message":"Unauthorized"}               missing or invalid token on a non-public route
 *   413 {"message":"Request Entity Too Large"}   body over 10 MB (or an event over Lambda's 6 MB)
 *   500 {"message":"Internal Server Error"}      the handler threw, timed out, or answered nonsense
 *   503 {"message":"Service Unavailable"}        no answer within the 30 s integration timeout
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { JSONWebKeySet } from 'jose';
import { runAsFunction } from '../../shared/capabilities/guard.js';
import {
  type HandlerDeclaration,
  HTTP_HANDLERS,
  type RouteDeclaration,
  routeKey,
} from '../../shared/services/declaration.js';
import { portalContentSecurityPolicy } from '../../web/content-security-policy.js';
import type { DevIdpOAuth } from './dev-idp-oauth.js';
import type { JwtAuthorizer } from './jwt-authorizer.js';
import { localLambdaContext } from './lambda-context.js';

/** The repository root: declaration entries are relative to it. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** API Gateway's payload limit (10 MB) and Lambda's synchronous invocation payload limit (6 MB). */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;
export const MAX_LAMBDA_EVENT_BYTES = 6 * 1024 * 1024;
/** HTTP API's integration timeout (the maximum, and the default). */
export const INTEGRATION_TIMEOUT_MS = 30_000;
/** For a handler that declares no timeout; keep in line with the API stack's default. */
export const DEFAULT_HANDLER_TIMEOUT_SECONDS = 10;
export const DEFAULT_HANDLER_MEMORY_MB = 512;

export interface CorsConfig {
  /** Exact origins, or `*`. */
  allowedOrigins: readonly string[];
  /** Default: every method the handlers declare (as the API stack). */
  allowMethods?: readonly string[];
  /** Default DEFAULT_CORS_HEADERS. */
  allowHeaders?: readonly string[];
  /** Default DEFAULT_CORS_EXPOSE_HEADERS. */
  exposeHeaders?: readonly string[];
  /** Default DEFAULT_CORS_MAX_AGE_SECONDS. */
  maxAgeSeconds?: number;
  allowCredentials?: boolean;
}

/** As the API stack configures CORS (infra/stacks/api-stack.ts; not imported: it pulls in aws-cdk-lib). */
export const DEFAULT_CORS_HEADERS = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'X-Correlation-Id',
] as const;
export const DEFAULT_CORS_EXPOSE_HEADERS = ['X-Correlation-Id'] as const;
export const DEFAULT_CORS_MAX_AGE_SECONDS = 3600;

export interface GatewayAccessLogEntry {
  requestId: string;
  method: string;
  path: string;
  routeKey?: string;
  status: number;
  durationMs: number;
}

export interface GatewayOptions {
  /** Default: the declaration's HTTP_HANDLERS. */
  handlers?: readonly HandlerDeclaration[];
  authorizer: JwtAuthorizer;
  /** Omit for no CORS (as an HTTP API without a CORS configuration). */
  cors?: CorsConfig;
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where handler entries are resolved from. Default: this repository. */
  repoRoot?: string;
  /** For requestContext and ARNs. Default: AWS_REGION or us-east-1. */
  region?: string;
  accountId?: string;
  apiId?: string;
  /** Function names are `<prefix><handler id>`. Default `hpf-local-`. */
  functionNamePrefix?: string;
  /** Import every handler module when listening (errors show at start, not on the first call). */
  preload?: boolean;
  /**
   * Serve `<issuer path>/.well-known/{openid-configuration,jwks.json}` for the dev IdP, and with
   * `oauth` its sign-in (`<issuer path>/authorize`, `/token`: dev-idp-oauth.ts).
   */
  devIdp?: { issuer: string; jwks(): JSONWebKeySet; oauth?: DevIdpOAuth };
  /**
   * Serve the built portal (web/build.ts) from `dir`: `/` is its index.html, its files by name,
   * and `/config.json` what `config(baseUrl)` answers (the portal's runtime settings).
   */
  portal?: { dir: string; config(baseUrl: string): unknown };
  onAccess?: (entry: GatewayAccessLogEntry) => void;
  /** A handler failed (threw, timed out, bad response, module did not load). Default console.error. */
  onHandlerError?: (message: string, error?: unknown) => void;
}

export interface LocalGateway {
  server: Server;
  /** Starts listening; resolves with the base URL (`http://127.0.0.1:<port>`). */
  listen(): Promise<string>;
  /** The base URL once listening. */
  readonly url: string;
  /** Stops accepting, ends keep-alive connections, waits for requests under way. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Routes

type Segment = { kind: 'literal'; value: string } | { kind: 'param'; name: string; greedy: boolean };

export interface CompiledRoute {
  handler: HandlerDeclaration;
  route: RouteDeclaration;
  routeKey: string;
  segments: Segment[];
}

function splitPath(path: string): string[] {
  return path.split('/').slice(1);
}

export function compileRoutes(handlers: readonly HandlerDeclaration[]): CompiledRoute[] {
  const compiled: CompiledRoute[] = [];
  for (const handler of handlers) {
    for (const route of handler.routes) {
      const segments = splitPath(route.path).map((part): Segment => {
        const param = /^\{([A-Za-z0-9_.-]+)(\+?)\}$/.exec(part);
        return param
          ? { kind: 'param', name: param[1] as string, greedy: param[2] === '+' }
          : { kind: 'literal', value: part };
      });
      compiled.push({ handler, route, routeKey: routeKey(route), segments });
    }
  }
  return compiled;
}

/** Most specific first: no greedy variable before greedy, then literals earlier in the path. */
function specificity(route: CompiledRoute): number[] {
  const greedy = route.segments.some((s) => s.kind === 'param' && s.greedy) ? 0 : 1;
  return [greedy, ...route.segments.map((s) => (s.kind === 'literal' ? 2 : s.greedy ? 0 : 1))];
}

function compareSpecificity(a: CompiledRoute, b: CompiledRoute): number {
  const sa = specificity(a);
  const sb = specificity(b);
  for (let i = 0; i < Math.max(sa.length, sb.length); i++) {
    const diff = (sb[i] ?? -1) - (sa[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}

export function matchRoute(
  routes: readonly CompiledRoute[],
  method: string,
  rawPath: string,
): { route: CompiledRoute; pathParameters: Record<string, string> } | undefined {
  const parts = splitPath(rawPath);
  const candidates: { route: CompiledRoute; pathParameters: Record<string, string> }[] = [];
  for (const route of routes) {
    if (route.route.method !== method) continue;
    const params: Record<string, string> = {};
    let ok = true;
    let i = 0;
    for (const segment of route.segments) {
      if (segment.kind === 'param' && segment.greedy) {
        const rest = parts.slice(i);
        if (rest.length === 0 || rest.join('/') === '') ok = false;
        else params[segment.name] = rest.join('/');
        i = parts.length;
        break;
      }
      const part = parts[i];
      if (part === undefined) {
        ok = false;
        break;
      }
      if (segment.kind === 'literal') {
        if (segment.value !== part) ok = false;
      } else if (part === '') ok = false;
      else params[segment.name] = part;
      if (!ok) break;
      i++;
    }
    if (!ok || i !== parts.length) continue;
    try {
      for (const [name, value] of Object.entries(params)) params[name] = decodeURIComponent(value);
    } catch {
      continue;
    }
    candidates.push({ route, pathParameters: params });
  }
  candidates.sort((a, b) => compareSpecificity(a.route, b.route));
  return candidates[0];
}

// ---------------------------------------------------------------------------------------------
// Event pieces

const TEXT_CONTENT_TYPE =
  /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|graphql)|application\/[^;]*\+(json|xml))/i;

export function isTextContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && TEXT_CONTENT_TYPE.test(contentType.trim());
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, as requestContext.time. */
export function apiGatewayTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

/** API Gateway's request ids look like `JKJaXmPLvHcESHA=`. */
function apiGatewayRequestId(): string {
  return randomBytes(11).toString('base64');
}

function traceId(now: Date): string {
  return `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}

function requestHeaders(req: IncomingMessage): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    if (name === 'cookie') {
      for (const cookie of value.split(';')) if (cookie.trim() !== '') cookies.push(cookie.trim());
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return { headers, cookies };
}

function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const params: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    params[name] = name in params ? `${params[name]},${value}` : value;
  }
  return Object.keys(params).length > 0 ? params : undefined;
}

// ---------------------------------------------------------------------------------------------
// Responses

interface HttpAnswer {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

function gatewayAnswer(status: number, message: string, extra: [string, string][] = []): HttpAnswer {
  return {
    status,
    headers: [['content-type', 'application/json'], ...extra],
    body: Buffer.from(JSON.stringify({ message })),
  };
}

class MalformedResponseError extends Error {
  override name = 'MalformedResponseError';
}

/**
 * A payload 2.0 response: an object with `statusCode` is taken as given; anything else is the
 * body of a 200 with content-type application/json (a string as it is, other values as JSON).
 */
export function answerFromResult(result: unknown): HttpAnswer {
  if (typeof result === 'object' && result !== null && !Array.isArray(result) && 'statusCode' in result) {
    const response = result as Record<string, unknown>;
    const status = Number(response.statusCode);
    if (!Number.isInteger(status) || status < 100 || status > 599)
      throw new MalformedResponseError(`statusCode ${String(response.statusCode)} is not an HTTP status`);
    const headers: [string, string][] = [];
    if (response.headers !== undefined && response.headers !== null) {
      if (typeof response.headers !== 'object') throw new MalformedResponseError('headers must be an object');
      for (const [name, value] of Object.entries(response.headers as Record<string, unknown>)) {
        if (value === undefined || value === null) continue;
        if (typeof value === 'object') throw new MalformedResponseError(`header ${name} must be a string`);
        headers.push([name, String(value)]);
      }
    }
    if (response.cookies !== undefined && response.cookies !== null) {
      if (!Array.isArray(response.cookies)) throw new MalformedResponseError('cookies must be an array');
      for (const cookie of response.cookies) headers.push(['set-cookie', String(cookie)]);
    }
    let body = Buffer.alloc(0);
    if (response.body !== undefined && response.body !== null) {
      if (typeof response.body !== 'string') throw new MalformedResponseError('body must be a string');
      body =
        response.isBase64Encoded === true ? Buffer.from(response.body, 'base64') : Buffer.from(response.body);
    }
    if (body.length > 0 && !headers.some(([name]) => name.toLowerCase() === 'content-type'))
      headers.push(['content-type', 'text/plain; charset=utf-8']);
    return { status, headers, body };
  }
  const text = typeof result === 'string' ? result : (JSON.stringify(result) ?? 'null');
  return { status: 200, headers: [['content-type', 'application/json']], body: Buffer.from(text) };
}

// ---------------------------------------------------------------------------------------------
// CORS

function originAllowed(cors: CorsConfig, origin: string): boolean {
  return cors.allowedOrigins.includes('*') || cors.allowedOrigins.includes(origin);
}

function allowOriginValue(cors: CorsConfig, origin: string): string {
  return cors.allowedOrigins.includes('*') && !cors.allowCredentials ? '*' : origin;
}

function preflightAnswer(cors: CorsConfig, origin: string, declaredMethods: readonly string[]): HttpAnswer {
  const headers: [string, string][] = [];
  if (originAllowed(cors, origin)) {
    headers.push(['access-control-allow-origin', allowOriginValue(cors, origin)]);
    headers.push(['access-control-allow-methods', (cors.allowMethods ?? declaredMethods).join(',')]);
    headers.push(['access-control-allow-headers', (cors.allowHeaders ?? DEFAULT_CORS_HEADERS).join(',')]);
    headers.push(['access-control-max-age', String(cors.maxAgeSeconds ?? DEFAULT_CORS_MAX_AGE_SECONDS)]);
    if (cors.allowCredentials) headers.push(['access-control-allow-credentials', 'true']);
    headers.push(['vary', 'origin']);
  }
  return { status: 204, headers, body: Buffer.alloc(0) };
}

/** The gateway owns CORS: the handler's access-control-* headers are dropped, its own added. */
function withCors(answer: HttpAnswer, cors: CorsConfig | undefined, origin: string | undefined): HttpAnswer {
  if (!cors) return answer;
  const headers = answer.headers.filter(([name]) => !name.toLowerCase().startsWith('access-control-'));
  if (origin !== undefined && originAllowed(cors, origin)) {
    headers.push(['access-control-allow-origin', allowOriginValue(cors, origin)]);
    const expose = cors.exposeHeaders ?? DEFAULT_CORS_EXPOSE_HEADERS;
    if (expose.length > 0) headers.push(['access-control-expose-headers', expose.join(',')]);
    if (cors.allowCredentials) headers.push(['access-control-allow-credentials', 'true']);
    headers.push(['vary', 'origin']);
  }
  return { ...answer, headers };
}

// ---------------------------------------------------------------------------------------------
// The portal's static files (in AWS: S3 behind CloudFront)

const PORTAL_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

/** What the portal's hosting adds to every answer (CloudFront's response-headers policy in AWS). */
const PORTAL_HEADERS: [string, string][] = [
  // API and identity provider are the gateway itself
  ['content-security-policy', portalContentSecurityPolicy([])],
  ['x-content-type-options', 'nosniff'],
  ['referrer-policy', 'no-referrer'],
];

function portalAnswer(
  portal: NonNullable<GatewayOptions['portal']>,
  rawPath: string,
  baseUrl: string,
): HttpAnswer | undefined {
  if (rawPath === '/config.json')
    return {
      status: 200,
      headers: [['content-type', 'application/json'], ['cache-control', 'no-cache'], ...PORTAL_HEADERS],
      body: Buffer.from(JSON.stringify(portal.config(baseUrl))),
    };
  const name = rawPath === '/' ? 'index.html' : rawPath.slice(1);
  // Flat names only: nothing outside the build directory is ever addressed.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) return undefined;
  const extension = /\.[a-z]+$/.exec(name)?.[0] ?? '';
  const type = PORTAL_TYPES[extension];
  const file = resolve(portal.dir, name);
  if (!type || !existsSync(file) || !statSync(file).isFile()) return undefined;
  // Hashed names never change; index.html is checked on every load.
  const cache = name === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable';
  return {
    status: 200,
    headers: [['content-type', type], ['cache-control', cache], ...PORTAL_HEADERS],
    body: readFileSync(file),
  };
}

// ---------------------------------------------------------------------------------------------
// The server

type HttpHandler = (event: unknown, context: Context) => unknown;

class BodyTooLargeError extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > limit) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, answer: HttpAnswer, requestId: string, closeConnection = false): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of answer.headers) {
    const key = name.toLowerCase();
    const existing = headers[key];
    if (key === 'set-cookie') headers[key] = [...((existing as string[] | undefined) ?? []), value];
    else headers[key] = existing === undefined ? value : `${existing as string},${value}`;
  }
  headers['apigw-requestid'] = requestId;
  headers['content-length'] = String(answer.body.length);
  if (closeConnection) headers.connection = 'close';
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}

export function createGateway(options: GatewayOptions): LocalGateway {
  const handlers = options.handlers ?? HTTP_HANDLERS;
  const routes = compileRoutes(handlers);
  const declaredMethods = [...new Set(routes.map((r) => r.route.method))].sort();
  const repoRoot = options.repoRoot ?? REPO_ROOT;
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const apiId = options.apiId ?? 'local';
  const functionNamePrefix = options.functionNamePrefix ?? 'hpf-local-';
  const onHandlerError =
    options.onHandlerError ??
    ((message: string, error?: unknown) => {
      console.error(`[gateway] ${message}`, error ?? '');
    });
  const idpPath = options.devIdp ? new URL(options.devIdp.issuer).pathname.replace(/\/$/, '') : undefined;

  const modules = new Map<string, Promise<HttpHandler>>();
  const loadHandler = (declaration: HandlerDeclaration): Promise<HttpHandler> => {
    let loading = modules.get(declaration.entry);
    if (!loading) {
      const url = pathToFileURL(resolve(repoRoot, declaration.entry)).href;
      loading = import(url).then((module: Record<string, unknown>) => {
        if (typeof module.handler !== 'function')
          throw new Error(`${declaration.entry} does not export a handler function`);
        return module.handler as HttpHandler;
      });
      // A failed import is not kept: the next request tries again (as a Lambda init would).
      loading.catch(() => modules.delete(declaration.entry));
      modules.set(declaration.entry, loading);
    }
    return loading;
  };

  const lambdaContext = (declaration: HandlerDeclaration, deadline: number): Context =>
    localLambdaContext({
      functionName: `${functionNamePrefix}${declaration.id}`,
      region,
      accountId,
      memoryMb: declaration.memoryMb ?? DEFAULT_HANDLER_MEMORY_MB,
      deadline,
    });

  const invoke = async (declaration: HandlerDeclaration, event: unknown): Promise<HttpAnswer> => {
    let handler: HttpHandler;
    try {
      handler = await loadHandler(declaration);
    } catch (error) {
      onHandlerError(`${declaration.id}: the handler module failed to load (${declaration.entry})`, error);
      return gatewayAnswer(500, 'Internal Server Error');
    }
    const timeoutMs = (declaration.timeoutSeconds ?? DEFAULT_HANDLER_TIMEOUT_SECONDS) * 1000;
    const started = Date.now();
    const context = lambdaContext(declaration, started + timeoutMs);
    let timer: NodeJS.Timeout | undefined;
    const expiry = new Promise<'function-timeout' | 'integration-timeout'>((resolveExpiry) => {
      const integrationFirst = INTEGRATION_TIMEOUT_MS <= timeoutMs;
      timer = setTimeout(
        () => resolveExpiry(integrationFirst ? 'integration-timeout' : 'function-timeout'),
        Math.min(timeoutMs, INTEGRATION_TIMEOUT_MS),
      );
    });
    try {
      const outcome = await Promise.race([
        Promise.resolve()
          .then(() =>
            runAsFunction({ id: declaration.id, capabilities: declaration.capabilities }, () =>
              handler(event, context),
            ),
          )
          .then((value) => ({ value })),
        expiry,
      ]);
      if (outcome === 'function-timeout') {
        onHandlerError(
          `${declaration.id}: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds ` +
            '(locally the handler keeps running in this process)',
        );
        return gatewayAnswer(500, 'Internal Server Error');
      }
      if (outcome === 'integration-timeout') {
        onHandlerError(
          `${declaration.id}: no response within the ${INTEGRATION_TIMEOUT_MS / 1000} s integration timeout`,
        );
        return gatewayAnswer(503, 'Service Unavailable');
      }
      try {
        return answerFromResult(outcome.value);
      } catch (error) {
        onHandlerError(`${declaration.id}: malformed Lambda proxy response`, error);
        return gatewayAnswer(500, 'Internal Server Error');
      }
    } catch (error) {
      onHandlerError(`${declaration.id}: the handler threw`, error);
      return gatewayAnswer(500, 'Internal Server Error');
    } finally {
      clearTimeout(timer);
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const startedAt = Date.now();
    const now = new Date(startedAt);
    const requestId = apiGatewayRequestId();
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const rawPath = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
    const rawQueryString = queryAt === -1 ? '' : rawUrl.slice(queryAt + 1);
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    let matchedKey: string | undefined;

    const finish = (answer: HttpAnswer, closeConnection = false) => {
      send(res, withCors(answer, options.cors, origin), requestId, closeConnection);
      options.onAccess?.({
        requestId,
        method,
        path: rawPath,
        ...(matchedKey === undefined ? {} : { routeKey: matchedKey }),
        status: answer.status,
        durationMs: Date.now() - startedAt,
      });
    };

    // CORS preflight: answered by the gateway, before routing and authorization.
    if (
      options.cors &&
      method === 'OPTIONS' &&
      origin !== undefined &&
      req.headers['access-control-request-method']
    ) {
      req.resume();
      const answer = preflightAnswer(options.cors, origin, declaredMethods);
      send(res, answer, requestId);
      options.onAccess?.({
        requestId,
        method,
        path: rawPath,
        status: answer.status,
        durationMs: Date.now() - startedAt,
      });
      return;
    }

    if (idpPath !== undefined && options.devIdp && method === 'GET') {
      if (rawPath === `${idpPath}/.well-known/jwks.json`) {
        req.resume();
        const body = Buffer.from(JSON.stringify(options.devIdp.jwks()));
        return finish({ status: 200, headers: [['content-type', 'application/json']], body });
      }
      if (rawPath === `${idpPath}/.well-known/openid-configuration`) {
        req.resume();
        const issuer = options.devIdp.issuer;
        // the listening address, never the Host header (a rebound or forged name would be echoed)
        const base = `${url}${idpPath}`;
        const body = Buffer.from(
          JSON.stringify({
            issuer,
            jwks_uri: `${base}/.well-known/jwks.json`,
            id_token_signing_alg_values_supported: ['RS256'],
            subject_types_supported: ['public'],
            ...(options.devIdp.oauth
              ? {
                  authorization_endpoint: `${base}/authorize`,
                  token_endpoint: `${base}/token`,
                  response_types_supported: ['code'],
                  grant_types_supported: ['authorization_code'],
                  code_challenge_methods_supported: ['S256'],
                  token_endpoint_auth_methods_supported: ['none'],
                }
              : { response_types_supported: ['id_token'] }),
          }),
        );
        return finish({ status: 200, headers: [['content-type', 'application/json']], body });
      }
    }

    if (idpPath !== undefined && options.devIdp?.oauth && rawPath.startsWith(`${idpPath}/`)) {
      const idpBody = method === 'POST' ? await readBody(req, 64 * 1024).catch(() => undefined) : undefined;
      if (method === 'POST' && idpBody === undefined)
        return finish(gatewayAnswer(413, 'Request Entity Too Large'), true);
      const answer = await options.devIdp.oauth.handle({
        method,
        path: rawPath.slice(idpPath.length),
        query: new URLSearchParams(rawQueryString),
        body: idpBody?.toString('utf8') ?? '',
        ...(typeof req.headers['content-type'] === 'string'
          ? { contentType: req.headers['content-type'] }
          : {}),
      });
      if (answer) return finish(answer);
    }

    if (options.portal && (method === 'GET' || method === 'HEAD')) {
      const answer = portalAnswer(options.portal, rawPath, url);
      if (answer) {
        req.resume();
        return finish(method === 'HEAD' ? { ...answer, body: Buffer.alloc(0) } : answer);
      }
    }

    const match = matchRoute(routes, method, rawPath);
    if (!match) {
      req.resume();
      return finish(gatewayAnswer(404, 'Not Found'));
    }
    matchedKey = match.route.routeKey;

    let body: Buffer;
    try {
      body = await readBody(req, MAX_REQUEST_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        return finish(gatewayAnswer(413, 'Request Entity Too Large'), true);
      throw error;
    }

    let authorizer: { jwt: { claims: Record<string, string>; scopes: string[] | null } } | undefined;
    if (match.route.route.access !== 'public') {
      const result = await options.authorizer.authorize(req.headers.authorization);
      if (!result.ok) {
        const extra: [string, string][] =
          result.description === undefined
            ? []
            : [
                [
                  'www-authenticate',
                  `Bearer scope="" error="${result.status === 403 ? 'insufficient_scope' : 'invalid_token'}" ` +
                    `error_description="${result.description}"`,
                ],
              ];
        return finish(
          result.status === 403
            ? gatewayAnswer(403, 'Forbidden', extra)
            : gatewayAnswer(401, 'Unauthorized', extra),
        );
      }
      authorizer = { jwt: { claims: result.claims, scopes: result.scopes } };
    }

    const { headers, cookies } = requestHeaders(req);
    const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    headers['x-forwarded-for'] = headers['x-forwarded-for']
      ? `${headers['x-forwarded-for']}, ${sourceIp}`
      : sourceIp;
    headers['x-forwarded-port'] = String(req.socket.localPort ?? '');
    headers['x-forwarded-proto'] = 'http';
    headers['x-amzn-trace-id'] ??= traceId(now);
    const domainName = headers.host ?? '127.0.0.1';
    const queryStringParameters = queryParameters(rawQueryString);
    const contentType = headers['content-type'];
    const text = isTextContentType(contentType);

    const event = {
      version: '2.0',
      routeKey: match.route.routeKey,
      rawPath,
      rawQueryString,
      ...(cookies.length > 0 ? { cookies } : {}),
      headers,
      ...(queryStringParameters ? { queryStringParameters } : {}),
      requestContext: {
        accountId,
        apiId,
        ...(authorizer ? { authorizer } : {}),
        domainName,
        domainPrefix: domainName.split('.')[0] ?? domainName,
        http: {
          method,
          path: rawPath,
          protocol: `HTTP/${req.httpVersion}`,
          sourceIp,
          userAgent: headers['user-agent'] ?? '',
        },
        requestId,
        routeKey: match.route.routeKey,
        stage: '$default',
        time: apiGatewayTime(now),
        timeEpoch: startedAt,
      },
      ...(body.length > 0 ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
      ...(Object.keys(match.pathParameters).length > 0 ? { pathParameters: match.pathParameters } : {}),
      isBase64Encoded: body.length > 0 && !text,
    };
    // Measured only when it could be over (serialising every GET's event cost each request): JSON
    // escapes a byte as at most 6, and the rest of the event repeats the request line and Node's
    // 16 KiB of headers (cookies, query and path parameters) at most four times.
    if (
      6 * (body.length + 4 * 16 * 1024) + 4096 > MAX_LAMBDA_EVENT_BYTES &&
      Buffer.byteLength(JSON.stringify(event)) > MAX_LAMBDA_EVENT_BYTES
    )
      return finish(gatewayAnswer(413, 'Request Entity Too Large'));

    finish(await invoke(match.route.handler, event));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      onHandlerError('gateway failure', error);
      if (!res.headersSent) send(res, gatewayAnswer(500, 'Internal Server Error'), apiGatewayRequestId());
      else res.destroy();
    });
  });
  // A slow client must not hold a long-poll forever; Lambda's own limit is what bounds handlers.
  server.requestTimeout = 60_000;

  let url = '';
  return {
    server,
    get url() {
      return url;
    },
    async listen() {
      await new Promise<void>((resolveListen, reject) => {
        server.once('error', reject);
        server.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' }, () => {
          server.removeListener('error', reject);
          resolveListen();
        });
      });
      const address = server.address() as AddressInfo;
      url = `http://${address.address}:${address.port}`;
      if (options.preload) {
        await Promise.all(
          handlers.map((declaration) =>
            loadHandler(declaration).catch((error: unknown) =>
              onHandlerError(
                `${declaration.id}: the handler module failed to load (${declaration.entry})`,
                error,
              ),
            ),
          ),
        );
      }
      return url;
    },
    async close() {
      if (!server.listening) return;
      const closed = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 5000);
      await closed;
      clearTimeout(force);
    },
  };
}
