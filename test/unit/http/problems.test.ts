/**
 * Every error code through the one HTTP boundary: problem+json (RFC 9457) with the status its
 * kind chooses, the stable code, both languages, a type built from the code, and no extension
 * member shadowing a standard one; nothing internal in any answer.
 */
import { describe, expect, it } from '@jest/globals';
import { DomainError, ERROR_TYPES, type ErrorCode } from '../../../shared/errors/domain-error.js';
import { byRoute, httpHandler } from '../../../shared/http/handler.js';
import { httpEvent, lambdaContext } from '../../support/events.js';

const CODES = Object.keys(ERROR_TYPES) as ErrorCode[];

/** A public, declared route whose handler throws what it is given. */
function throwing(error: unknown) {
  return byRoute({
    'GET /v1/cities': httpHandler({
      handle: async () => {
        throw error;
      },
    }),
  });
}

async function answer(error: unknown) {
  const response = await throwing(error)(
    httpEvent({ method: 'GET', routePath: '/v1/cities' }),
    lambdaContext(),
  );
  return { response, body: JSON.parse(response.body ?? '{}') as Record<string, unknown> };
}

describe('problem+json for every error code', () => {
  it('answers each code with its status, code, both languages and its own type, whatever the details say', async () => {
    expect(CODES.length).toBeGreaterThan(30);
    const types = new Set<unknown>();
    for (const code of CODES) {
      const { response, body } = await answer(
        new DomainError(code, { status: 'approved', type: 'x', title: 'y', detail: 'd', instance: 'z' }),
      );
      const where = `for ${code}`;
      expect({ where, contentType: response.headers?.['content-type'] }).toEqual({
        where,
        contentType: 'application/problem+json',
      });
      expect({ where, statusCode: response.statusCode }).toEqual({ where, statusCode: body.status });
      expect({ where, status: typeof body.status }).toEqual({ where, status: 'number' });
      expect({ where, code: body.code }).toEqual({ where, code });
      expect({ where, message: body.message }).toEqual({
        where,
        message: ERROR_TYPES[code].message,
      });
      expect({ where, message: body.message }).toEqual({
        where,
        message: { 'zh-CN': expect.stringMatching(/\p{Script=Han}/u), en: expect.stringMatching(/[a-z]/) },
      });
      expect({ where, type: body.type }).toEqual({
        where,
        type: `urn:huaihai-hpf:problem:${code.toLowerCase().replaceAll('_', '-')}`,
      });
      expect({ where, title: body.title }).toEqual({ where, title: ERROR_TYPES[code].title });
      // `detail` is the one standard member a flow may set for the instance.
      expect({ where, detail: body.detail }).toEqual({ where, detail: 'd' });
      expect({ where, instance: body.instance }).toEqual({
        where,
        instance: 'urn:huaihai-hpf:request:api-request-id',
      });
      expect({ where, expected: (response.statusCode ?? 0) >= 400 }).toEqual({ where, expected: true });
      types.add(body.type);
    }
    // One type per code: no two codes share a type URI.
    expect(types.size).toBe(CODES.length);
  });

  it('never leaks an internal message in a 4xx', async () => {
    const clientCodes = CODES.filter((code) => {
      const kind = ERROR_TYPES[code].kind;
      return !['internal', 'not-implemented', 'unavailable', 'timeout'].includes(kind);
    });
    for (const code of clientCodes) {
      const error = new DomainError(code);
      const { response, body } = await answer(error);
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      // The catalogue's words only: not the Error's own message (`CODE: …`), stack or class.
      expect(body.detail).toBe(ERROR_TYPES[code].message.en);
      expect(response.body).not.toContain(error.message);
      expect(response.body).not.toMatch(/DomainError|stack|\bat .*\.ts:\d+/);
      expect(Object.keys(body).sort()).toEqual(
        ['code', 'detail', 'instance', 'message', 'status', 'title', 'type'].sort(),
      );
    }
  });

  it('turns an AWS SDK client error (a 400 of DynamoDB) into a 500 INTERNAL, hiding its message', async () => {
    const sdkError = Object.assign(
      new Error('One or more parameter values were invalid: key C#320300#PERSON#abc123 is too long'),
      { name: 'ValidationException', $fault: 'client', $metadata: { httpStatusCode: 400 } },
    );
    const { response, body } = await answer(sdkError);
    expect(response.statusCode).toBe(500);
    expect(body).toMatchObject({ status: 500, code: 'INTERNAL' });
    expect(response.body).not.toMatch(/ValidationException|C#320300|parameter values|\$metadata|client/);
  });

  it('answers an unknown thrown Error with 500 INTERNAL', async () => {
    const { response, body } = await answer(
      new TypeError("Cannot read properties of undefined (reading 'PK')"),
    );
    expect(response.statusCode).toBe(500);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(body).toMatchObject({
      status: 500,
      code: 'INTERNAL',
      type: 'urn:huaihai-hpf:problem:internal',
      message: ERROR_TYPES.INTERNAL.message,
    });
    expect(response.body).not.toMatch(/TypeError|reading 'PK'|undefined/);
    // Not even a thrown string or object slips through.
    for (const odd of ['a raw string', { secret: 'C#320300#X' }, undefined]) {
      const { response: oddResponse, body: oddBody } = await answer(odd);
      expect(oddResponse.statusCode).toBe(500);
      expect(oddBody.code).toBe('INTERNAL');
      expect(oddResponse.body).not.toMatch(/raw string|C#320300/);
    }
  });
});
