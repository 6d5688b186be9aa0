/**
 * A local gateway for end-to-end tests: the real declaration (or the handlers you pass), the JWT
 * authorizer with an in-memory dev IdP, on a free port.
 *
 *   const api = await startTestGateway();
 *   const token = await api.token({ sub: 's1', role: 'staff', city: '320300' });
 *   const res = await api.request('POST', '/v1/staff/ping/371300', { token, json: { … } });
 *   await api.close();
 *
 * The handlers run in the Jest worker, with the environment global-setup.ts made (TABLE_NAME,
 * INBOX_QUEUE_URLS, emulator endpoints…).
 */

import { demoPersonas } from '../../infra/local/demo-personas.js';
import { createDevIdp, type DevIdp, type SignTokenOptions } from '../../infra/local/dev-idp.js';
import type { DevIdpPersona } from '../../infra/local/dev-idp-oauth.js';
import {
  type CorsConfig,
  createGateway,
  type GatewayAccessLogEntry,
  type LocalGateway,
} from '../../infra/local/gateway.js';
import { createJwtAuthorizer } from '../../infra/local/jwt-authorizer.js';
import { portalOnGateway } from '../../infra/local/portal.js';
import type { HandlerDeclaration } from '../../shared/services/declaration.js';
import { contractViolation, reportViolation } from './contract-check.js';

export const TEST_ALLOWED_ORIGIN = 'https://app.hpf.test';

export interface TestGatewayOptions {
  /** Default: the service declaration's HTTP_HANDLERS. */
  handlers?: readonly HandlerDeclaration[];
  /** Default: one allowed origin, TEST_ALLOWED_ORIGIN. */
  cors?: CorsConfig;
  /** Serve the portal built in this directory, with the dev IdP's sign-in (infra/local/portal.ts). */
  portalDir?: string;
  /** Offered on the dev IdP's page after the demo personas: a browser test's people of its own. */
  extraPersonas?: readonly DevIdpPersona[];
}

export interface TestRequestOptions {
  /** Sent as `authorization: Bearer <token>`. */
  token?: string;
  /** Serialised as the body with content-type application/json. */
  json?: unknown;
  /** A raw body (string or bytes); set its content-type in headers. */
  body?: string | Uint8Array;
  headers?: Record<string, string>;
}

export interface TestGateway {
  baseUrl: string;
  /** The in-memory IdP the authorizer trusts. */
  idp: DevIdp;
  /** A token the gateway accepts (options to make it expired, not yet valid, for another audience…). */
  token(claims: Parameters<DevIdp['signToken']>[0], options?: SignTokenOptions): Promise<string>;
  request(method: string, path: string, options?: TestRequestOptions): Promise<Response>;
  /** Handler failures the gateway saw (throws, timeouts, malformed responses), newest last. */
  handlerErrors: { message: string; error?: unknown }[];
  accessLog: GatewayAccessLogEntry[];
  close(): Promise<void>;
}

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const idp = await createDevIdp();
  const handlerErrors: TestGateway['handlerErrors'] = [];
  const accessLog: GatewayAccessLogEntry[] = [];
  const gateway: LocalGateway = createGateway({
    ...(options.handlers ? { handlers: options.handlers } : {}),
    ...(options.portalDir
      ? portalOnGateway({
          idp,
          dir: options.portalDir,
          personas: [...demoPersonas(), ...(options.extraPersonas ?? [])],
          gatewayUrl: () => gateway.url,
          extraRedirectUris: [`${TEST_ALLOWED_ORIGIN}/`],
        })
      : {}),
    authorizer: createJwtAuthorizer({ issuer: idp.issuer, audience: [idp.audience], jwks: () => idp.jwks() }),
    cors: options.cors ?? { allowedOrigins: [TEST_ALLOWED_ORIGIN], maxAgeSeconds: 300 },
    port: 0,
    onHandlerError: (message, error) => handlerErrors.push({ message, error }),
    onAccess: (entry) => accessLog.push(entry),
  });
  const baseUrl = await gateway.listen();
  // Printed certificates' QR codes carry the platform's public address: here, this gateway.
  process.env.PUBLIC_BASE_URL = baseUrl;

  return {
    baseUrl,
    idp,
    handlerErrors,
    accessLog,
    token: (claims, signOptions) => idp.signToken(claims, signOptions),
    async request(method, path, requestOptions = {}) {
      const headers: Record<string, string> = { ...requestOptions.headers };
      if (requestOptions.token !== undefined) headers.authorization = `Bearer ${requestOptions.token}`;
      let body: string | Uint8Array | undefined = requestOptions.body;
      if (requestOptions.json !== undefined) {
        body = JSON.stringify(requestOptions.json);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      // The answer against the document (test/support/contract-check.ts), for the suite's teardown.
      const requestId = response.headers.get('apigw-requestid');
      const routeKey = accessLog.find((entry) => entry.requestId === requestId)?.routeKey;
      if (routeKey && !options.handlers) {
        const violation = await contractViolation(
          routeKey,
          response.status,
          response.headers.get('content-type'),
          await response.clone().text(),
        );
        if (violation) reportViolation(violation);
      }
      return response;
    },
    close: () => gateway.close(),
  };
}
