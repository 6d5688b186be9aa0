/**
 * The OpenAPI document (issue 14): every declared route is in it with its security, its request
 * schema, its parameters, its Idempotency-Key and its problem responses; a route declared without a
 * contract fails the build; the README's curl examples are valid requests by the document alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import {
  contractModuleOf,
  loadContracts,
  openApiDocument,
  operationId,
} from '../../../infra/openapi/document.js';
import { DomainError } from '../../../shared/errors/domain-error.js';
import { problemResponse } from '../../../shared/http/problem.js';
import { HTTP_HANDLERS, type RouteDeclaration, routeKey } from '../../../shared/services/declaration.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

interface Operation {
  operationId: string;
  security: Record<string, string[]>[];
  parameters?: { in: string; name: string; required?: boolean; schema: object }[];
  requestBody?: { required: boolean; content: Record<string, { schema: object }> };
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
}
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object>; securitySchemes: Record<string, { type: string }> };
};

let document: Document;
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));

beforeAll(async () => {
  document = (await openApiDocument()) as unknown as Document;
  ajv.addSchema(document, 'openapi');
});

const ROUTES: [string, RouteDeclaration][] = HTTP_HANDLERS.flatMap((handler) =>
  handler.routes.map((route) => [routeKey(route), route] as [string, RouteDeclaration]),
);

function operationOf(route: Pick<RouteDeclaration, 'method' | 'path'>): Operation {
  const operation = document.paths[route.path]?.[route.method.toLowerCase()];
  if (!operation) throw new Error(`${routeKey(route)} is not in the document`);
  return operation;
}

const pathNames = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

describe('every declared route is in the document', () => {
  it('as many operations as declared routes, and each contract key is a declared route', async () => {
    const operations = Object.values(document.paths).flatMap((item) => Object.keys(item));
    expect(operations).toHaveLength(ROUTES.length);
    const contracts = await loadContracts();
    for (const handler of HTTP_HANDLERS) {
      const declared = handler.routes.map(routeKey).sort();
      expect([contractModuleOf(handler), Object.keys(contracts.get(handler.id) ?? {}).sort()]).toEqual([
        contractModuleOf(handler),
        declared,
      ]);
    }
  });

  it.each(ROUTES)('%s: security, parameters, body, Idempotency-Key, answers', async (_key, route) => {
    const operation = operationOf(route);
    const contract = (await loadContracts()).get(
      HTTP_HANDLERS.find((h) => h.routes.includes(route))?.id as string,
    )?.[routeKey(route)];
    expect(operation.operationId).toBe(operationId(route));

    // Security: none on a public route; the bearer JWT with exactly the declared roles otherwise.
    if (route.access === 'public') {
      expect(operation.security).toEqual([]);
      expect(operation.responses['401']).toBeUndefined();
    } else {
      expect(operation.security).toEqual([{ bearerJwt: [...route.access] }]);
      expect(document.components.securitySchemes.bearerJwt?.type).toBe('http');
      expect(operation.responses['401']).toBeDefined();
      expect(problemCodes(operation, '403')).toContain('FORBIDDEN');
    }

    // Path parameters: exactly the template's, all required, each with a schema.
    const params = operation.parameters ?? [];
    const inPath = params.filter((p) => p.in === 'path');
    expect(inPath.map((p) => p.name).sort()).toEqual(pathNames(route.path).sort());
    for (const p of inPath) expect(p.required).toBe(true);

    // Idempotency-Key: required exactly where the route is declared idempotent.
    const key = params.find((p) => p.in === 'header' && p.name === 'Idempotency-Key');
    if (route.idempotent) {
      expect(key?.required).toBe(true);
      expect(problemCodes(operation, '422')).toContain('IDEMPOTENCY_KEY_REUSED');
    } else {
      expect(key).toBeUndefined();
    }

    // The body: the contract's schema as JSON, or none.
    if (contract?.body) {
      const schema = operation.requestBody?.content['application/json']?.schema as Record<string, unknown>;
      expect(operation.requestBody?.required).toBe(true);
      expect(schema.type === 'object' || Array.isArray(schema.oneOf)).toBe(true);
      expect(problemCodes(operation, '400')).toEqual(
        expect.arrayContaining(['VALIDATION_FAILED', 'MALFORMED_JSON']),
      );
      expect(problemCodes(operation, '415')).toContain('UNSUPPORTED_MEDIA_TYPE');
    } else {
      expect(operation.requestBody).toBeUndefined();
    }

    // The success answer, and a replay's other success status when the contract names one (a 200
    // where the first answer was a 201 or 202); every refusal is problem+json of the Problem schema.
    const statuses = Object.keys(operation.responses);
    const successes = [contract?.response, ...(contract?.otherResponses ?? [])]
      .map((answer) => String(answer?.status))
      .filter((status) => status.startsWith('2'));
    expect(statuses.filter((s) => s.startsWith('2')).sort()).toEqual(successes.sort());
    expect(problemCodes(operation, '500')).toContain('INTERNAL');
    expect(statuses).toContain('429');
    for (const status of statuses.filter((s) => Number(s) >= 400 && !['401', '429'].includes(s))) {
      // The one answer at or above 400 that is not a problem: /health's 503 names what is unreachable.
      if (routeKey(route) === 'GET /health' && status === '503') {
        expect(operation.responses[status]?.content?.['application/json']).toBeDefined();
        continue;
      }
      const schema = operation.responses[status]?.content?.['application/problem+json']?.schema;
      expect(schema?.allOf).toEqual([{ $ref: '#/components/schemas/Problem' }]);
    }
  });

  it('a route declared without a contract fails the document', async () => {
    const platform = HTTP_HANDLERS.find((h) => h.id === 'platform');
    if (!platform) throw new Error('no platform handler');
    const withExtra = HTTP_HANDLERS.map((h) =>
      h === platform
        ? {
            ...h,
            routes: [
              ...h.routes,
              { method: 'GET' as const, path: '/v1/undocumented', access: 'public' as const },
            ],
          }
        : h,
    );
    await expect(openApiDocument(withExtra)).rejects.toThrow(
      'functions/platform/contract.ts has no contract for GET /v1/undocumented',
    );
  });
});

describe('contract modules load no AWS', () => {
  /** Packages that mean AWS, and the project folders that talk to it (shared/http's field schemas excepted). */
  const AWS = /^(@aws-sdk\/|@aws-lambda-powertools\/|aws-lambda$|@middy\/|@smithy\/)/;
  const IMPURE = /^shared\/(persistence|messaging|observability)\/|^shared\/http\/(?!fields|validation)/;

  function reach(start: string): string[] {
    const seen = new Set<string>([start]);
    const queue = [start];
    const offending: string[] = [];
    while (queue.length > 0) {
      const file = queue.shift() as string;
      const source = readFileSync(path.join(ROOT, file), 'utf8');
      for (const [, specifier] of source.matchAll(
        /^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm,
      )) {
        const spec = specifier as string;
        if (!spec.startsWith('.')) {
          if (AWS.test(spec)) offending.push(`${file} → ${spec}`);
          continue;
        }
        const target = path
          .relative(ROOT, path.resolve(ROOT, path.dirname(file), spec))
          .replace(/\.js$/, '.ts');
        if (IMPURE.test(target)) offending.push(`${file} → ${target}`);
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
    return offending;
  }

  it.each(HTTP_HANDLERS.map(contractModuleOf))('%s', (file) => {
    expect(reach(file)).toEqual([]);
  });
});

