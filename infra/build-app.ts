/**
 * Builds the CDK app: four stacks (stateful, API, workers, ops) from the service declaration, with
 * cdk-nag's AWS Solutions checks attached. `infra/app.ts` (the CLI entry) and the infra tests both
 * call this, so what the tests check is what `cdk synth` produces.
 */
import { App, CrossStackReferences, type Environment, ReferenceStrength, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CITY_CODES } from '../shared/config/cities.js';
import type { HandlerDeclaration, ScheduledJobDeclaration } from '../shared/services/declaration.js';
import { type HubConfig, isChinaRegion, readConfig } from './config.js';
import type { HpfFunction } from './constructs/hpf-function.js';
import { ApiStack } from './stacks/api-stack.js';
import { OpsStack } from './stacks/ops-stack.js';
import { StatefulStack } from './stacks/stateful-stack.js';
import { WorkersStack } from './stacks/workers-stack.js';

export interface BuildAppOptions {
  /** An existing app (the CLI's context is loaded into `new App()`); otherwise one is created. */
  app?: App;
  /** Context for a new app (tests): the `hpf:*` keys, as in cdk.json. */
  context?: Record<string, unknown>;
  /** Output directory of a new app. */
  outdir?: string;
  /** Attach cdk-nag's AwsSolutionsChecks (default true). */
  nag?: boolean;
  /** Override the declarations (tests). */
  handlers?: readonly HandlerDeclaration[];
  scheduledJobs?: readonly ScheduledJobDeclaration[];
  /** The built portal to deploy; default: built now from web/ into cdk.out. */
  portalAssetDir?: string;
}

export interface HubApp {
  app: App;
  config: HubConfig;
  stateful: StatefulStack;
  api: ApiStack;
  workers: WorkersStack;
  ops: OpsStack;
  /** cdk-nag pack attached to the app (undefined when `nag: false`). */
  nag?: AwsSolutionsChecks;
}

export function buildApp(options: BuildAppOptions = {}): HubApp {
  const app =
    options.app ??
    new App({
      ...(options.context === undefined ? {} : { context: options.context }),
      ...(options.outdir === undefined ? {} : { outdir: options.outdir }),
    });
  const config = readConfig(app);
  // Strong references (Fn::ImportValue) unless the context chooses otherwise: CloudFormation then
  // refuses to delete the stateful stack's outputs while the API, workers or ops stacks use them.
  if (app.node.tryGetContext('@aws-cdk/core:defaultCrossStackReferences') === undefined) {
    CrossStackReferences.of(app).consume(ReferenceStrength.STRONG);
  }

  // Environment-agnostic unless a region is given; a China region makes the partition aws-cn.
  const env: Environment | undefined =
    config.region === undefined
      ? undefined
      : { region: config.region, ...(config.account === undefined ? {} : { account: config.account }) };
  const common = { ...(env === undefined ? {} : { env }), tags: { project: 'huaihai-hpf-hub' } };

  const stateful = new StatefulStack(app, 'HpfStateful', {
    ...common,
    description: 'Huaihai HPF Hub: table, keys, centre inboxes',
    prefix: config.prefix,
    idHmacSecretName: config.idHmacSecretName,
  });
  const api = new ApiStack(app, 'HpfApi', {
    ...common,
    description: 'Huaihai HPF Hub: HTTP API and its handlers',
    prefix: config.prefix,
    table: stateful.table,
    tableKey: stateful.tableKey,
    bankAccountKey: stateful.bankAccountKey,
    queues: stateful.queues,
    idHmacSecret: stateful.idHmacSecret,
    jwtIssuer: config.jwtIssuer,
    jwtAudience: config.jwtAudience,
    allowedOrigins: config.allowedOrigins,
    logRetention: config.logRetention,
    portal: config.portal,
    china: isChinaRegion(config.region),
    ...(options.portalAssetDir === undefined ? {} : { portalAssetDir: options.portalAssetDir }),
    ...(config.publicBaseUrl === undefined ? {} : { publicBaseUrl: config.publicBaseUrl }),
    ...(options.handlers === undefined ? {} : { handlers: options.handlers }),
  });
  const workers = new WorkersStack(app, 'HpfWorkers', {
    ...common,
    description: 'Huaihai HPF Hub: centre workers and scheduled jobs',
    prefix: config.prefix,
    table: stateful.table,
    tableKey: stateful.tableKey,
    queues: stateful.queues,
    idHmacSecret: stateful.idHmacSecret,
    bankAccountKey: stateful.bankAccountKey,
    logRetention: config.logRetention,
    ...(options.scheduledJobs === undefined ? {} : { scheduledJobs: options.scheduledJobs }),
  });

  const functions = new Map<string, HpfFunction>();
  for (const [id, fn] of api.functions) functions.set(id, fn);
  for (const city of CITY_CODES) functions.set(`centre-worker-${city}`, workers.workers[city]);
  for (const [id, fn] of workers.jobs) functions.set(id, fn);
  const ops = new OpsStack(app, 'HpfOps', {
    ...common,
    description: 'Huaihai HPF Hub: alarms and dashboard',
    prefix: config.prefix,
    queues: stateful.queues,
    jobQueues: workers.jobQueues,
    functions,
    api: api.api,
  });

  let nag: AwsSolutionsChecks | undefined;
  if (options.nag ?? true) {
    nag = new AwsSolutionsChecks(app);
    Validations.of(app).addPlugins(nag);
  }
  return { app, config, stateful, api, workers, ops, ...(nag === undefined ? {} : { nag }) };
}
