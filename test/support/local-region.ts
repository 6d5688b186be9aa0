/**
 * The local region for one integration test file: its own inboxes, the centre workers polling them
 * and the local gateway, started before the file's tests and stopped after them.
 *
 *   const region = useLocalRegion();             // every centre's worker answers
 *   const res = await region.api.request('GET', '/health');
 */
import { afterAll, beforeAll } from '@jest/globals';
import type { Pollers } from '../../infra/local/pollers.js';
import type { CityCode } from '../../shared/config/cities.js';
import { startTestGateway, type TestGateway } from './gateway.js';
import { createTestInboxes, type TestInboxes } from './region.js';

export interface LocalRegion {
  readonly api: TestGateway;
  readonly inboxes: TestInboxes;
}

/** `workers`: the centres whose worker runs (default all; a centre left out never answers). */
export function useLocalRegion(workers?: readonly CityCode[]): LocalRegion {
  const region = {} as { api: TestGateway; inboxes: TestInboxes; pollers: Pollers };
  beforeAll(async () => {
    region.inboxes = await createTestInboxes();
    region.pollers = region.inboxes.startWorkers(workers);
    region.api = await startTestGateway();
  });
  afterAll(async () => {
    await region.pollers.stop();
    await region.api.close();
    region.inboxes.sqs.destroy();
  });
  return region;
}
