import { describe, expect, it } from '@jest/globals';
import * as z from 'zod/mini';
import { DomainError } from '../../../shared/errors/domain-error.js';
import { httpHandler, MAX_BODY_BYTES } from '../../../shared/http/handler.js';
import { domainIssue } from '../../../shared/http/validation.js';
import { httpEvent, lambdaContext } from '../../support/events.js';

const staff = { sub: 'staff-1', role: 'staff', city: '320300' };
const citizen = { sub: 'citizen-1', role: 'citizen', idNumber: '11010519491231002X' };

// A handler on a declared staff route, with a body schema and a domain check.
const echo = httpHandler({
  path: z.object({ city: z.string() }),
  body: z.strictObject({
    name: z.string().check(z.minLength(1)),
    amountFen: z.int().check(z.positive()),
    code: z.optional(
      z.string().check(
        z.superRefine((value, ctx) => {
          if (value !== 'OK')
            ctx.addIssue(
              domainIssue({ code: 'CODE_NOT_OK', message: { 'zh-CN': '代码有误。', en: 'Bad code.' } }),
            );
        }),
      ),
    ),
  }),
  handle: async ({ body, path, caller }) => ({ status: 201, body: { body, path, role: caller?.role } }),
});

function post(
  body: string | undefined,
  options: { claims?: Record<string, string>; contentType?: string } = {},
) {
  return echo(
    httpEvent({
      method: 'POST',
      routePath: '/v1/staff/ping/{city}',
      rawPath: '/v1/staff/ping/320300',
      pathParameters: { city: '320300' },
      headers: { 'content-type': options.contentType ?? 'application/json', 'x-correlation-id': 'corr-123' },
      body,
      claims: options.claims ?? staff,
    }),
    lambdaContext(),
  );
}

function problem(response: { body?: string; headers?: Record<string, unknown> }) {
  expect(response.headers?.['content-type']).toBe('application/problem+json');
  return JSON.parse(response.body ?? '{}');
}

describe('httpHandler', () => {
  it('answers a valid request with JSON, security headers and the correlation id', async () => {
    const response = await post(JSON.stringify({ name: '张三', amountFen: 100 }));
    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body ?? '')).toEqual({
      body: { name: '张三', amountFen: 100 },
      path: { city: '320300' },
      role: 'staff',
    });
    expect(response.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'strict-transport-security': expect.stringContaining('max-age='),
      'x-correlation-id': 'corr-123',
      'x-request-id': 'api-request-id',
    });
  });

  it('refuses a citizen on a staff route with 403 problem+json', async () => {
    const response = await post(JSON.stringify({ name: 'a', amountFen: 1 }), { claims: citizen });
    expect(response.statusCode).toBe(403);
    const body = problem(response);
    expect(body).toMatchObject({ status: 403, code: 'FORBIDDEN', type: 'urn:huaihai-hpf:problem:forbidden' });
    expect(body.message['zh-CN']).toMatch(/无权/);
    expect(body.message.en).toMatch(/not allowed/);
  });

  it('refuses staff claims without a centre', async () => {
    const response = await post(JSON.stringify({ name: 'a', amountFen: 1 }), {
      claims: { sub: 's', role: 'staff' },
    });
    expect(response.statusCode).toBe(403);
  });

  it('answers malformed JSON with 400', async () => {
    const response = await post('{"name": ');
    expect(response.statusCode).toBe(400);
    expect(problem(response).code).toBe('MALFORMED_JSON');
  });

  it('answers a body over 64 KiB with 413', async () => {
    const response = await post(JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES), amountFen: 1 }));
    expect(response.statusCode).toBe(413);
    expect(problem(response).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers a non-JSON body with 415', async () => {
    const response = await post('name=a', { contentType: 'application/x-www-form-urlencoded' });
    expect(response.statusCode).toBe(415);
    expect(problem(response).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('lists every failed field with its path, code and both languages', async () => {
    const response = await post(JSON.stringify({ name: '', amountFen: 1.5, code: 'NO', extra: true }));
    expect(response.statusCode).toBe(400);
    const body = problem(response);
    expect(body.code).toBe('VALIDATION_FAILED');
    const byField = Object.fromEntries(body.errors.map((e: { field: string }) => [e.field, e]));
    expect(Object.keys(byField).sort()).toEqual(['amountFen', 'code', 'extra', 'name']);
    expect(byField.name).toMatchObject({ in: 'body', code: 'TOO_SMALL' });
    expect(byField.code).toMatchObject({
      code: 'CODE_NOT_OK',
      message: { 'zh-CN': '代码有误。', en: 'Bad code.' },
    });
    expect(byField.extra.code).toBe('UNKNOWN_FIELD');
  });

  it('tells a value of the wrong type from a missing one, and never echoes the value', async () => {
    const response = await post(JSON.stringify({ name: 'x', amountFen: 'secret-looking-value' }));
    expect(response.statusCode).toBe(400);
    const body = problem(response);
    expect(body.errors).toEqual([expect.objectContaining({ field: 'amountFen', code: 'INVALID_TYPE' })]);
    expect(JSON.stringify(body)).not.toContain('secret-looking-value');
    const missing = problem(await post(JSON.stringify({ name: 'x' })));
    expect(missing.errors).toEqual([expect.objectContaining({ field: 'amountFen', code: 'REQUIRED' })]);
  });

  it('reports a missing body as a required field', async () => {
    const response = await post(undefined);
    expect(response.statusCode).toBe(400);
    expect(problem(response).errors[0]).toMatchObject({ field: '', code: 'REQUIRED' });
  });

  it('hides the internals of an unexpected error behind a 500 problem', async () => {
    const failing = httpHandler({
      handle: async () => {
        throw new Error('ConditionalCheckFailed on C#320300#secret-key');
      },
    });
    const response = await failing(httpEvent({ method: 'GET', routePath: '/v1/cities' }), lambdaContext());
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toMatch(/secret-key|ConditionalCheck|Error/);
    expect(problem(response)).toMatchObject({
      code: 'INTERNAL',
      instance: 'urn:huaihai-hpf:request:api-request-id',
    });
  });

  it('passes a domain problem through with its own code and members', async () => {
    const conflicting = httpHandler({
      handle: async () => {
        throw new DomainError('EMPLOYER_ACCOUNT_EXISTS', {
          employerAccountNo: '3203000001',
          status: 'approved',
        });
      },
    });
    const response = await conflicting(
      httpEvent({ method: 'GET', routePath: '/v1/cities' }),
      lambdaContext(),
    );
    expect(response.statusCode).toBe(409);
    expect(problem(response)).toMatchObject({
      code: 'EMPLOYER_ACCOUNT_EXISTS',
      employerAccountNo: '3203000001',
      // an extension never shadows a standard member
      status: 409,
    });
  });

  it('answers 404 for a route the declaration does not know', async () => {
    const response = await echo(httpEvent({ method: 'DELETE', routePath: '/v1/nothing' }), lambdaContext());
    expect(response.statusCode).toBe(404);
  });
});
