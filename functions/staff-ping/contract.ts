/** POST /v1/staff/ping/{city}: a centre pings another through its inbox and waits for the pong. */
import * as z from 'zod/mini';
import { CITY_CODES } from '../../shared/config/cities.js';
import { cityCode, isoDateTime } from '../../shared/contract/answers.js';
import type { HandlerContract } from '../../shared/contract/route-contract.js';

export const PingPath = z.strictObject({ city: z.enum(CITY_CODES) });

export const CONTRACT = {
  'POST /v1/staff/ping/{city}': {
    summary: "Ping another centre's inbox and wait for its pong",
    body: null,
    path: PingPath,
    response: {
      status: 200,
      description: 'The pong and the round trip',
      schema: z.looseObject({
        from: cityCode,
        to: cityCode,
        requestId: z.string(),
        correlationId: z.string(),
        answeredAt: isoDateTime,
        roundTripMs: z.int().check(z.minimum(0)),
      }),
    },
    problems: ['CENTRE_TIMEOUT'],
  },
} satisfies HandlerContract;
