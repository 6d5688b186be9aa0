/**
 * ACCOUNT_TRANSFER 转移接续: not available yet. Its routes exist so that clients and the catalogue
 * agree, and answer 501 problem+json rather than a bare 404.
 */
import { byRoute, httpHandler } from '../../shared/http/handler.js';
import { HttpProblem } from '../../shared/http/problem.js';

const notYet = httpHandler({
  handle: async () => {
    throw HttpProblem.of('NOT_IMPLEMENTED', {
      detail: 'ACCOUNT_TRANSFER (转移接续) is not available yet: see GET /v1/services/ACCOUNT_TRANSFER.',
      itemCode: 'ACCOUNT_TRANSFER',
    });
  },
});

export const handler = byRoute({ 'POST /v1/me/transfers': notYet, 'GET /v1/me/transfers/{id}': notYet });
