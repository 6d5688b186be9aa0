/**
 * Each declared function bundled as CDK bundles it (esbuild, ESM, minified, node24, the AWS SDK left
 * to the runtime), beside a floor: a handler that imports only the same AWS SDK packages. Both are
 * imported cold in a fresh Node process, in turn (handler, floor, handler, floor …), so a figure is
 * the difference measured side by side. The SDK resolves from the repository's node_modules, as the
 * Lambda runtime provides it.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { REPO_ROOT } from '../infra/local/gateway.js';
import { CENTRE_WORKER, HTTP_HANDLERS, SCHEDULED_JOBS } from '../shared/services/declaration.js';
import { median } from './stats.js';

const run = promisify(execFile);

export interface BundleFigure {
  id: string;
  bundleKiB: number;
  sdkPackages: string[];
  floorKiB: number;
  /** Median cold import, CPU ms. */
  importMs: number;
  floorImportMs: number;
  /** importMs − floorImportMs, the target being ≤ 20 ms. */
  overFloorMs: number;
  ratio: number;
}

async function bundle(entry: string, outfile: string) {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    write: true,
    metafile: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    minify: true,
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*'],
    banner: {
      js: "import { createRequire as __hpfCreateRequire } from 'node:module';const require = __hpfCreateRequire(import.meta.url);",
    },
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs)[0];
  const sdk = new Set(
    (output?.imports ?? [])
      .filter((i) => i.external && i.path.startsWith('@aws-sdk/'))
      .map((i) => i.path.split('/').slice(0, 2).join('/')),
  );
  return { bytes: output?.bytes ?? 0, sdkPackages: [...sdk].sort() };
}

/**
 * A cold import in a fresh process, what Lambda's init does before the first event: the CPU time it
 * took (user + system), which a machine shared with others disturbs far less than the wall time.
 */
async function coldImportMs(file: string): Promise<number> {
  const script = `const c = process.cpuUsage(); await import(${JSON.stringify(pathToFileURL(file).href)}); const d = process.cpuUsage(c); console.log((d.user + d.system) / 1000);`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'us-east-1',
      TABLE_NAME: 'bench',
      INBOX_QUEUE_URLS: '{}',
      CENTRE_CITY: '320300',
      POWERTOOLS_SERVICE_NAME: 'bench',
    },
    timeout: 30_000,
  });
  return Number(stdout.trim());
}

export async function bundleFigures(runs: number): Promise<BundleFigure[]> {
  const out = join(REPO_ROOT, '.bench');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const entries = [
    ...HTTP_HANDLERS.map((h) => [h.id, h.entry] as const),
    [CENTRE_WORKER.id, CENTRE_WORKER.entry] as const,
    ...SCHEDULED_JOBS.map((j) => [j.id, j.entry] as const),
  ];
  const figures: BundleFigure[] = [];
  try {
    for (const [id, entry] of entries) {
      const handlerFile = join(out, id, 'index.mjs');
      const built = await bundle(join(REPO_ROOT, entry), handlerFile);
      const floorEntry = join(out, id, 'floor.mjs');
      writeFileSync(
        floorEntry,
        `${built.sdkPackages.map((p) => `import * as m${p.replace(/\W/g, '_')} from '${p}';`).join('\n')}
export const handler = async () => [${built.sdkPackages.map((p) => `m${p.replace(/\W/g, '_')}`).join(', ')}].length;\n`,
      );
      const floorFile = join(out, id, 'floor-bundle.mjs');
      const floor = await bundle(floorEntry, floorFile);
      const handlerMs: number[] = [];
      const floorMs: number[] = [];
      for (let i = 0; i < runs; i++) {
        handlerMs.push(await coldImportMs(handlerFile));
        floorMs.push(await coldImportMs(floorFile));
      }
      const importMs = median(handlerMs);
      const floorImportMs = median(floorMs);
      figures.push({
        id,
        bundleKiB: built.bytes / 1024,
        sdkPackages: built.sdkPackages,
        floorKiB: floor.bytes / 1024,
        importMs,
        floorImportMs,
        overFloorMs: importMs - floorImportMs,
        ratio: importMs / floorImportMs,
      });
      console.log(
        `  ${id.padEnd(22)} ${(built.bytes / 1024).toFixed(1).padStart(7)} KiB  import ${importMs.toFixed(1)} ms, floor ${floorImportMs.toFixed(1)} ms`,
      );
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return figures;
}
