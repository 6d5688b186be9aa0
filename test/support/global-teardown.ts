/**
 * Jest globalTeardown of the `integration` project: fails the run on any answer that contradicted
 * the OpenAPI document (test/support/contract-check.ts), on any call outside a function's declared
 * capabilities and, when every test file ran, on any declared capability no test used
 * (test/support/capability-check.ts), and on any clear ID number or bank account number the whole
 * suite left in the test table, then stops what global-setup.ts started. The browser project uses
 * the same setup and teardown: whichever teardown runs first checks and stops, the other finds
 * nothing left to do.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';
import type { TestEmulators } from './global-setup.js';

type ScanModule = typeof import('./clear-data-scan.js');
type CapabilityModule = typeof import('./capability-check.js');

/** The capability findings as an error message, or undefined; HPF_CAPABILITY_REPORT gets what was used. */
async function capabilityProblems(globalConfig: { rootDir: string; testNamePattern?: string }) {
  const { capabilityFindings, readNotes } = (await tsImport(
    './capability-check.ts',
    import.meta.url,
  )) as CapabilityModule;
  const capabilityLog = process.env.HPF_TEST_CAPABILITY_LOG;
  const filesLog = process.env.HPF_TEST_FILES_LOG;
  const findings = capabilityFindings({
    rootDir: globalConfig.rootDir,
    notes: readNotes(capabilityLog),
    reportedFiles:
      filesLog && existsSync(filesLog) ? readFileSync(filesLog, 'utf8').split('\n').filter(Boolean) : [],
    filtered: Boolean(globalConfig.testNamePattern),
  });
  for (const file of [capabilityLog, filesLog]) if (file) rmSync(file, { force: true });
  const report = process.env.HPF_CAPABILITY_REPORT;
  if (report) writeFileSync(report, JSON.stringify(findings, null, 2));
  const problems: string[] = [];
  if (findings.refused.length > 0)
    problems.push(
      `${findings.refused.length} call(s) outside the calling function's declared capabilities:\n${findings.refused
        .map((r) => `  ${r}`)
        .join('\n')}`,
    );
  if (findings.unused && findings.unused.length > 0)
    problems.push(
      `${findings.unused.length} declared capabilit(ies) no test used (remove them, or test them):\n${findings.unused
        .map((u) => `  ${u}`)
        .join('\n')}`,
    );
  return problems.length > 0 ? problems.join('\n') : undefined;
}

export default async function globalTeardown(globalConfig: {
  rootDir: string;
  testNamePattern?: string;
}): Promise<void> {
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
    const capabilities = await capabilityProblems(globalConfig);
    if (capabilities) throw new Error(capabilities);
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
