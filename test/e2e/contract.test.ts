/**
 * The contract for clients through the local gateway: GET /v1/openapi.json serves the document the
 * build wrote, and POST /v1/calculators/loan answers anyone, without a token, what the loan rule
 * computes, asking for nothing personal.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { openApiDocument, writeOpenApiDocument } from '../../infra/openapi/document.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import { estimateLoan } from '../../shared/loans/calculator.js';
import { HTTP_HANDLERS } from '../../shared/services/declaration.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let api: TestGateway;

beforeAll(async () => {
  await writeOpenApiDocument();
  api = await startTestGateway();
});

afterAll(async () => {
  await api.close();
});

const estimate = {
  city: '320300',
  housePriceFen: 150_000_000,
  termMonths: 240,
  method: 'equal-installment',
  balanceFen: 6_000_000,
  monthlyDepositBaseFen: 1_200_000,
};

describe('GET /v1/openapi.json', () => {
  it('serves the built document: OpenAPI 3.1, every declared route, without a token', async () => {
    const response = await api.request('GET', '/v1/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const served = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(served.openapi).toBe('3.1.0');
    for (const route of HTTP_HANDLERS.flatMap((h) => h.routes)) {
      expect([
        route.method,
        route.path,
        served.paths[route.path]?.[route.method.toLowerCase()] !== undefined,
      ]).toEqual([route.method, route.path, true]);
    }
    expect(served).toEqual(JSON.parse(JSON.stringify(await openApiDocument())));
  });
});

describe('POST /v1/calculators/loan', () => {
  it("answers without a token the loan rule's limit and schedule, as the document says", async () => {
    const response = await api.request('POST', '/v1/calculators/loan', { json: estimate });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    const today = toBeijingDate(new Date());
    expect(body).toEqual(
      JSON.parse(
        JSON.stringify(
          estimateLoan(
            {
              ...(estimate as Parameters<typeof estimateLoan>[0]),
              homeOrder: 'first',
              otherMonthlyDebtFen: 0,
            },
            today,
          ),
        ),
      ),
    );
    expect(body.limit).toMatchObject({ bindingBound: expect.any(String), limitFen: expect.any(Number) });
    // A client generated from the document reads this answer.
    const document = (await openApiDocument()) as unknown as {
      paths: Record<
        string,
        { post: { responses: Record<string, { content: Record<string, { schema: object }> }> } }
      >;
    };
    const schema =
      document.paths['/v1/calculators/loan']?.post.responses['200']?.content['application/json']?.schema;
    const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
    const ajv = addFormats(new Ajv2020({ strict: false }));
    expect(ajv.validate(schema as object, body)).toBe(true);
  });

  it('asks for nothing personal: an ID number or a name in the body is a 400', async () => {
    for (const extra of [{ idNumber: '320302199001011235' }, { name: '周海涛' }]) {
      const response = await api.request('POST', '/v1/calculators/loan', { json: { ...estimate, ...extra } });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });

  it('a zero price, no income or a term beyond the rule are 400s naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...estimate, housePriceFen: 0 }, 'housePriceFen'],
      [{ ...estimate, monthlyDepositBaseFen: undefined }, 'monthlyDepositBaseFen'],
      [{ ...estimate, termMonths: 480 }, 'termMonths'],
      [{ ...estimate, city: '110000' }, 'city'],
    ];
    for (const [json, field] of cases) {
      const response = await api.request('POST', '/v1/calculators/loan', { json });
      expect(response.status).toBe(400);
      const problem = (await response.json()) as { errors: { field: string }[] };
      expect(problem.errors.map((e) => e.field)).toContain(field);
    }
  });

  it('the same request twice answers the same: nothing is stored between them', async () => {
    const [first, second] = await Promise.all([
      api.request('POST', '/v1/calculators/loan', { json: estimate }),
      api.request('POST', '/v1/calculators/loan', { json: estimate }),
    ]);
    expect(await first.json()).toEqual(await second.json());
  });
});
