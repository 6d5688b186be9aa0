/**
 * Every operation documents its real success body (issue 14: "a client can be written from
 * /v1/openapi.json alone"): a 2xx answer other than 204 has a JSON schema, and that schema is not
 * "any JSON object". A member whose content is free by design (a ledger entry's `details`, a
 * change's `previous`/`next`) may be an object without members only when it says what it holds.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import * as z from 'zod/mini';
import { openApiDocument } from '../../../infra/openapi/document.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

type Schema = {
  examples?: unknown[];
  $ref?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};
interface Response {
  content?: Record<string, { schema?: Schema }>;
}
interface Operation {
  operationId: string;
  summary?: string;
  tags?: string[];
  responses: Record<string, Response>;
}
type Document = {
  tags: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};

let document: Document;
beforeAll(async () => {
  document = JSON.parse(JSON.stringify(await openApiDocument())) as Document;
});

const isObject = (schema: Schema) => schema.type === 'object' || (schema.type ?? []).includes('object');
const hasMembers = (schema: Schema) => Object.keys(schema.properties ?? {}).length > 0;
/** `z.record(…)`: an object whose values have a schema of their own. */
const isMap = (schema: Schema) =>
  typeof schema.additionalProperties === 'object' && Object.keys(schema.additionalProperties).length > 0;

/** Where in a schema an object says nothing of its members nor what it holds. */
function vagueObjects(
  schema: Schema,
  at: string,
  components: Record<string, Schema>,
  seen = new Set<string>(),
): string[] {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    if (seen.has(name)) return [];
    seen.add(name);
    return vagueObjects(components[name] ?? {}, `${at}→${name}`, components, seen);
  }
  const found: string[] = [];
  for (const variant of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) {
    found.push(...vagueObjects(variant, at, components, seen));
  }
  if (isObject(schema)) {
    if (!hasMembers(schema) && !isMap(schema) && !schema.description) found.push(at || '(the body)');
    for (const [name, member] of Object.entries(schema.properties ?? {})) {
      found.push(...vagueObjects(member, `${at}.${name}`, components, seen));
    }
    if (isMap(schema))
      found.push(...vagueObjects(schema.additionalProperties as Schema, `${at}.*`, components, seen));
  }
  if (schema.items) found.push(...vagueObjects(schema.items, `${at}[]`, components, seen));
  return found;
}

/** The body itself must list its members: "an object" is no answer, whatever its description. */
function bodyHasMembers(schema: Schema, components: Record<string, Schema>): boolean {
  if (schema.$ref)
    return bodyHasMembers(components[schema.$ref.replace('#/components/schemas/', '')] ?? {}, components);
  const variants = [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])];
  if (variants.length > 0) return variants.every((variant) => bodyHasMembers(variant, components));
  return hasMembers(schema);
}

function successes(): [string, string, Response][] {
  return Object.values(document.paths).flatMap((item) =>
    Object.values(item).flatMap((operation) =>
      Object.entries(operation.responses)
        .filter(([status]) => status.startsWith('2'))
        .map(([status, response]) => [operation.operationId, status, response] as [string, string, Response]),
    ),
  );
}

describe('every success answer is documented', () => {
  it('every operation has a success answer', () => {
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    expect(operations.length).toBeGreaterThan(0);
    expect(
      operations
        .filter((operation) => !Object.keys(operation.responses).some((status) => status.startsWith('2')))
        .map((operation) => operation.operationId),
    ).toEqual([]);
  });

  it('a 2xx other than 204 has a JSON schema listing its members, and no member is "any object"', () => {
    const problems: string[] = [];
    for (const [operationId, status, response] of successes()) {
      if (status === '204') continue;
      const schema = response.content?.['application/json']?.schema;
      if (!schema) {
        problems.push(`${operationId} ${status}: no application/json schema`);
        continue;
      }
      if (!bodyHasMembers(schema, document.components.schemas)) {
        problems.push(`${operationId} ${status}: the body lists no members`);
      }
      for (const where of vagueObjects(schema, '', document.components.schemas)) {
        problems.push(`${operationId} ${status}: ${where} is any JSON object`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('the document reads well for a client writer', () => {
  it('each operation has a unique operationId, a summary and one tag the document describes', () => {
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    const ids = operations.map((operation) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const described = new Map(document.tags.map((tag) => [tag.name, tag.description ?? '']));
    for (const operation of operations) {
      expect([operation.operationId, (operation.summary ?? '').length > 10]).toEqual([
        operation.operationId,
        true,
      ]);
      expect(operation.tags).toHaveLength(1);
      expect([operation.operationId, described.get(operation.tags?.[0] ?? '')]).toEqual([
        operation.operationId,
        expect.stringMatching(/\S{3}/),
      ]);
    }
  });

  it('the examples of the shared answers are answers the document accepts', () => {
    const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
    ajv.addSchema(document, 'openapi');
    const withExamples = Object.entries(document.components.schemas).filter(([, schema]) => schema.examples);
    expect(withExamples.map(([name]) => name)).toEqual(
      expect.arrayContaining(['Centre', 'LedgerEntry', 'Withdrawal']),
    );
    for (const [name, schema] of withExamples) {
      const validate = ajv.getSchema(`openapi#/components/schemas/${name}`);
      for (const example of schema.examples ?? []) {
        expect([name, validate?.(example), ajv.errorsText(validate?.errors)]).toEqual([
          name,
          true,
          'No errors',
        ]);
      }
    }
  });
});

describe('the check itself', () => {
  const json = (schema: z.ZodMiniType) => JSON.parse(JSON.stringify(z.toJSONSchema(schema))) as Schema;

  it('finds "any JSON object" as a body and as a member', () => {
    expect(bodyHasMembers(json(z.looseObject({})), {})).toBe(false);
    expect(vagueObjects(json(z.looseObject({})), '', {})).toEqual(['(the body)']);
    expect(
      vagueObjects(json(z.looseObject({ id: z.string(), items: z.array(z.looseObject({})) })), '', {}),
    ).toEqual(['.items[]']);
  });

  it('accepts a described free member, a map and a referenced component', () => {
    const details = z.looseObject({}).check(z.describe('What the check found'));
    expect(vagueObjects(json(z.looseObject({ id: z.string(), details })), '', {})).toEqual([]);
    expect(vagueObjects(json(z.record(z.string(), z.looseObject({ a: z.int() }))), '', {})).toEqual([]);
    const components = { Thing: json(z.looseObject({ a: z.looseObject({}) })) };
    expect(vagueObjects({ $ref: '#/components/schemas/Thing' }, '', components)).toEqual(['→Thing.a']);
  });
});
