/**
 * What a deployed bundle carries (issue 17, cold import): every declared function bundled as CDK
 * bundles it (esbuild, ESM, the AWS SDK left to the runtime) reaches neither the local capability
 * guard (shared/capabilities/guard.ts, which reads the whole declaration for queue names; IAM is
 * the guard in AWS) nor anything of the local region (infra/).
 */
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { build } from 'esbuild';
import { CENTRE_WORKER, HTTP_HANDLERS, SCHEDULED_JOBS } from '../../../shared/services/declaration.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const ENTRIES = [
  ...HTTP_HANDLERS.map((h) => [h.id, h.entry] as const),
  [CENTRE_WORKER.id, CENTRE_WORKER.entry] as const,
  ...SCHEDULED_JOBS.map((j) => [j.id, j.entry] as const),
];

async function bundledInputs(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [path.join(ROOT, entry)],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*'],
    outfile: 'out.mjs',
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs).map((input) =>
    path.relative(ROOT, path.resolve(process.cwd(), input)),
  );
}

describe('deployed bundles', () => {
  it.each(ENTRIES)('%s carries neither the local guard nor the local region', async (_id, entry) => {
    const inputs = await bundledInputs(entry);
    expect(inputs).toContain('shared/capabilities/seam.ts');
    expect(
      inputs.filter((input) => input === 'shared/capabilities/guard.ts' || input.startsWith('infra/')),
    ).toEqual([]);
  });
});
