/**
 * Every function with an idempotent route runs the one Idempotency-Key boundary
 * (shared/http/idempotency.ts) for each of them: claim (PutItem), replay (GetItem), complete
 * (UpdateItem), give back on failure (DeleteItem), all on `R#IDEMKEY#`. Run here as each such
 * declared function, so the capability guard proves its declaration allows the whole boundary
 * (the routes' own tests rarely reach the replay and the give-back of every function).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { CapabilityError, runAsFunction } from '../../shared/capabilities/guard.js';
import { claimKey, completeKey, idempotencyScope, releaseKey } from '../../shared/http/idempotency.js';
import { HTTP_HANDLERS } from '../../shared/services/declaration.js';

const withIdempotentRoutes = HTTP_HANDLERS.filter((h) => h.routes.some((r) => r.idempotent));

describe('the Idempotency-Key boundary as each function with an idempotent route', () => {
  it.each(withIdempotentRoutes.map((h) => [h.id, h] as const))(
    '%s: claim, replay, complete, give back',
    async (_id, handler) => {
      const route = handler.routes.find((r) => r.idempotent) as (typeof handler.routes)[number];
      const now = new Date();
      await runAsFunction({ id: handler.id, capabilities: handler.capabilities }, async () => {
        const answered = idempotencyScope(`sub-${randomUUID()}`, route, randomUUID(), { n: 1 });
        expect(await claimKey(answered, now)).toBeUndefined();
        const response = { status: 201, body: { ok: true } };
        await completeKey(answered, response);
        // the same key and body again: the stored answer, read back
        expect(await claimKey(answered, now)).toEqual(response);

        const failed = idempotencyScope(`sub-${randomUUID()}`, route, randomUUID(), { n: 2 });
        expect(await claimKey(failed, now)).toBeUndefined();
        await releaseKey(failed);
        // given back: the client may send it again as it is
        expect(await claimKey(failed, now)).toBeUndefined();
      });
    },
  );

  it('is refused to a function without an idempotent route (employer-open), naming it', async () => {
    const employerOpen = HTTP_HANDLERS.find((h) => h.id === 'employer-open');
    if (!employerOpen) throw new Error('no employer-open');
    const scope = idempotencyScope('sub', { method: 'POST', path: '/v1/employers' }, randomUUID(), {});
    // A refusal provoked on purpose stays out of the suite's record, whose teardown fails on any refusal.
    const record = process.env.HPF_TEST_CAPABILITY_LOG;
    delete process.env.HPF_TEST_CAPABILITY_LOG;
    try {
      const claim = runAsFunction({ id: employerOpen.id, capabilities: employerOpen.capabilities }, () =>
        claimKey(scope, new Date()),
      );
      await expect(claim).rejects.toThrow(CapabilityError);
      await expect(claim).rejects.toThrow('employer-open may not make dynamodb PutItem R#IDEMKEY#');
    } finally {
      if (record !== undefined) process.env.HPF_TEST_CAPABILITY_LOG = record;
    }
  });
});
