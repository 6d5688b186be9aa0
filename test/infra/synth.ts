/**
 * Synthesises the real CDK app (the one `cdk synth` builds) for the infra tests, once per test file
 * in `beforeAll`. Bundling every function with esbuild was most of the time, so only the entries a
 * test inspects are bundled (`bundle`); the others get a stand-in code (context `hpf:bundle`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PolicyViolation } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type BuildAppOptions, buildApp, type HubApp } from '../../infra/build-app.js';
import { CONTEXT_KEYS } from '../../infra/config.js';
import { REPO_ROOT } from '../../infra/constructs/hpf-function.js';

export type StackName = 'stateful' | 'api' | 'workers' | 'ops';
export const STACK_NAMES: readonly StackName[] = ['stateful', 'api', 'workers', 'ops'];

export interface Synthesised {
  hub: HubApp;
  templates: Record<StackName, Template>;
  /** The templates as CloudFormation JSON. */
  json: Record<StackName, Record<string, unknown>>;
  /** cdk-nag AwsSolutions findings that no acknowledgement covers (errors and warnings). */
  nagViolations: PolicyViolation[];
  outdir: string;
  cleanup(): void;
}

/** The `context` of cdk.json: the same settings the CLI uses. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

export function synthesise(
  extraContext: Record<string, unknown> = {},
  options: BuildAppOptions & { bundle?: readonly string[] } = {},
): Synthesised {
  const outdir = mkdtempSync(join(tmpdir(), 'hpf-cdk-'));
  const { bundle = [], ...appOptions } = options;
  const hub = buildApp({
    ...appOptions,
    outdir,
    context: { ...cdkJsonContext(), [CONTEXT_KEYS.bundle]: bundle, ...extraContext },
  });
  // Synthesising runs the validation plugins: an unacknowledged cdk-nag error makes this throw.
  const templates: Record<StackName, Template> = {
    stateful: Template.fromStack(hub.stateful),
    api: Template.fromStack(hub.api),
    workers: Template.fromStack(hub.workers),
    ops: Template.fromStack(hub.ops),
  };
  const json = Object.fromEntries(STACK_NAMES.map((name) => [name, templates[name].toJSON()])) as Record<
    StackName,
    Record<string, unknown>
  >;
  // cdk-nag 3 reports through CDK's policy validation (not Annotations); re-run the pack on the
  // synthesised tree to see warnings as well as errors.
  const nagViolations = hub.nag === undefined ? [] : [...hub.nag.validateScope(hub.app).violations];
  return {
    hub,
    templates,
    json,
    nagViolations,
    outdir,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

export type Resource = { Type: string; Properties?: Record<string, unknown>; [key: string]: unknown };

/** CloudFormation JSON, navigated freely by the assertions. */
// biome-ignore lint/suspicious/noExplicitAny: template JSON has no static shape; the tests check it.
export type CfnJson = any;

/** The Properties of a resource (failing clearly when the resource is missing). */
export function propsOf(resource: Resource | undefined): CfnJson {
  if (resource?.Properties === undefined) throw new Error('resource or its Properties missing');
  return resource.Properties;
}

/** Resources of one type in a template, by logical id. */
export function resourcesOfType(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

export interface PolicyStatementJson {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  Principal?: unknown;
}

export function actionsOf(statement: PolicyStatementJson): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}
