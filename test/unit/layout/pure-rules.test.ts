/**
 * Pure rule files import nothing from AWS (DESIGN.md §4 "Layout by feature"): the rules of every
 * item, the calendar, money, identity numbers and the error catalogue can be read, tested and
 * re-explained without a table, a queue or a Lambda. Followed through every import they make.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';

const ROOT = path.resolve(import.meta.dirname, '../../..');

const PURE_FOLDERS = ['shared/rules', 'shared/calendar', 'shared/money'];
const PURE_FILES = [
  'shared/deposits/rules.ts',
  'shared/withdrawals/rules.ts',
  'shared/withdrawals/consumption.ts',
  'shared/withdrawals/retirement.ts',
  'shared/withdrawals/edge-checks.ts',
  'shared/loans/decision-rule.ts',
  'shared/loans/schedule.ts',
  'shared/loans/property-price.ts',
  'shared/property/record-rule.ts',
  'shared/transfers/saga.ts',
  'shared/enforcement/rules.ts',
  'shared/enforcement/risk-rules.ts',
  'shared/identity/id-number.ts',
  'shared/identity/uscc.ts',
  'shared/identity/mask.ts',
  'shared/errors/domain-error.ts',
  'shared/config/cities.ts',
  'shared/catalogue/catalogue.ts',
  'shared/services/capabilities.ts',
];
/** Packages that mean AWS: the SDK, Powertools, Lambda's types. */
const AWS = /^(@aws-sdk\/|@aws-lambda-powertools\/|aws-lambda$|aws-cdk-lib|@smithy\/)/;
/** Project folders that talk to AWS. */
const IMPURE_FOLDERS = ['shared/persistence/', 'shared/messaging/', 'shared/http/', 'shared/observability/'];

function pureFiles(): string[] {
  const inFolders = PURE_FOLDERS.flatMap((folder) =>
    readdirSync(path.join(ROOT, folder))
      .filter((name) => name.endsWith('.ts'))
      .map((name) => `${folder}/${name}`),
  );
  return [...inFolders, ...PURE_FILES];
}

function importsOf(file: string): string[] {
  const source = readFileSync(path.join(ROOT, file), 'utf8');
  // `import … from 'x'`, `export … from 'x'`, and a bare `import 'x'`.
  return [...source.matchAll(/^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)].map(
    (m) => m[1] as string,
  );
}

/** Every module a file reaches through its imports, with the chain that reaches it. */
function reach(start: string): Map<string, string[]> {
  const seen = new Map<string, string[]>([[start, [start]]]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    for (const specifier of importsOf(file)) {
      const chain = [...(seen.get(file) ?? []), specifier];
      if (!specifier.startsWith('.')) {
        if (!seen.has(specifier)) seen.set(specifier, chain);
        continue;
      }
      const target = path
        .relative(ROOT, path.resolve(ROOT, path.dirname(file), specifier))
        .replace(/\.js$/, '.ts');
      if (seen.has(target)) continue;
      seen.set(target, chain);
      queue.push(target);
    }
  }
  return seen;
}

describe('pure rule files', () => {
  it.each(pureFiles())('%s reaches nothing of AWS', (file) => {
    const offending = [...reach(file)].filter(
      ([module]) => AWS.test(module) || IMPURE_FOLDERS.some((folder) => module.startsWith(folder)),
    );
    expect(offending.map(([, chain]) => chain.join(' → '))).toEqual([]);
  });

  it('the list covers the rules of every feature folder', () => {
    const rules = readdirSync(path.join(ROOT, 'shared'), { recursive: true, encoding: 'utf8' })
      .filter((name) => /(^|\/)rules\.ts$/.test(name))
      .map((name) => `shared/${name}`);
    expect(rules.filter((file) => !pureFiles().includes(file))).toEqual([]);
  });
});