function problemCodes(operation: Operation, status: string): string[] {
  const schema = operation.responses[status]?.content?.['application/problem+json']?.schema as
    | { properties?: { code?: { enum?: string[] } } }
    | undefined;
  return schema?.properties?.code?.enum ?? [];
}

describe('the Problem schema is what the boundary answers', () => {
  it('validates a real problem+json with field errors (RFC 9457 members, code, message, errors[])', () => {
    const response = problemResponse(
      new DomainError('VALIDATION_FAILED', {
        errors: [
          {
            in: 'body',
            field: 'termMonths',
            code: 'TOO_BIG',
            message: { 'zh-CN': '过大', en: 'Too big' },
          },
        ],
      }),
      'req-1',
    );
    const validate = ajv.getSchema('openapi#/components/schemas/Problem');
    const body = JSON.parse(response.body as string);
    expect(validate?.(body)).toBe(true);
    expect(validate?.({ ...body, message: 'only one language' })).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------
// The README's walk-through, run by bash with curl replaced by a recorder: every call is a declared
// operation, with the Idempotency-Key where required, and its JSON body valid against the document.

/** The `…` placeholders of the walk-through, with values of the right shape. */
const SAMPLES: Record<string, string> = {
  E: '37080010000002',
  P: '3203001000000001',
  P2: '3713001000000001',
  B: '371700-B-0123456789ABCDEF',
  A: '320300-0123456789AB',
  W: '320300-W-0123456789AB',
  O: '3203001000000009-202612-0123456789AB',
  V: '3203001000000009',
  BACKPAY_EMPLOYER: '37170010000001',
  BACKPAY_MONTH: '2026-09',
  BACKPAY_ACCOUNTS: '["3717001000000001","3717001000000002"]',
  SPOUSE_ID_NUMBER: '320302199001011235',
  MOVER_ACCOUNT: '3713001000000042',
  TR: '320300-T-0123456789ABCDEF',
  R: '371300-E-0123456789ABCDEF',
  P3: '3708001000000003',
};

interface Call {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

function readmeCalls(): Call[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Walk-through with curl'), readme.indexOf('## Which facts'));
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  const script = blocks
    .join('\n')
    .replace(/^(\w+)=….*$/gm, (_line, name: string) => `${name}='${SAMPLES[name] ?? 'X'}'`)
    .replace(/<verificationCode>/g, 'HPF-DEMO-CODE');
  const preamble = [
    'U=http://127.0.0.1:3000',
    ...Object.entries(SAMPLES).map(([name, value]) => `${name}='${value}'`),
    // Only the calls are recorded: each argument, then a record separator.
    "curl() { printf '%s\\037' \"$@\"; printf '\\036'; }",
    'npm() { case "$*" in *token*) echo token ;; esac; }',
    'head() { cat >/dev/null; }',
  ].join('\n');
  // In a directory of its own: the walk-through writes files (the base adjustment's CSV).
  const cwd = mkdtempSync(path.join(tmpdir(), 'readme-walk-'));
  const out = execFileSync('bash', ['-c', `${preamble}\n${script}`], { encoding: 'utf8', cwd });
  return out
    .split('\x1e')
    .filter((record) => record !== '')
    .map((record) => {
      const args = record.split('\x1f').slice(0, -1);
      const call: Call = { method: 'GET', path: '', headers: {} };
      for (let i = 0; i < args.length; i++) {
        const arg = args[i] as string;
        const next = args[i + 1] as string;
        if (arg === '-X') call.method = args[++i] as string;
        else if (arg === '-H') {
          const [name, ...value] = next.split(':');
          call.headers[(name as string).trim().toLowerCase()] = value.join(':').trim();
          i++;
        } else if (arg === '-d') {
          call.body = next;
          i++;
        } else if (arg === '--data-binary' && next.startsWith('@')) {
          call.body = readFileSync(path.join(cwd, next.slice(1)), 'utf8');
          i++;
        } else if (arg.startsWith('http')) call.path = new URL(arg).pathname;
      }
      if (call.body !== undefined && call.method === 'GET') call.method = 'POST';
      return call;
    });
}

function findOperation(call: Call): {
  template: string;
  operation: Operation;
  params: Record<string, string>;
} {
  for (const [template, item] of Object.entries(document.paths)) {
    const names = pathNames(template);
    const pattern = new RegExp(`^${template.replace(/\{\w+\}/g, '([^/]+)').replace(/\./g, '\\.')}$`);
    const match = pattern.exec(call.path);
    const operation = item[call.method.toLowerCase()];
    if (match && operation) {
      return {
        template,
        operation,
        params: Object.fromEntries(
          names.map((name, i) => [name, decodeURIComponent(match[i + 1] as string)]),
        ),
      };
    }
  }
  throw new Error(`${call.method} ${call.path} (from the README) is not in the document`);
}

describe("the README's curl examples", () => {
  it('are requests the document describes, bodies and parameters valid', () => {
    const calls = readmeCalls();
    expect(calls.length).toBeGreaterThan(30);
    const failures: string[] = [];
    let bodies = 0;
    for (const call of calls) {
      const { template, operation, params } = findOperation(call);
      const where = `${call.method} ${template}`;
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'path' && !ajv.validate(parameter.schema, params[parameter.name])) {
          failures.push(`${where}: path ${parameter.name}=${params[parameter.name]} ${ajv.errorsText()}`);
        }
        if (parameter.in === 'header' && parameter.required && !call.headers[parameter.name.toLowerCase()]) {
          failures.push(`${where}: no ${parameter.name} header`);
        }
      }
      const schema = operation.requestBody?.content['application/json']?.schema;
      if (call.headers['content-type'] === 'text/csv') {
        if (!operation.requestBody?.content['text/csv']) failures.push(`${where}: takes no text/csv`);
        if (!call.body?.includes(',')) failures.push(`${where}: no CSV body`);
        continue;
      }
      if (schema && call.body === undefined) failures.push(`${where}: no body`);
      if (!schema && call.body !== undefined) failures.push(`${where}: a body the route does not take`);
      if (schema && call.body !== undefined) {
        if (call.headers['content-type'] !== 'application/json') failures.push(`${where}: not sent as JSON`);
        if (!ajv.validate(schema, JSON.parse(call.body))) failures.push(`${where}: ${ajv.errorsText()}`);
        bodies++;
      }
    }
    expect(failures).toEqual([]);
    expect(bodies).toBeGreaterThan(15);
  });

  it('a body the document refuses is caught (the check can fail)', () => {
    const { operation } = findOperation({ method: 'POST', path: '/v1/calculators/loan', headers: {} });
    const schema = operation.requestBody?.content['application/json']?.schema as object;
    expect(ajv.validate(schema, { city: '320300', housePriceFen: 100, termMonths: 240, method: 'x' })).toBe(
      false,
    );
    expect(ajv.validate(schema, { city: '320300', housePriceFen: 100, termMonths: 240, idNumber: 'x' })).toBe(
      false,
    );
  });
});
