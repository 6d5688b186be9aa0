/**
 * The OpenAPI 3.1 document of the public contract, built from the service declaration (every route,
 * its roles, its Idempotency-Key, its throttle) and each handler's `contract.ts` (its zod schemas,
 * the same the handler validates with). Build time only: no handler imports this module; the
 * platform function serves the JSON file `writeOpenApiDocument` writes (infra/openapi/write.ts).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as z from 'zod/mini';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { catalogueItem } from '../../shared/catalogue/catalogue.js';
import type { HandlerContract, RouteContract } from '../../shared/contract/route-contract.js';
import { ERROR_TYPES, type ErrorCode } from '../../shared/errors/domain-error.js';
import { STATUS_OF_KIND } from '../../shared/http/problem.js';
import {
  type HandlerDeclaration,
  HTTP_HANDLERS,
  type RouteDeclaration,
  routeKey,
} from '../../shared/services/declaration.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the build writes the document: beside the platform handler, which reads it at run time. */
export const OPENAPI_DOCUMENT_FILE = 'functions/platform/openapi.json';

/** A handler's contract module: `contract.ts` in its entry's folder (the one convention). */
export function contractModuleOf(handler: Pick<HandlerDeclaration, 'entry'>): string {
  return join(dirname(handler.entry), 'contract.ts');
}

export async function loadContracts(
  handlers: readonly HandlerDeclaration[] = HTTP_HANDLERS,
): Promise<Map<string, HandlerContract>> {
  const contracts = new Map<string, HandlerContract>();
  for (const handler of handlers) {
    const url = pathToFileURL(join(REPO_ROOT, contractModuleOf(handler))).href;
    const module = (await import(url)) as { CONTRACT?: HandlerContract };
    if (!module.CONTRACT) throw new Error(`${contractModuleOf(handler)} does not export CONTRACT`);
    contracts.set(handler.id, module.CONTRACT);
  }
  return contracts;
}

const LocalisedMessage = z.object({ 'zh-CN': z.string(), en: z.string() });

/** RFC 9457 problem details with the hub's members (shared/http/problem.ts). */
export const ProblemSchema = z
  .looseObject({
    type: z.string().check(z.describe('urn:huaihai-hpf:problem:<code in kebab-case>')),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string().check(z.describe('urn:huaihai-hpf:request:<request id>')),
    code: z.string().check(z.describe('Stable error code (see x-error-codes at the document root)')),
    message: LocalisedMessage,
    errors: z.optional(
      z.array(
        // A field error may carry more members (a CSV row, the limit and rule version it broke).
        z.looseObject({
          in: z.enum(['body', 'path', 'query', 'header']),
          field: z.string().check(z.describe('Dotted path of the field')),
          code: z.string(),
          message: LocalisedMessage,
        }),
      ),
    ),
  })
  .register(z.globalRegistry, { id: 'Problem' });

/** API Gateway's own answers (a missing or refused token, a throttled route): not problem+json. */
const GatewayMessageSchema = z
  .object({ message: z.string() })
  .register(z.globalRegistry, { id: 'GatewayMessage' });

const IdempotencyHeader = z.object({
  'Idempotency-Key': z
    .string()
    .check(
      z.regex(/^[\x21-\x7e]{8,128}$/),
      z.describe(
        'Scoped to the caller and the route: the same key and body answer the first response again ' +
          '(header idempotent-replayed: true); the same key with another body is 422 IDEMPOTENCY_KEY_REUSED.',
      ),
    ),
});

/** The boundary's own refusals (shared/http/handler.ts), by what the route takes. */
function boundaryProblems(route: RouteDeclaration, contract: RouteContract): ErrorCode[] {
  const codes: ErrorCode[] = [];
  const takesInput = contract.body !== null || contract.path || contract.query || route.idempotent;
  if (takesInput) codes.push('VALIDATION_FAILED');
  // The boundary refuses an oversized body on any route, before it knows whether the route takes one.
  codes.push('PAYLOAD_TOO_LARGE');
  if (contract.body !== null) codes.push('MALFORMED_JSON', 'UNSUPPORTED_MEDIA_TYPE');
  if (route.access !== 'public') codes.push('FORBIDDEN');
  if (route.idempotent) codes.push('IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_USE');
  codes.push('INTERNAL');
  return codes;
}

