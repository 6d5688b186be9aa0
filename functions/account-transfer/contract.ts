/** ACCOUNT_TRANSFER 转移接续: declared, not available yet (501). */
import * as z from 'zod/mini';
import type { HandlerContract } from '../../shared/contract/route-contract.js';

const notYet = {
  body: null,
  response: { status: 200, description: 'Never: the item answers 501 NOT_IMPLEMENTED until it opens' },
  problems: ['NOT_IMPLEMENTED'],
} as const;

export const CONTRACT = {
  'POST /v1/me/transfers': {
    summary: 'Transfer an account to another centre (转移接续), not yet',
    ...notYet,
  },
  'GET /v1/me/transfers/{id}': {
    summary: 'A transfer (转移接续), not yet',
    ...notYet,
    path: z.object({ id: z.string() }),
  },
} satisfies HandlerContract;
