/**
 * Builds the portal: one minified ESM bundle and one stylesheet with content-hashed names, and an
 * index.html naming them. The runtime settings are not in the bundle: the portal fetches
 * /config.json (the hosting writes it: the local gateway, CloudFront's bucket in AWS).
 *
 *   npm run build:web              writes web/dist/
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';

const WEB_DIR = dirname(fileURLToPath(import.meta.url));
export const PORTAL_DIST_DIR = join(WEB_DIR, 'dist');

const hashOf = (content: Uint8Array | string) =>
  createHash('sha256').update(content).digest('hex').slice(0, 10);

export function buildPortalSync(outDir: string): { files: string[]; bytes: number } {
  const result = buildSync({
    entryPoints: [join(WEB_DIR, 'src', 'main.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022', 'chrome111', 'safari16'],
    platform: 'browser',
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
    outfile: 'main.js',
  });
  const script = result.outputFiles[0]?.contents;
  if (!script) throw new Error('esbuild produced no bundle');
  const css = buildSync({
    entryPoints: [join(WEB_DIR, 'src', 'styles.css')],
    bundle: true,
    minify: true,
    write: false,
    logLevel: 'silent',
    outfile: 'styles.css',
  }).outputFiles[0]?.contents;
  if (!css) throw new Error('esbuild produced no stylesheet');
  const scriptName = `main-${hashOf(script)}.js`;
  const cssName = `styles-${hashOf(css)}.css`;
  const index = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>淮海经济区住房公积金 · Huaihai HPF</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/${cssName}">
<script type="module" src="/${scriptName}"></script>
</head>
<body><div id="app"><p>加载中… Loading…</p></div>
<noscript>本网站需要启用 JavaScript。This site needs JavaScript.</noscript></body>
</html>
`;
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const files: [string, Uint8Array | string][] = [
    [scriptName, script],
    [cssName, css],
    ['index.html', index],
  ];
  let bytes = 0;
  for (const [name, content] of files) {
    writeFileSync(join(outDir, name), content);
    bytes += typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  }
  return { files: files.map(([name]) => name), bytes };
}

/** The bundle's size as served compressed (what a phone downloads). */
export function gzipBytes(dir: string, files: readonly string[]): number {
  return files.reduce((sum, name) => sum + gzipSync(readFileSync(join(dir, name))).length, 0);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const outDir = process.argv[2] ? resolve(process.argv[2]) : PORTAL_DIST_DIR;
  const started = performance.now();
  const { files, bytes } = buildPortalSync(outDir);
  console.log(
    `portal built in ${Math.round(performance.now() - started)} ms: ${files.join(', ')} ` +
      `(${bytes} bytes, ${gzipBytes(outDir, files)} gzip) in ${outDir}`,
  );
}
