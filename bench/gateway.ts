/**
 * The local gateway's `GET /v1/me/accounts` (JWT check, the info-query handler, its DynamoDB reads)
 * against one raw DynamoDB Local GetItem of the same person's account record, both driven by
 * autocannon at the same concurrency on loopback, in turn, each bounded in time.
 */
import autocannon from 'autocannon';
import { createDevIdp } from '../infra/local/dev-idp.js';
import { createGateway } from '../infra/local/gateway.js';
import { createJwtAuthorizer } from '../infra/local/jwt-authorizer.js';
import { ACCOUNT_SK, personalAccountPartition } from '../shared/ledger/ledger.js';
import { makeDepositor } from '../test/support/depositors.js';
import { measured, resetCapacity } from './capacity.js';
import type { BenchRegion } from './region.js';
import { median } from './stats.js';

export interface LoadFigure {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
}

export interface GatewayFigures {
  connections: number;
  secondsEach: number;
  rounds: number;
  gateway: LoadFigure;
  rawGetItem: LoadFigure;
  /** gateway ÷ raw request rate; the target is ≥ 0.5. */
  rateRatio: number;
  p99Ratio: number;
  /** One request at a time: the gateway's own measure of the handler's duration, median ms. */
  sequentialDurationMs: number;
}

export const INFO_QUERY = 'INFO_QUERY: GET /v1/me/accounts';
const SEQUENTIAL = 50;

/**
 * autocannon in a worker thread of its own, for both targets: on the main thread it shared the
 * gateway's event loop (the gateway runs in this process, DynamoDB Local in another), and the
 * gateway's rate paid for the load generator too.
 */
async function load(options: autocannon.Options): Promise<autocannon.Result> {
  return autocannon({ ...options, timeout: 10, workers: 1 });
}

function sum(results: autocannon.Result[]): LoadFigure {
  const requests = results.reduce((n, r) => n + r.requests.total, 0);
  const seconds = results.reduce((n, r) => n + r.duration, 0);
  return {
    requestsPerSecond: requests / seconds,
    // autocannon's latency histogram per run; the runs are of equal length, so their mean stands for both
    p50Ms: results.reduce((n, r) => n + r.latency.p50, 0) / results.length,
    p99Ms: results.reduce((n, r) => n + r.latency.p99, 0) / results.length,
    requests,
    errors: results.reduce((n, r) => n + r.errors + r.timeouts, 0),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
  };
}

export async function gatewayFigures(
  region: BenchRegion,
  { connections, secondsEach, rounds }: { connections: number; secondsEach: number; rounds: number },
): Promise<GatewayFigures> {
  const person = await makeDepositor(['371300', '320300'], 3);
  const idp = await createDevIdp();
  const durations: number[] = [];
  let recording = false;
  const gateway = createGateway({
    authorizer: createJwtAuthorizer({ issuer: idp.issuer, audience: [idp.audience], jwks: () => idp.jwks() }),
    port: 0,
    preload: true,
    onHandlerError: () => undefined,
    onAccess: ({ durationMs }) => {
      if (recording) durations.push(durationMs);
    },
  });
  // Requests the server takes run in the context it listened in: their capacity counts as INFO_QUERY.
  const baseUrl = await measured(INFO_QUERY, () => gateway.listen());
  try {
    const token = await idp.signToken({ sub: 'bench-citizen', role: 'citizen', idNumber: person.idNumber });
    const account = String(person.accounts['371300']);
    const gatewayRequest: autocannon.Options = {
      url: `${baseUrl}/v1/me/accounts`,
      headers: { authorization: `Bearer ${token}` },
      connections,
      duration: secondsEach,
    };
    // DynamoDB Local reads the access key from the Authorization header and checks no signature.
    const rawRequest: autocannon.Options = {
      url: region.dynamo.endpoint,
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.GetItem',
        authorization:
          'AWS4-HMAC-SHA256 Credential=bench/20261201/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: JSON.stringify({
        TableName: region.tableName,
        Key: { PK: { S: personalAccountPartition('371300', account) }, SK: { S: ACCOUNT_SK } },
      }),
      connections,
      duration: secondsEach,
    };
    // Both warmed (the handler's first import, the JVM's JIT), then measured in turn.
    await load({ ...gatewayRequest, duration: 2 });
    await load({ ...rawRequest, duration: 2 });
    const viaGateway: autocannon.Result[] = [];
    const raw: autocannon.Result[] = [];
    for (let i = 0; i < rounds; i++) {
      viaGateway.push(await load(gatewayRequest));
      raw.push(await load(rawRequest));
    }
    resetCapacity(INFO_QUERY);
    recording = true;
    for (let i = 0; i < SEQUENTIAL; i++) {
      const response = await fetch(gatewayRequest.url, { headers: gatewayRequest.headers ?? {} });
      if (response.status !== 200) throw new Error(`GET /v1/me/accounts answered ${response.status}`);
      await response.arrayBuffer();
    }
    recording = false;
    const g = sum(viaGateway);
    const r = sum(raw);
    return {
      connections,
      secondsEach,
      rounds,
      gateway: g,
      rawGetItem: r,
      rateRatio: g.requestsPerSecond / r.requestsPerSecond,
      p99Ratio: g.p99Ms / r.p99Ms,
      sequentialDurationMs: median(durations),
    };
  } finally {
    await gateway.close();
  }
}
