/**
 * Jest globalTeardown of the `integration` project: scans the test table for clear ID numbers and
 * bank account numbers that the whole suite left behind (failing the run if any), then stops what
 * global-setup.ts started.
 */
import { tsImport } from 'tsx/esm/api';
import type { TestEmulators } from './global-setup.js';

type ScanModule = typeof import('./clear-data-scan.js');

export default async function globalTeardown(): Promise<void> {
  const emulators: TestEmulators | undefined = globalThis.__HPF_TEST_EMULATORS__;
  globalThis.__HPF_TEST_EMULATORS__ = undefined;
  if (!emulators) return;
  try {
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
