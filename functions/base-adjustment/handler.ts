/**
 * DEPOSIT_CHANGE, the yearly base adjustment (缴存基数年度调整):
 *  POST /v1/employers/{employerAccountNo}/base-adjustments        JSON or text/csv; Idempotency-Key
 *  GET  /v1/employers/{employerAccountNo}/base-adjustments/{id}   what it set, and whether it is posted
 * All rows or none (shared/base-adjustments/adjustment.ts): 201 with every row posted as a deposit
 * change, or a 422 listing every bad row. Only the calling employer's own accounts (else 404).
 */
import {
  baseAdjustmentView,
  getBaseAdjustment,
  submitBaseAdjustment,
} from '../../shared/base-adjustments/adjustment.js';
import { baseAdjustmentFromCsv } from '../../shared/base-adjustments/csv.js';
import { BaseAdjustmentRequest } from '../../shared/base-adjustments/schema.js';
import { DomainError } from '../../shared/errors/domain-error.js';
import { byRoute, httpHandler } from '../../shared/http/handler.js';
import type { IdempotencyScope } from '../../shared/http/idempotency.js';
import { ownEmployer } from '../../shared/http/ownership.js';
import { AdjustmentPath, AdjustmentQuery, AdjustmentsPath } from './contract.js';

const adjust = httpHandler({
  role: 'employer',
  path: AdjustmentsPath,
  query: AdjustmentQuery,
  body: BaseAdjustmentRequest,
  csv: baseAdjustmentFromCsv,
  handle: async ({ path, body, caller, idempotency }) => {
    const { repository, employer } = await ownEmployer(caller, path.employerAccountNo);
    const { replayed, adjustment } = await submitBaseAdjustment(repository, {
      employer,
      request: body,
      idempotencySeed: (idempotency as IdempotencyScope).seed,
      acceptedBy: `employer:${caller.subject}`,
    });
    return {
      status: replayed ? 200 : 201,
      headers: {
        location: `/v1/employers/${path.employerAccountNo}/base-adjustments/${adjustment.adjustmentId}`,
      },
      body: baseAdjustmentView(adjustment),
    };
  },
});

const adjustmentStatus = httpHandler({
  role: 'employer',
  path: AdjustmentPath,
  handle: async ({ path, caller }) => {
    const { repository } = await ownEmployer(caller, path.employerAccountNo);
    const adjustment = await getBaseAdjustment(repository, path.id);
    if (!adjustment || adjustment.employerAccountNo !== path.employerAccountNo)
      throw new DomainError('NOT_FOUND');
    return { status: 200, body: baseAdjustmentView(adjustment) };
  },
});

export const handler = byRoute({
  'POST /v1/employers/{employerAccountNo}/base-adjustments': adjust,
  'GET /v1/employers/{employerAccountNo}/base-adjustments/{id}': adjustmentStatus,
});
