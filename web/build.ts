/** Placeholder until the portal lands (branch portal): writes an entry page only. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function buildPortalSync(outDir: string): { files: string[]; bytes: number } {
  mkdirSync(outDir, { recursive: true });
  const html = '<!doctype html><meta charset="utf-8"><title>淮海经济区住房公积金</title>';
  writeFileSync(join(outDir, 'index.html'), html);
  return { files: ['index.html'], bytes: html.length };
}
