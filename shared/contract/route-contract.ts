/**
 * What a route accepts and answers, for the OpenAPI document (契约): each handler folder has a
 * `contract.ts` beside its `handler.ts` exporting `CONTRACT`, keyed by route key, with the same zod
 * schemas the handler validates with. Contract modules hold schemas only: the document generator
 * (infra/openapi/) imports them without loading a handler, so no AWS client, table or queue.
 */
import type * as z from 'zod/mini';
import type { ErrorCode } from '../errors/domain-error.js';

type Schema = z.ZodMiniType;

export interface SuccessResponse {
  status: 200 | 201 | 202 | 204;
  description: string;
  /** The JSON body, its members listed (test/unit/contract/responses.test.ts); omitted only for 204. */
  schema?: Schema;
  /** Other representations of the same answer (e.g. `text/csv` for the audit trail). */
  alsoAs?: readonly string[];
}

export interface RouteContract {
  /** One line in English with the Chinese term of the service item. */
  summary: string;
  /** The JSON request body, or `null` for a route that takes none. */
  body: Schema | null;
  /** Other media types the same body is accepted as (e.g. `text/csv`), documented as text. */
  bodyAlsoAs?: readonly string[];
  path?: Schema;
  query?: Schema;
  response: SuccessResponse;
  /** Other answers that are not problems (e.g. /health's 503, which names what is unreachable). */
  otherResponses?: readonly { status: number; description: string; schema: Schema }[];
  /** Refusals particular to the route; the boundary's own (validation, auth, idempotency) are added by the generator. */
  problems?: readonly ErrorCode[];
}

/** A handler's routes by route key (`METHOD /path` as declared in shared/services/declaration.ts). */
export type HandlerContract = Readonly<Record<string, RouteContract>>;

// The answer pieces live in answers.ts; these three are re-exported for the contracts that name them here.
export { applicationAnswer, personalAccountNo, recordId } from './answers.js';
