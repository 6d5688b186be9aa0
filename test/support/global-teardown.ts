/**
 * Jest globalTeardown of the `integration` project: fails the run on any answer that contradicted
 * the OpenAPI document (test/support/contract-check.ts) and on any clear ID number or bank account
 * number the whole suite left in the test table, then stops what global-setup.ts started.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';
import type { TestEmulators } from './global-setup.js';

type ScanModule = typeof import('./clear-data-scan.js');

export default async function globalTeardown(): Promise<void> {
  const emulators: TestEmulators | undefined = globalThis.__HPF_TEST_EMULATORS__;
  globalThis.__HPF_TEST_EMULATORS__ = undefined;
  if (!emulators) return;
  try {
    const log = process.env.HPF_TEST_CONTRACT_LOG;
    const violations =
      log && existsSync(log) ? [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))] : [];
    if (log) rmSync(log, { force: true });
    if (violations.length > 0) {
      throw new Error(
        `${violations.length} answer(s) contradict the OpenAPI document:\n${violations
          .slice(0, 30)
          .map((v) => `  ${v}`)
          .join('\n')}`,
      );
    }
    const { scanForClearData } = (await tsImport('./clear-data-scan.ts', import.meta.url)) as ScanModule;
    const findings = await scanForClearData(process.env.TABLE_NAME as string);
    if (findings.length > 0) {
      // Where, never the value.
      const lines = findings.slice(0, 20).map((f) => `  ${f.what} at ${f.PK} / ${f.SK} ${f.path}`);
      throw new Error(
        `the integration suite left ${findings.length} clear value(s) in the table:\n${lines.join('\n')}`,
      );
    }
  } finally {
    await Promise.allSettled([emulators.sqs?.stop(), emulators.dynamo?.stop()]);
  }
}