function problemResponses(route: RouteDeclaration, contract: RouteContract) {
  const byStatus = new Map<number, Set<ErrorCode>>();
  for (const code of [...boundaryProblems(route, contract), ...(contract.problems ?? [])]) {
    const status = STATUS_OF_KIND[ERROR_TYPES[code].kind];
    byStatus.set(status, (byStatus.get(status) ?? new Set()).add(code));
  }
  const responses: Record<string, unknown> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const list = [...codes];
    responses[String(status)] = {
      description: list.map((code) => `${code}: ${ERROR_TYPES[code].message.en}`).join(' '),
      content: {
        'application/problem+json': {
          schema: {
            allOf: [{ $ref: '#/components/schemas/Problem' }],
            properties: { code: { enum: list }, status: { const: status } },
          },
        },
      },
    };
  }
  const gateway = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/GatewayMessage' } } },
  });
  // Past 10 MB (or Lambda's 6 MB event) API Gateway answers 413 itself, before any handler.
  const tooLarge = responses['413'] as { content: Record<string, unknown> } | undefined;
  if (tooLarge) tooLarge.content['application/json'] = gateway('').content['application/json'];
  if (route.access !== 'public') {
    responses['401'] = gateway(
      'No token, or a token the JWT authorizer refuses (API Gateway: {"message":"Unauthorized"}).',
    );
  }
  responses['429'] = gateway(
    route.throttle
      ? `This route's own throttle: ${route.throttle.rateLimit} requests/s, bursts of ${route.throttle.burstLimit}.`
      : 'The stage-wide throttle.',
  );
  return responses;
}

function successResponse(route: RouteDeclaration, contract: RouteContract) {
  const { status, description, schema, alsoAs } = contract.response;
  const content: Record<string, unknown> = {};
  if (schema) content['application/json'] = { schema };
  for (const mediaType of alsoAs ?? []) content[mediaType] = { schema: { type: 'string' } };
  return {
    [String(status)]: {
      description,
      ...(route.idempotent
        ? {
            headers: {
              'idempotent-replayed': {
                description: '"true" when this is the stored answer to an earlier request with the same key',
                schema: { type: 'string', enum: ['true'] },
              },
            },
          }
        : {}),
      ...(Object.keys(content).length > 0 ? { content } : {}),
    },
  };
}

/**
 * Operations are grouped by feature (the handler), each group described in words; a handler
 * serving one catalogue item and not listed here is described by the item's name.
 */
const FEATURES: Readonly<Record<string, string>> = {
  platform:
    'The platform: health, the ten centres and their parameters, the catalogue, the calendar, this document',
  'loan-calculator':
    '贷款试算 Loan estimate: the limit and schedule a decision would compute, nothing stored',
  'deposit-change':
    "单位缴存 The employer's deposit desk: employee accounts, changes, monthly remittance, back-pay (补缴)",
  'base-adjustment': '缴存基数年度调整 The yearly base adjustment: every employee at once, JSON or CSV',
  'voluntary-deposit':
    '自愿缴存 Voluntary deposits: the account, payment orders, the collecting bank’s confirmation',
  'info-query': '信息查询 My accounts, ledgers and loans in every centre',
  'loan-application':
    '异地贷款 Loan applications: apply in any Huaihai city, follow, withdraw, the spouse’s consent',
  withdrawal:
    '提取 Withdrawals: retirement, emigration, purchase, offsite repayment, rent, renovation, property fee',
  'certificate-issue': '证明 Certificates: deposit usage (缴存使用证明) and loan payoff (贷款结清证明)',
  'certificate-verify': '证明核验 Anyone holding a code checks a certificate (JSON or the printable page)',
  'early-payoff': '提前还款 Early repayment of a loan, partial or full',
  'account-transfer': '转移接续 Moving an account’s balance and history to another centre',
  'staff-desk':
    "Staff: the centre's work queue, decisions with four eyes (复核), audit, disbursement, payout returns",
  'property-register':
    '网签备案 The property register where the housing authority has no link: paper records, four eyes',
  enforcement:
    '联合执法 Joint enforcement: records with four eyes, look-ups, risk cases; what a citizen may see of them',
  'staff-ping': "A centre pings another centre's inbox",
};

