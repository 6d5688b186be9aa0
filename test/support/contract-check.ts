/**
 * Every answer the integration suite receives through the test gateway is checked against the
 * OpenAPI document (issue 14): its status must be documented for its operation, and its JSON body
 * (application/json or application/problem+json) must validate against the documented schema.
 * Violations are appended to a file that the suite's teardown reads: the document cannot drift from
 * what the handlers answer on any path the suite walks.
 */
import { appendFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { openApiDocument } from '../../infra/openapi/document.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
type Paths = Record<string, Record<string, Operation>>;

let loaded: Promise<{ ajv: Ajv2020; paths: Paths }> | undefined;

function load() {
  loaded ??= openApiDocument().then((document) => {
    const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
    const plain = JSON.parse(JSON.stringify(document)) as { paths: Paths };
    ajv.addSchema(plain, 'openapi');
    return { ajv, paths: plain.paths };
  });
  return loaded;
}

const pointer = (...segments: string[]) =>
  segments.map((s) => encodeURIComponent(s.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/');

/** What is wrong with one answer, or undefined. */
export async function contractViolation(
  routeKey: string,
  status: number,
  contentType: string | null,
  body: string,
): Promise<string | undefined> {
  const { ajv, paths } = await load();
  const [method = '', path = ''] = routeKey.split(' ');
  const operation = paths[path]?.[method.toLowerCase()];
  if (!operation) return `${routeKey}: not in the document`;
  const response = operation.responses[String(status)];
  if (!response) return `${routeKey}: status ${status} is not documented`;
  const type = (contentType ?? '').split(';')[0]?.trim() ?? '';
  if (type !== 'application/json' && type !== 'application/problem+json') return undefined;
  if (!response.content?.[type]) return `${routeKey}: ${status} ${type} is not documented`;
  if (body === '') return undefined;
  const validate = ajv.getSchema(
    `openapi#/${pointer('paths', path, method.toLowerCase(), 'responses', String(status), 'content', type, 'schema')}`,
  );
  if (!validate) return `${routeKey}: no schema for ${status} ${type}`;
  const answer = JSON.parse(body) as { code?: unknown };
  if (validate(answer)) return undefined;
  const code = typeof answer.code === 'string' ? ` ${answer.code}` : '';
  return `${routeKey} ${status}${code}: ${ajv.errorsText(validate.errors)}`;
}

/** Appends a violation for the teardown (Jest workers are processes of their own). */
export function reportViolation(violation: string): void {
  const file = process.env.HPF_TEST_CONTRACT_LOG;
  if (file) appendFileSync(file, `${violation}\n`);
}
