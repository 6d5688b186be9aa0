/**
 * The local region's schedule: a job runs at start (a restarted region does not first wait a whole
 * interval before the sweep re-sends a lost message), and the sweep's re-send age is one local
 * interval unless set.
 */
import { afterEach, expect, it } from '@jest/globals';
import { startLocalSchedule } from '../../../infra/local/schedule.js';
import { ENV, sweepResendAfterMs } from '../../../shared/config/runtime.js';
import type { ScheduledJobDeclaration } from '../../../shared/services/declaration.js';

const job = (id: string, localIntervalSeconds?: number): ScheduledJobDeclaration => ({
  id,
  entry: 'test/support/recording-job.ts',
  scheduleUtc: { minute: '0/5', hour: '*' },
  capabilities: {},
  timeoutSeconds: 10,
  ...(localIntervalSeconds === undefined ? {} : { localIntervalSeconds }),
});

const runs = () => (globalThis as { recordedJobRuns?: string[] }).recordedJobRuns ?? [];

afterEach(() => {
  delete process.env[ENV.sweepResendAfterMs];
});

it('runs each job with a local interval once at start, not after its first interval; the others never', async () => {
  const before = runs().length;
  const schedule = await startLocalSchedule([job('loan-sweep', 3600), job('settle-interest')], (id, e) => {
    throw new Error(`${id}: ${e.message}`);
  });
  try {
    const deadline = Date.now() + 2000;
    while (runs().length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(runs().length).toBe(before + 1);
  } finally {
    schedule.stop();
  }
});

it('makes the sweep re-send what waited one local interval, unless SWEEP_RESEND_AFTER_MS is set', async () => {
  (await startLocalSchedule([job('loan-sweep', 30)], () => undefined)).stop();
  expect(sweepResendAfterMs(120_000)).toBe(30_000);
  process.env[ENV.sweepResendAfterMs] = '5000';
  (await startLocalSchedule([job('loan-sweep', 30)], () => undefined)).stop();
  expect(sweepResendAfterMs(120_000)).toBe(5000);
});

it('reads SWEEP_RESEND_AFTER_MS as a positive integer, else the default', () => {
  expect(sweepResendAfterMs(120_000)).toBe(120_000);
  process.env[ENV.sweepResendAfterMs] = '0';
  expect(() => sweepResendAfterMs(120_000)).toThrow(/positive integer/);
  process.env[ENV.sweepResendAfterMs] = '1.5';
  expect(() => sweepResendAfterMs(120_000)).toThrow(/positive integer/);
});
