/**
 * ACCOUNT_TRANSFER 转移接续: not available yet. Its routes exist so that clients and the catalogue
 * agree, and answer 501 problem+json rather than a bare 404.
 */

import { DomainError } from '../../shared/errors/domain-error.js';
import { byRoute, httpHandler } from '../../shared/http/handler.js';

const notYet = httpHandler({
  handle: async () => {
    throw new DomainError('NOT_IMPLEMENTED', {
      detail: 'ACCOUNT_TRANSFER (转移接续) is not available yet: see GET /v1/services/ACCOUNT_TRANSFER.',
      itemCode: 'ACCOUNT_TRANSFER',
    });
  },
});

export const handler = byRoute({ 'POST /v1/me/transfers': notYet, 'GET /v1/me/transfers/{id}': notYet });