function featureTag(handler: HandlerDeclaration): { name: string; description: string } {
  const item = handler.itemCode ? catalogueItem(handler.itemCode) : undefined;
  return {
    name: handler.id,
    description: FEATURES[handler.id] ?? (item ? `${item.nameZh} ${item.nameEn}` : handler.id),
  };
}

/** `postV1MeLoanApplicationsIdWithdrawal`: unique, because route keys are. */
export function operationId(route: Pick<RouteDeclaration, 'method' | 'path'>): string {
  const words = route.path.split(/[^A-Za-z0-9]+/).filter((word) => word !== '');
  return route.method.toLowerCase() + words.map((word) => word[0]?.toUpperCase() + word.slice(1)).join('');
}

function operation(
  handler: HandlerDeclaration,
  route: RouteDeclaration,
  contract: RouteContract,
): ZodOpenApiOperationObject {
  const roles = route.access === 'public' ? [] : [...route.access];
  return {
    operationId: operationId(route),
    summary: contract.summary,
    tags: [handler.id],
    ...(handler.itemCode ? { 'x-service-item': handler.itemCode } : {}),
    description:
      route.access === 'public'
        ? 'Public: no token.'
        : `Bearer JWT with the role claim ${roles.map((role) => `\`${role}\``).join(' or ')}.`,
    security: route.access === 'public' ? [] : [{ bearerJwt: roles }],
    'x-roles': roles,
    ...(route.throttle ? { 'x-throttle': route.throttle } : {}),
    ...(contract.path || contract.query || route.idempotent
      ? {
          requestParams: {
            ...(contract.path ? { path: contract.path } : {}),
            ...(contract.query ? { query: contract.query } : {}),
            ...(route.idempotent ? { header: IdempotencyHeader } : {}),
          },
        }
      : {}),
    ...(contract.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: contract.body },
              ...Object.fromEntries(
                (contract.bodyAlsoAs ?? []).map((mediaType) => [mediaType, { schema: { type: 'string' } }]),
              ),
            },
          },
        }
      : {}),
    responses: {
      ...successResponse(route, contract),
      ...problemResponses(route, contract),
      ...Object.fromEntries(
        (contract.otherResponses ?? []).map((other) => [
          String(other.status),
          { description: other.description, content: { 'application/json': { schema: other.schema } } },
        ]),
      ),
    },
  } as ZodOpenApiOperationObject;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

export async function openApiDocument(handlers: readonly HandlerDeclaration[] = HTTP_HANDLERS) {
  const contracts = await loadContracts(handlers);
  const paths: ZodOpenApiPathsObject = {};
  for (const handler of handlers) {
    const contract = contracts.get(handler.id) ?? {};
    for (const route of handler.routes) {
      const entry = contract[routeKey(route)];
      if (!entry) throw new Error(`${contractModuleOf(handler)} has no contract for ${routeKey(route)}`);
      paths[route.path] = {
        ...paths[route.path],
        [route.method.toLowerCase()]: operation(handler, route, entry),
      };
    }
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Huaihai HPF Hub · 淮海经济区住房公积金一体化平台',
      version: packageVersion(),
      description:
        'JSON, camelCase; money in integer fen (…Fen), rates in basis points, cities as 6-digit codes, ' +
        'times ISO 8601. Every error a handler returns is application/problem+json (RFC 9457) with a ' +
        'stable code and a message in zh-CN and en.',
    },
    tags: handlers.map(featureTag),
    paths,
    components: {
      schemas: { Problem: ProblemSchema, GatewayMessage: GatewayMessageSchema },
      securitySchemes: {
        bearerJwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: "The centre's OIDC provider; the `role` claim is citizen, employer, staff or agent.",
        },
      },
    },
    'x-error-codes': Object.fromEntries(
      Object.entries(ERROR_TYPES).map(([code, type]) => [
        code,
        { status: STATUS_OF_KIND[type.kind], title: type.title, message: type.message },
      ]),
    ),
  } as Parameters<typeof createDocument>[0]);
}

/** Writes the document (compact JSON) and answers its size in bytes. */
export async function writeOpenApiDocument(file = join(REPO_ROOT, OPENAPI_DOCUMENT_FILE)): Promise<number> {
  const json = JSON.stringify(await openApiDocument());
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, json);
  return Buffer.byteLength(json);
}
