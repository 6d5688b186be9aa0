/**
 * Runs a declared job (scheduled or one-off) in this process as its Lambda would run: its handler
 * module, a Lambda context, and as the declared function, so the capability guard checks every
 * call it makes (shared/capabilities/guard.ts).
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runAsFunction } from '../../shared/capabilities/guard.js';
import type { Capabilities } from '../../shared/services/capabilities.js';
import { localLambdaContext } from './lambda-context.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface RunnableJob {
  id: string;
  entry: string;
  capabilities: Capabilities;
  timeoutSeconds: number;
}

type JobHandler = (event: unknown, context: unknown) => Promise<unknown>;

export async function runJob(job: RunnableJob, event: unknown = {}): Promise<unknown> {
  const module = (await import(pathToFileURL(join(REPO_ROOT, job.entry)).href)) as { handler: JobHandler };
  const context = localLambdaContext({
    functionName: `hpf-local-${job.id}`,
    region: process.env.AWS_REGION ?? 'us-east-1',
    memoryMb: 512,
    deadline: Date.now() + job.timeoutSeconds * 1000,
  });
  return runAsFunction({ id: job.id, capabilities: job.capabilities }, () => module.handler(event, context));
}
