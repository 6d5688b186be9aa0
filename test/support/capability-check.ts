/**
 * The suite's record of capabilities (issue 16 item 2). While the integration suite runs, the
 * local guard (shared/capabilities/guard.ts) notes every call it allowed, per function, and every
 * call it refused, in HPF_TEST_CAPABILITY_LOG; each test file notes that it ran in
 * HPF_TEST_FILES_LOG. The teardown (global-teardown.ts) then fails on any refusal, and — only when
 * every integration test file ran, unfiltered — on any declared capability no test used.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { capabilityLines } from '../../shared/services/capabilities.js';
import {
  CENTRE_WORKER,
  HTTP_HANDLERS,
  ONE_OFF_JOBS,
  SCHEDULED_JOBS,
} from '../../shared/services/declaration.js';

/** Every declared function, by id (every centre's worker is one: `centre-worker`). */
export function declaredFunctions() {
  return [...HTTP_HANDLERS, CENTRE_WORKER, ...SCHEDULED_JOBS, ...ONE_OFF_JOBS].map((f) => ({
    id: f.id,
    lines: capabilityLines(f.capabilities),
  }));
}

interface Noted {
  fn: string;
  capability?: string;
  call?: string;
  refused?: string;
}

export function readNotes(file: string | undefined): Noted[] {
  if (!file || !existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Noted);
}

/** The integration project's test files (its testMatch), relative to the root. */
export function integrationTestFiles(rootDir: string): string[] {
  return ['test/integration', 'test/e2e'].flatMap((dir) =>
    existsSync(join(rootDir, dir))
      ? readdirSync(join(rootDir, dir), { recursive: true, encoding: 'utf8' })
          .filter((f) => f.endsWith('.test.ts'))
          .map((f) => join(dir, f))
      : [],
  );
}

export interface CapabilityFindings {
  refused: string[];
  /** undefined when not every test file ran (nothing can be said about what no test used). */
  unused?: string[];
  /** function → capability → the calls (key shapes) that used it. */
  used: Record<string, Record<string, string[]>>;
  missingFiles: string[];
}

export function capabilityFindings(options: {
  rootDir: string;
  notes: Noted[];
  reportedFiles: string[];
  filtered: boolean;
}): CapabilityFindings {
  const refused = [...new Set(options.notes.flatMap((n) => (n.refused ? [`${n.fn}: ${n.refused}`] : [])))];
  const used: Record<string, Record<string, string[]>> = {};
  for (const n of options.notes) {
    if (!n.capability || !n.call) continue;
    used[n.fn] ??= {};
    const byCapability = used[n.fn] as Record<string, string[]>;
    byCapability[n.capability] ??= [];
    const calls = byCapability[n.capability] as string[];
    if (!calls.includes(n.call)) calls.push(n.call);
  }
  const reported = new Set(options.reportedFiles.map((f) => relative(options.rootDir, f)));
  const missingFiles = integrationTestFiles(options.rootDir).filter((f) => !reported.has(f));
  const complete = !options.filtered && missingFiles.length === 0;
  const unused = complete
    ? declaredFunctions().flatMap((f) =>
        f.lines.filter((line) => used[f.id]?.[line] === undefined).map((line) => `${f.id}: ${line}`),
      )
    : undefined;
  return { refused, ...(unused ? { unused } : {}), used, missingFiles };
}
