/**
 * The local region's consumers of the job work queues, with Lambda's SQS semantics (pollers.ts):
 * `workers` pollers per queue stand in for the event source's concurrent invocations, each taking
 * the declared batch and timeout, the same job function as AWS runs.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { SCHEDULED_JOBS } from '../../shared/services/declaration.js';
import {
  type BatchOutcome,
  type PollerQueue,
  type Pollers,
  type SqsWorker,
  startConcurrentPollers,
} from './pollers.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function importJobFunction(entry: string): Promise<SqsWorker> {
  const module = (await import(pathToFileURL(join(REPO_ROOT, entry)).href)) as { handler?: unknown };
  if (typeof module.handler !== 'function') throw new Error(`${entry} does not export handler`);
  return module.handler as SqsWorker;
}

export async function startJobPollers(options: {
  sqsClient: SQSClient;
  queues: Readonly<Record<string, PollerQueue>>;
  /** Concurrent pollers per queue (the event source's maximum concurrency, scaled to one machine). */
  workers?: number;
  /** Another function for a job (tests: a small chunk, an injected fault). */
  functionOf?: (jobId: string) => SqsWorker | undefined;
  onBatch?: (outcome: BatchOutcome<string>) => void;
  onPollError?: (jobId: string, error: unknown) => void;
}): Promise<Pollers> {
  const all: Pollers[] = [];
  for (const job of SCHEDULED_JOBS) {
    const queue = options.queues[job.id];
    if (!job.fanOut || !queue) continue;
    const fn = options.functionOf?.(job.id) ?? (await importJobFunction(job.entry));
    all.push(
      startConcurrentPollers<string>(
        {
          sqsClient: options.sqsClient,
          queues: { [job.id]: queue },
          createWorker: () => fn,
          batchSize: job.fanOut.batchSize,
          batchingWindowMs: 0,
          timeoutSeconds: job.timeoutSeconds,
          functionNameOf: (id) => `hpf-local-${id}`,
          memoryMb: 512,
          identityOf: () => ({ id: job.id, capabilities: job.capabilities }),
          ...(options.onBatch ? { onBatch: options.onBatch } : {}),
          ...(options.onPollError ? { onPollError: options.onPollError } : {}),
        },
        options.workers ?? 2,
      ),
    );
  }
  return { stop: async () => void (await Promise.all(all.map((p) => p.stop()))) };
}
