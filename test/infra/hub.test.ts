/**
 * The synthesised CloudFormation of the hub (standard `aws` partition, environment-agnostic, the
 * context of cdk.json): what DESIGN.md §4–§6 promise, checked on the templates.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CONTEXT_KEYS } from '../../infra/config.js';
import { HpfFunction } from '../../infra/constructs/hpf-function.js';
import { TABLE_KEY_READ_ACTIONS, TABLE_KEY_WRITE_ACTIONS } from '../../infra/constructs/wiring.js';
import { openApiDocument } from '../../infra/openapi/document.js';
import { certificateKey } from '../../shared/certificates/records.js';
import { CITY_CODES, type CityCode } from '../../shared/config/cities.js';
import {
  centrePrefix,
  GSI1,
  regionalKey,
  TABLE_KEYS,
  TTL_ATTRIBUTE,
} from '../../shared/persistence/table.js';
import {
  ALL_ITEM_ACTIONS,
  type Capabilities,
  grantKeys,
  usesBankAccountKey,
  usesInboxes,
  usesTable,
} from '../../shared/services/capabilities.js';
import {
  CENTRE_WORKER,
  deadLetterQueueName,
  HTTP_HANDLERS,
  INBOX_MAX_RECEIVE_COUNT,
  inboxQueueName,
  jobDeadLetterQueueName,
  jobQueueName,
  ONE_OFF_JOBS,
  routeKey,
  SCHEDULED_JOBS,
} from '../../shared/services/declaration.js';
import {
  actionsOf,
  cdkJsonContext,
  type PolicyStatementJson,
  propsOf,
  type Resource,
  resourcesOfType,
  STACK_NAMES,
  type Synthesised,
  synthesise,
} from './synth.js';

let s: Synthesised;
const FAN_OUT_JOBS = SCHEDULED_JOBS.filter((job) => job.fanOut !== undefined);

/** The bundles these tests open: the OpenAPI document's two, and the centre worker's (one for all ten). */
const INSPECTED_BUNDLES = [
  HTTP_HANDLERS.find((h) => h.id === 'platform')?.entry,
  HTTP_HANDLERS.find((h) => h.id === 'loan-calculator')?.entry,
  CENTRE_WORKER.entry,
].filter((entry) => entry !== undefined);

beforeAll(() => {
  s = synthesise({}, { bundle: INSPECTED_BUNDLES });
}, 180_000);

afterAll(() => s?.cleanup());

const PREFIX = 'hpf-';

function allResourcesOfType(type: string): Record<string, Resource> {
  return Object.assign({}, ...STACK_NAMES.map((name) => resourcesOfType(s.templates[name], type)));
}

/** CDK's own function that copies the portal's files into its bucket (a singleton of the API stack). */
const PORTAL_DEPLOYMENT_FUNCTION = /^CustomCDKBucketDeployment/;

/** The hub's own functions: those the declaration builds. */
function hubFunctions(): Record<string, Resource> {
  return Object.fromEntries(
    Object.entries(allResourcesOfType('AWS::Lambda::Function')).filter(
      ([id]) => !PORTAL_DEPLOYMENT_FUNCTION.test(id),
    ),
  );
}

/** Every statement of every IAM policy attached to a role (by the role's logical id). */
function statementsOfRole(template: 'api' | 'workers', roleId: string): PolicyStatementJson[] {
  const policies = resourcesOfType(s.templates[template], 'AWS::IAM::Policy');
  const statements: PolicyStatementJson[] = [];
  for (const policy of Object.values(policies)) {
    const roles = (policy.Properties?.Roles ?? []) as Array<{ Ref?: string }>;
    if (!roles.some((r) => r.Ref === roleId)) continue;
    const doc = policy.Properties?.PolicyDocument as { Statement: PolicyStatementJson[] };
    statements.push(...doc.Statement);
  }
  const role = resourcesOfType(s.templates[template], 'AWS::IAM::Role')[roleId];
  const inline = (role?.Properties?.Policies ?? []) as Array<{
    PolicyDocument: { Statement: PolicyStatementJson[] };
  }>;
  for (const p of inline) statements.push(...p.PolicyDocument.Statement);
  return statements;
}

function workerRoleId(city: CityCode): string {
  const role = s.hub.workers.workers[city].role.node.defaultChild as CfnElement;
  return s.hub.workers.getLogicalId(role);
}

describe('functions', () => {
  it('builds one function per HTTP handler, one worker per centre and one per scheduled or one-off job, nothing else', () => {
    const functions = hubFunctions();
    // and CDK's one function deploying the portal's files
    expect(Object.keys(allResourcesOfType('AWS::Lambda::Function'))).toHaveLength(
      Object.keys(functions).length + 1,
    );
    expect(Object.keys(functions)).toHaveLength(
      HTTP_HANDLERS.length + CITY_CODES.length + SCHEDULED_JOBS.length + ONE_OFF_JOBS.length,
    );
    const names = Object.values(functions)
      .map((f) => f.Properties?.FunctionName)
      .sort();
    expect(names).toEqual(
      [
        ...HTTP_HANDLERS.map((h) => `${PREFIX}${h.id}`),
        ...CITY_CODES.map((c) => `${PREFIX}${CENTRE_WORKER.id}-${c}`),
        ...SCHEDULED_JOBS.map((j) => `${PREFIX}${j.id}`),
        ...ONE_OFF_JOBS.map((j) => `${PREFIX}${j.id}`),
      ].sort(),
    );
  });

  it('runs every function on Node.js 24, arm64, traced, with its own log group and source maps', () => {
    const logGroups = allResourcesOfType('AWS::Logs::LogGroup');
    for (const fn of Object.values(hubFunctions())) {
      const p = propsOf(fn);
      expect(p.Runtime).toBe('nodejs24.x');
      expect(p.Architectures).toEqual(['arm64']);
      expect(p.TracingConfig).toEqual({ Mode: 'Active' });
      expect(p.Handler).toBe('index.handler');
      expect(p.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
      expect(typeof p.Environment.Variables.POWERTOOLS_SERVICE_NAME).toBe('string');
      const logGroupId = p.LoggingConfig.LogGroup.Ref as string;
      expect(logGroups[logGroupId]?.Properties).toMatchObject({
        LogGroupName: `/aws/lambda/${p.FunctionName}`,
        RetentionInDays: 365,
      });
    }
  });

  it('gives no role an AWS managed policy, and "*" resources only to X-Ray', () => {
    for (const template of ['api', 'workers'] as const) {
      const roles = resourcesOfType(s.templates[template], 'AWS::IAM::Role');
      for (const [roleId, role] of Object.entries(roles)) {
        if (PORTAL_DEPLOYMENT_FUNCTION.test(roleId)) continue;
        expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
        for (const st of statementsOfRole(template, roleId)) {
          const resources = Array.isArray(st.Resource) ? st.Resource : [st.Resource];
          if (resources.includes('*')) {
            expect(actionsOf(st).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
          }
        }
      }
    }
  });

  it('sets the environment of each HTTP handler from its declaration', () => {
    const functions = resourcesOfType(s.templates.api, 'AWS::Lambda::Function');
    for (const declaration of HTTP_HANDLERS) {
      const fn = Object.values(functions).find(
        (f) => f.Properties?.FunctionName === `${PREFIX}${declaration.id}`,
      );
      const vars = propsOf(fn).Environment.Variables as Record<string, unknown>;
      expect('TABLE_NAME' in vars).toBe(usesTable(declaration.capabilities));
      expect('INBOX_QUEUE_URLS' in vars).toBe(usesInboxes(declaration.capabilities));
      expect('ID_HMAC_SECRET_ID' in vars).toBe(declaration.capabilities.idHashSecret === true);
      expect('BANK_ACCOUNT_KEY_ID' in vars).toBe(usesBankAccountKey(declaration.capabilities));
    }
  });

  /** The statements of an HTTP function's role, by its declared id. */
  const statementsOfHandler = (id: string) => {
    const fn = Object.values(resourcesOfType(s.templates.api, 'AWS::Lambda::Function')).find(
      (f) => f.Properties?.FunctionName === `${PREFIX}${id}`,
    );
    const roleId = (propsOf(fn).Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    return statementsOfRole('api', roleId);
  };
  const tableStatements = (id: string) =>
    statementsOfHandler(id).filter((st) => actionsOf(st).some((a) => a.startsWith('dynamodb:')));

  it('gives platform exactly what its routes use: one health record, inbox attributes, no message sent', () => {
    const table = tableStatements('platform');
    expect(table.map((st) => [actionsOf(st), st.Condition])).toEqual([
      [
        ['dynamodb:GetItem'],
        {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['R#HEALTH*'] },
          Null: { 'dynamodb:LeadingKeys': 'false' },
        },
      ],
    ]);
    expect(JSON.stringify(table[0]?.Resource)).not.toContain('index');
    const sqs = statementsOfHandler('platform').flatMap((st) =>
      actionsOf(st).filter((a) => a.startsWith('sqs:')),
    );
    expect(new Set(sqs)).toEqual(new Set(['sqs:GetQueueAttributes']));
  });

  it('gives certificate-verify GetItem on certificates and its budget records only, UpdateItem on the budget', () => {
    const table = tableStatements('certificate-verify');
    expect(
      table.map((st) => [
        actionsOf(st).sort(),
        (st.Condition as { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': string[] } })[
          'ForAllValues:StringLike'
        ]['dynamodb:LeadingKeys'],
      ]),
    ).toEqual([
      [['dynamodb:GetItem'], ['R#CERT#*']],
      [['dynamodb:GetItem', 'dynamodb:UpdateItem'], ['R#CERTBUDGET#*']],
    ]);
    // The key prefixes the code reads and writes are the ones declared.
    expect(certificateKey('X').PK.startsWith('R#CERT#')).toBe(true);
    expect(regionalKey('CERTBUDGET', 'x').startsWith('R#CERTBUDGET#')).toBe(true);
    expect(regionalKey('HEALTH')).toBe('R#HEALTH');
  });
});

describe('bank account numbers', () => {
  const bankKeyId = () =>
    Object.entries(resourcesOfType(s.templates.stateful, 'AWS::KMS::Key')).find(([, key]) =>
      String(key.Properties?.Description).includes('bank account'),
    )?.[0];

  it('have a KMS key of their own, rotated and retained', () => {
    const id = bankKeyId();
    expect(id).toBeDefined();
    const key = resourcesOfType(s.templates.stateful, 'AWS::KMS::Key')[id as string];
    expect(key?.Properties?.EnableKeyRotation).toBe(true);
    expect(key?.DeletionPolicy).toBe('Retain');
  });

  it('are encrypted by the functions that take them: data keys only, bound to the encryption context', () => {
    const takers = [
      ...HTTP_HANDLERS.filter((h) => usesBankAccountKey(h.capabilities)).map((h) => ({
        template: 'api' as const,
        id: h.id,
      })),
      ...ONE_OFF_JOBS.filter((j) => usesBankAccountKey(j.capabilities)).map((j) => ({
        template: 'workers' as const,
        id: j.id,
      })),
    ];
    expect(takers.map((t) => t.id)).toEqual(['withdrawal', 'bank-account-migration']);
    for (const template of ['api', 'workers'] as const) {
      const roles = resourcesOfType(s.templates[template], 'AWS::IAM::Role');
      const functions = resourcesOfType(s.templates[template], 'AWS::Lambda::Function');
      for (const fn of Object.values(functions)) {
        const name = String(fn.Properties?.FunctionName).slice(PREFIX.length);
        const roleId = (propsOf(fn).Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
        expect(roles[roleId]).toBeDefined();
        const onBankKey = statementsOfRole(template, roleId).filter((st) => st.Sid === 'BankAccountKey');
        const takes = takers.some((t) => t.template === template && t.id === name);
        expect(onBankKey).toHaveLength(takes ? 1 : 0);
        if (!takes) continue;
        expect(actionsOf(onBankKey[0] as PolicyStatementJson)).toEqual(['kms:GenerateDataKey']);
        expect(onBankKey[0]?.Condition).toEqual({
          StringEquals: { 'kms:EncryptionContext:hpf:purpose': 'hpf-bank-account' },
          StringLike: { 'kms:EncryptionContext:hpf:city': '??????' },
        });
        expect(propsOf(fn).Environment.Variables.BANK_ACCOUNT_KEY_ID).toBeDefined();
      }
    }
  });

  it('are never decrypted by any function yet (no bank instruction is sent), and the migration is never scheduled', () => {
    for (const policy of Object.values(allResourcesOfType('AWS::IAM::Policy'))) {
      const doc = policy.Properties?.PolicyDocument as { Statement: PolicyStatementJson[] };
      // Any statement on the bank-account key (referenced across stacks by its logical id) is the data-key one.
      for (const st of doc.Statement.filter((st) => JSON.stringify(st.Resource).includes('BankAccountKey'))) {
        expect(st.Sid).toBe('BankAccountKey');
        expect(actionsOf(st)).toEqual(['kms:GenerateDataKey']);
      }
    }
    const rules = Object.values(resourcesOfType(s.templates.workers, 'AWS::Events::Rule'));
    expect(JSON.stringify(rules)).not.toContain('bank-account-migration');
  });
});

describe('bundles', () => {
  const codeOf = (template: 'api' | 'workers', name: string) => {
    const functions = resourcesOfType(s.templates[template], 'AWS::Lambda::Function');
    return propsOf(Object.values(functions).find((f) => f.Properties?.FunctionName === name)).Code;
  };

  it('the centre worker is bundled once: the ten workers deploy the same asset, an ESM handler', () => {
    const keys = new Set(
      CITY_CODES.map((city) => codeOf('workers', `${PREFIX}${CENTRE_WORKER.id}-${city}`).S3Key),
    );
    expect(keys.size).toBe(1);
    const bundle = join(s.outdir, `asset.${String([...keys][0]).replace(/\.zip$/, '')}`);
    expect(readFileSync(join(bundle, 'index.mjs'), 'utf8')).toMatch(/export\s*\{[^}]*\bhandler\b/);
  });

  it('a function no test inspects gets a stand-in that refuses to run, never a bundle', () => {
    const code = codeOf('api', `${PREFIX}info-query`);
    expect(code.S3Key).toBeUndefined();
    expect(code.ZipFile).toContain('never deploy it');
  });

  it('without the hpf:bundle context (cdk synth, deploy) a function is bundled', () => {
    expect(cdkJsonContext()).not.toHaveProperty(CONTEXT_KEYS.bundle);
    const app = new App({ outdir: join(s.outdir, 'unfiltered') });
    const stack = new Stack(app, 'Unfiltered');
    new HpfFunction(stack, 'Calculator', {
      functionName: 'calculator',
      entry: HTTP_HANDLERS.find((h) => h.id === 'loan-calculator')?.entry ?? '',
      description: 'bundled without hpf:bundle',
      timeoutSeconds: 3,
      memoryMb: 256,
      environment: {},
      logRetention: RetentionDays.ONE_DAY,
      serviceName: 'calculator',
    });
    const code = propsOf(
      Object.values(resourcesOfType(Template.fromStack(stack), 'AWS::Lambda::Function'))[0],
    ).Code;
    expect(code.ZipFile).toBeUndefined();
    expect(code.S3Key).toMatch(/\.zip$/);
  });
});

describe('the OpenAPI document (issue 14)', () => {
  const bundleOf = (id: string): string => {
    const functions = resourcesOfType(s.templates.api, 'AWS::Lambda::Function');
    const fn = Object.values(functions).find((f) => f.Properties?.FunctionName === `${PREFIX}${id}`);
    return join(s.outdir, `asset.${String(propsOf(fn).Code.S3Key).replace(/\.zip$/, '')}`);
  };

  it("is written into the platform function's bundle, beside it and not inside it", async () => {
    const bundle = bundleOf('platform');
    const served = JSON.parse(readFileSync(join(bundle, 'openapi.json'), 'utf8'));
    expect(served).toEqual(JSON.parse(JSON.stringify(await openApiDocument())));
    expect(readFileSync(join(bundle, 'index.mjs'), 'utf8')).not.toContain('"openapi":"3.1.0"');
    // Only the platform function carries it.
    expect(existsSync(join(bundleOf('loan-calculator'), 'openapi.json'))).toBe(false);
  });
});

describe('table', () => {
  it('is the one table: PK/SK, GSI1, TTL, on demand, PITR, deletion protection, KMS, retained', () => {
    const tables = allResourcesOfType('AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toHaveLength(1);
    s.templates.stateful.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
        GlobalSecondaryIndexes: [
          Match.objectLike({
            IndexName: GSI1.indexName,
            KeySchema: [
              { AttributeName: GSI1.partitionKey, KeyType: 'HASH' },
              { AttributeName: GSI1.sortKey, KeyType: 'RANGE' },
            ],
          }),
        ],
      }),
    });
    s.templates.stateful.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('references the ID-hashing secret by name and never creates it', () => {
    expect(allResourcesOfType('AWS::SecretsManager::Secret')).toEqual({});
    expect(s.hub.stateful.idHmacSecret.secretName).toBe(cdkJsonContext()['hpf:idHmacSecretName']);
  });
});

describe('queues', () => {
  const queues = () => resourcesOfType(s.templates.stateful, 'AWS::SQS::Queue');
  const byName = (name: string) => {
    const found = Object.entries(queues()).find(([, q]) => q.Properties?.QueueName === name);
    if (found === undefined) throw new Error(`no queue ${name}`);
    return { id: found[0], props: propsOf(found[1]) };
  };

  it('gives every centre an inbox redriving to its own DLQ after 5 receives', () => {
    expect(Object.keys(queues())).toHaveLength(2 * CITY_CODES.length);
    for (const city of CITY_CODES) {
      const inbox = byName(inboxQueueName(PREFIX, city));
      const dlq = byName(deadLetterQueueName(PREFIX, city));
      expect(INBOX_MAX_RECEIVE_COUNT).toBe(5);
      expect(inbox.props.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [dlq.id, 'Arn'] },
        maxReceiveCount: 5,
      });
      expect(inbox.props.VisibilityTimeout).toBeGreaterThanOrEqual(6 * CENTRE_WORKER.timeoutSeconds);
      expect(dlq.props.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      expect(dlq.props.RedrivePolicy).toBeUndefined();
      for (const q of [inbox, dlq]) expect(q.props.SqsManagedSseEnabled).toBe(true);
    }
  });

  it('denies every request to every queue that is not over TLS', () => {
    const policies = Object.values(resourcesOfType(s.templates.stateful, 'AWS::SQS::QueuePolicy'));
    for (const id of Object.keys(queues())) {
      const policy = policies.find((p) =>
        (propsOf(p).Queues as Array<{ Ref: string }>).some((q) => q.Ref === id),
      );
      const statements = propsOf(policy).PolicyDocument.Statement as PolicyStatementJson[];
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sqs:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });
});

describe('HTTP API', () => {
  const routes = () => Object.values(resourcesOfType(s.templates.api, 'AWS::ApiGatewayV2::Route'));

  it('has exactly the declared routes: JWT on every non-public route, no authorizer on public ones', () => {
    const declared = HTTP_HANDLERS.flatMap((h) => h.routes);
    expect(routes()).toHaveLength(declared.length);
    const authorizerId = Object.keys(resourcesOfType(s.templates.api, 'AWS::ApiGatewayV2::Authorizer'))[0];
    for (const route of declared) {
      const found = routes().find((r) => r.Properties?.RouteKey === routeKey(route));
      expect(found).toBeDefined();
      if (route.access === 'public') {
        expect(found?.Properties?.AuthorizationType).toBe('NONE');
        expect(found?.Properties?.AuthorizerId).toBeUndefined();
      } else {
        expect(found?.Properties?.AuthorizationType).toBe('JWT');
        expect(found?.Properties?.AuthorizerId).toEqual({ Ref: authorizerId });
      }
    }
  });

  it('routes every route of a handler to that handler’s one function', () => {
    const integrations = resourcesOfType(s.templates.api, 'AWS::ApiGatewayV2::Integration');
    expect(Object.keys(integrations)).toHaveLength(HTTP_HANDLERS.length);
  });

  it('checks JWTs from the configured issuer and audience', () => {
    const context = cdkJsonContext();
    s.templates.api.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    s.templates.api.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: context['hpf:jwtIssuer'], Audience: [context['hpf:jwtAudience']] },
    });
  });

  it('configures CORS once, on the API, for the configured origins and the portal', () => {
    const methods = [...new Set(HTTP_HANDLERS.flatMap((h) => h.routes.map((r) => r.method)))].sort();
    const [distributionId] = Object.keys(resourcesOfType(s.templates.api, 'AWS::CloudFront::Distribution'));
    s.templates.api.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: [
          ...(cdkJsonContext()['hpf:allowedOrigins'] as string[]),
          { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] },
        ],
        AllowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Correlation-Id'],
        AllowMethods: methods,
      }),
    });
    expect(routes().some((r) => String(r.Properties?.RouteKey).startsWith('OPTIONS'))).toBe(false);
  });

  it('logs access and throttles the default stage (and each route that declares a throttle)', () => {
    const stages = Object.values(resourcesOfType(s.templates.api, 'AWS::ApiGatewayV2::Stage'));
    expect(stages).toHaveLength(1);
    const stage = propsOf(stages[0]);
    expect(stage.StageName).toBe('$default');
    expect(stage.AutoDeploy).toBe(true);
    expect(stage.AccessLogSettings.DestinationArn).toBeDefined();
    expect(JSON.parse(stage.AccessLogSettings.Format)).toMatchObject({ requestId: '$context.requestId' });
    expect(stage.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: expect.any(Number),
      ThrottlingBurstLimit: expect.any(Number),
    });
    const throttled = HTTP_HANDLERS.flatMap((h) => h.routes).filter((r) => r.throttle !== undefined);
    for (const route of throttled) {
      expect(stage.RouteSettings[routeKey(route)]).toEqual({
        ThrottlingRateLimit: route.throttle?.rateLimit,
        ThrottlingBurstLimit: route.throttle?.burstLimit,
      });
    }
    if (throttled.length === 0) expect(stage.RouteSettings).toBeUndefined();
  });

  it('gives every public route a throttle of its own (an HTTP API has no per-client limit)', () => {
    const publicRoutes = HTTP_HANDLERS.flatMap((h) => h.routes).filter((r) => r.access === 'public');
    expect(publicRoutes.map(routeKey)).toContain('GET /health');
    const stage = propsOf(Object.values(resourcesOfType(s.templates.api, 'AWS::ApiGatewayV2::Stage'))[0]);
    for (const route of publicRoutes) expect(stage.RouteSettings[routeKey(route)]).toBeDefined();
  });
});

describe('every function', () => {
  it('may not Scan the table, nor use batch writes or table-level actions the code never makes', () => {
    const policies = Object.values(allResourcesOfType('AWS::IAM::Policy')) as unknown as {
      Properties: { PolicyDocument: { Statement: PolicyStatementJson[] } };
    }[];
    const actions = policies.flatMap((p) =>
      p.Properties.PolicyDocument.Statement.flatMap((st) => actionsOf(st)),
    );
    expect(actions.some((a) => a.startsWith('dynamodb:'))).toBe(true);
    for (const forbidden of [
      'dynamodb:Scan',
      'dynamodb:BatchWriteItem',
      'dynamodb:DescribeTable',
      'dynamodb:*',
    ]) {
      expect(actions).not.toContain(forbidden);
    }
  });
});

describe('capabilities (issue 16 item 2)', () => {
  /** What a declaration says each statement must be, written out here independently of the stacks. */
  function expected(caps: Capabilities, city?: CityCode) {
    const grants = caps.table ?? [];
    const writes = grants.some((g) =>
      g.actions.some((a) => ['PutItem', 'UpdateItem', 'DeleteItem'].includes(a)),
    );
    return [
      ...grants.map((g) => ({
        actions: g.actions.map((a) => `dynamodb:${a}`).sort(),
        index: g.index !== undefined,
        leadingKeys:
          g.index || grantKeys(g).includes('')
            ? undefined
            : grantKeys(g).map((k) => `${k.replace('{city}', city ?? '??????')}*`),
      })),
      ...(grants.length > 0
        ? [
            {
              actions: [...(writes ? TABLE_KEY_WRITE_ACTIONS : TABLE_KEY_READ_ACTIONS)].sort(),
              viaDynamoDb: true,
            },
          ]
        : []),
      ...(caps.inboxes?.length ? [{ actions: caps.inboxes.map((a) => `sqs:${a}`).sort(), queues: 10 }] : []),
      // the job's own work queue, one
      ...(caps.workQueue?.length
        ? [{ actions: caps.workQueue.map((a) => `sqs:${a}`).sort(), queues: 1 }]
        : []),
      ...(caps.idHashSecret ? [{ actions: ['secretsmanager:GetSecretValue'] }] : []),
      ...(caps.bankAccountKey?.length
        ? [
            {
              actions: caps.bankAccountKey.map((a) => `kms:${a}`).sort(),
              context: city ?? '??????',
            },
          ]
        : []),
    ];
  }

  /** A role's statements in the same shape, leaving out its logs, X-Ray and (a worker's) event source. */
  function granted(template: 'api' | 'workers', roleId: string) {
    return statementsOfRole(template, roleId)
      .filter((st) => !actionsOf(st).every((a) => a.startsWith('logs:') || a.startsWith('xray:')))
      .filter((st) => !actionsOf(st).includes('sqs:ReceiveMessage'))
      .map((st) => {
        const actions = actionsOf(st).sort();
        const resources = Array.isArray(st.Resource) ? st.Resource : [st.Resource];
        if (actions[0]?.startsWith('dynamodb:'))
          return {
            actions,
            index: JSON.stringify(st.Resource).includes('/index/GSI1'),
            leadingKeys: st.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] as
              | string[]
              | undefined,
          };
        if (st.Condition?.StringEquals?.['kms:ViaService']) return { actions, viaDynamoDb: true };
        if (actions[0]?.startsWith('sqs:')) return { actions, queues: resources.length };
        if (actions[0]?.startsWith('kms:'))
          return {
            actions,
            context: (st.Condition?.StringEquals?.['kms:EncryptionContext:hpf:city'] ??
              st.Condition?.StringLike?.['kms:EncryptionContext:hpf:city']) as string,
          };
        return { actions };
      });
  }

  const roleOfFunction = (template: 'api' | 'workers', name: string) => {
    const fn = Object.values(resourcesOfType(s.templates[template], 'AWS::Lambda::Function')).find(
      (f) => f.Properties?.FunctionName === `${PREFIX}${name}`,
    );
    return (propsOf(fn).Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  };

  it('give every HTTP function exactly the statements its capabilities say, nothing more', () => {
    for (const handler of HTTP_HANDLERS) {
      expect({ id: handler.id, statements: granted('api', roleOfFunction('api', handler.id)) }).toEqual({
        id: handler.id,
        statements: expected(handler.capabilities),
      });
    }
  });

  it('give every centre worker its capabilities with {city} pinned to its own city', () => {
    for (const city of CITY_CODES) {
      expect(granted('workers', workerRoleId(city))).toEqual(expected(CENTRE_WORKER.capabilities, city));
    }
  });

  it('give every scheduled and one-off job exactly its capabilities', () => {
    for (const job of [...SCHEDULED_JOBS, ...ONE_OFF_JOBS]) {
      expect({ id: job.id, statements: granted('workers', roleOfFunction('workers', job.id)) }).toEqual({
        id: job.id,
        statements: expected(job.capabilities),
      });
    }
  });
});

describe('centre workers', () => {
  const tableStatements = (city: CityCode) =>
    statementsOfRole('workers', workerRoleId(city)).filter((st) =>
      actionsOf(st).some((a) => a.startsWith('dynamodb:')),
    );

  it('confine the 320300 worker to item-level actions under C#320300# and the regional records it needs', () => {
    const statements = tableStatements('320300');
    expect(statements).toHaveLength(CENTRE_WORKER.capabilities.table?.length ?? 0);
    const allowed = new Set<string>(ALL_ITEM_ACTIONS.map((a) => `dynamodb:${a}`));
    for (const st of statements) {
      expect(st.Effect).toBe('Allow');
      for (const action of actionsOf(st)) {
        expect(allowed.has(action)).toBe(true);
        expect(action).not.toMatch(/\*|Scan|Table|Stream|Backup|Export|Import|PartiQL/);
      }
    }
    const leading = (st: PolicyStatementJson | undefined) =>
      st?.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] as string[] | undefined;
    const own = statements.find((st) => leading(st)?.[0] === 'C#320300#*');
    expect(own).toBeDefined();
    expect(`${centrePrefix('320300')}*`).toBe('C#320300#*');
    // The loan index may be read and reserved; the violation list only read; nothing else regional.
    const loanIndex = statements.find((st) => leading(st)?.[0] === 'R#LOANIDX#*');
    expect(actionsOf(loanIndex as PolicyStatementJson).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
    ]);
    const violations = statements.find((st) => leading(st)?.[0] === 'R#VIOLATION#*');
    expect(actionsOf(violations as PolicyStatementJson)).toEqual(['dynamodb:GetItem']);
  });
  it('grant no worker any DynamoDB action without a LeadingKeys condition on its own prefix', () => {
    for (const city of CITY_CODES) {
      for (const st of tableStatements(city)) {
        const leading = st.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] as
          | string[]
          | undefined;
        expect(leading).toBeDefined();
        expect(st.Condition?.Null).toEqual({ 'dynamodb:LeadingKeys': 'false' });
        const allowedPatterns = [
          `C#${city}#*`,
          ...(CENTRE_WORKER.capabilities.table ?? [])
            .flatMap((g) => grantKeys(g))
            .filter((k) => k.startsWith('R#'))
            .map((k) => `${k}*`),
        ];
        for (const pattern of leading ?? []) expect(allowedPatterns).toContain(pattern);
        expect(actionsOf(st)).not.toContain('dynamodb:Scan');
      }
    }
  });

  it('let workers use the table key only through DynamoDB, without wildcard actions', () => {
    for (const city of CITY_CODES) {
      const kms = statementsOfRole('workers', workerRoleId(city)).filter((st) =>
        actionsOf(st).some((a) => a.startsWith('kms:')),
      );
      expect(kms).toHaveLength(1);
      expect(actionsOf(kms[0] as PolicyStatementJson).some((a) => a.includes('*'))).toBe(false);
      expect(kms[0]?.Condition?.StringEquals?.['kms:ViaService']).toBeDefined();
    }
  });

  it('reserve no concurrency for any function (the stage and route throttles bound the API)', () => {
    for (const fn of Object.values(allResourcesOfType('AWS::Lambda::Function'))) {
      expect(fn.Properties?.ReservedConcurrentExecutions).toBeUndefined();
    }
  });

  it('feed each worker from its own inbox, with partial batch failures', () => {
    const functions = resourcesOfType(s.templates.workers, 'AWS::Lambda::Function');
    const mappings = Object.values(
      resourcesOfType(s.templates.workers, 'AWS::Lambda::EventSourceMapping'),
    ).filter(
      (m) => propsOf(functions[propsOf(m).FunctionName.Ref as string]).Environment.Variables.CENTRE_CITY,
    );
    expect(mappings).toHaveLength(CITY_CODES.length);
    for (const mapping of mappings) {
      const p = propsOf(mapping);
      expect(p.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      expect(p.BatchSize).toBe(CENTRE_WORKER.batchSize);
      expect(p.MaximumBatchingWindowInSeconds ?? 0).toBe(CENTRE_WORKER.maxBatchingWindowSeconds);
      // One centre's burst holds at most this many workers: the others and the API keep theirs.
      expect(p.ScalingConfig).toEqual({ MaximumConcurrency: CENTRE_WORKER.maxConcurrency });
      expect(CENTRE_WORKER.maxConcurrency).toBeGreaterThanOrEqual(2);
      const fn = propsOf(functions[p.FunctionName.Ref as string]);
      const city = fn.Environment.Variables.CENTRE_CITY as string;
      expect(fn.FunctionName).toBe(`${PREFIX}${CENTRE_WORKER.id}-${city}`);
      // The event source is the inbox of the worker's own city (its ARN is imported from the stateful stack).
      expect(JSON.stringify(p.EventSourceArn)).toMatch(new RegExp(`Inbox${city}`));
    }
  });

  it('let every worker send to every inbox', () => {
    for (const city of CITY_CODES) {
      const sends = statementsOfRole('workers', workerRoleId(city)).filter((st) =>
        actionsOf(st).includes('sqs:SendMessage'),
      );
      const targets = sends.map((st) => JSON.stringify(st.Resource));
      for (const other of CITY_CODES) expect(targets.some((t) => t.includes(`Inbox${other}`))).toBe(true);
    }
  });
});

describe('jobs that fan out', () => {
  const queues = () => resourcesOfType(s.templates.workers, 'AWS::SQS::Queue');
  const byName = (name: string) => {
    const found = Object.entries(queues()).find(([, q]) => q.Properties?.QueueName === name);
    if (found === undefined) throw new Error(`no queue ${name}`);
    return { id: found[0], props: propsOf(found[1]) };
  };
  const functionOf = (jobId: string) => {
    const found = Object.entries(resourcesOfType(s.templates.workers, 'AWS::Lambda::Function')).find(
      ([, f]) => f.Properties?.FunctionName === `${PREFIX}${jobId}`,
    );
    if (found === undefined) throw new Error(`no function ${jobId}`);
    return { id: found[0], props: propsOf(found[1]) };
  };

  it('are interest settlement, repayments, the loan sweep and the committed-time sweep', () => {
    expect(FAN_OUT_JOBS.map((j) => j.id).sort()).toEqual([
      'committed-time-sweep',
      'loan-sweep',
      'post-repayments',
      'settle-interest',
    ]);
    expect(Object.keys(queues())).toHaveLength(2 * FAN_OUT_JOBS.length);
  });

  it('give each job a work queue redriving to its own DLQ, a visibility over six timeouts, TLS only', () => {
    const policies = Object.values(resourcesOfType(s.templates.workers, 'AWS::SQS::QueuePolicy'));
    for (const job of FAN_OUT_JOBS) {
      const work = byName(jobQueueName(PREFIX, job.id));
      const dlq = byName(jobDeadLetterQueueName(PREFIX, job.id));
      expect(work.props.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [dlq.id, 'Arn'] },
        maxReceiveCount: job.fanOut?.maxReceiveCount,
      });
      expect(job.fanOut?.maxReceiveCount).toBeGreaterThanOrEqual(2);
      expect(work.props.VisibilityTimeout).toBeGreaterThanOrEqual(6 * job.timeoutSeconds);
      expect(dlq.props.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      for (const q of [work, dlq]) {
        expect(q.props.SqsManagedSseEnabled).toBe(true);
        const policy = policies.find((p) =>
          (propsOf(p).Queues as Array<{ Ref: string }>).some((r) => r.Ref === q.id),
        );
        expect(propsOf(policy).PolicyDocument.Statement).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
      }
    }
  });

  it('feed each job function from its work queue: partial batch failures, bounded concurrency', () => {
    const mappings = Object.values(resourcesOfType(s.templates.workers, 'AWS::Lambda::EventSourceMapping'));
    for (const job of FAN_OUT_JOBS) {
      const fn = functionOf(job.id);
      const mapping = mappings.find((m) => propsOf(m).FunctionName.Ref === fn.id);
      const p = propsOf(mapping);
      expect(p.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      expect(p.BatchSize).toBe(job.fanOut?.batchSize);
      expect(p.ScalingConfig).toEqual({ MaximumConcurrency: job.fanOut?.maxConcurrency });
      expect(p.EventSourceArn).toEqual({ 'Fn::GetAtt': [byName(jobQueueName(PREFIX, job.id)).id, 'Arn'] });
      // the dispatch and the chained pages send to the job's own queue, named in its environment
      expect(JSON.stringify(fn.props.Environment.Variables.JOB_QUEUE_URLS)).toContain(
        byName(jobQueueName(PREFIX, job.id)).id,
      );
    }
  });

  it('are dispatched by their schedule, with explicit retries', () => {
    const rules = Object.values(resourcesOfType(s.templates.workers, 'AWS::Events::Rule'));
    for (const job of FAN_OUT_JOBS) {
      const fn = functionOf(job.id);
      const rule = rules.find((r) =>
        (propsOf(r).Targets as Array<{ Arn: unknown }>).some(
          (t) => JSON.stringify(t.Arn) === JSON.stringify({ 'Fn::GetAtt': [fn.id, 'Arn'] }),
        ),
      );
      expect(propsOf(rule).Targets[0].RetryPolicy).toEqual({
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 3600,
      });
    }
  });
});

describe('operations', () => {
  it('alarms on every dead-letter queue holding a message', () => {
    const alarms = Object.values(resourcesOfType(s.templates.ops, 'AWS::CloudWatch::Alarm')).filter(
      (a) => a.Properties?.MetricName === 'ApproximateNumberOfMessagesVisible',
    );
    expect(alarms).toHaveLength(CITY_CODES.length + FAN_OUT_JOBS.length);
    for (const job of FAN_OUT_JOBS) {
      expect(alarms.map((a) => a.Properties?.AlarmName)).toContain(`${PREFIX}job-${job.id}-dlq-not-empty`);
    }
    for (const alarm of alarms) {
      expect(alarm.Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [expect.anything()],
      });
    }
  });

  it("alarms on the overdue applications of all centres: the sum of each centre's own figure", () => {
    const alarm = Object.values(resourcesOfType(s.templates.ops, 'AWS::CloudWatch::Alarm')).find(
      (a) => a.Properties?.AlarmName === `${PREFIX}OverdueApplications`,
    );
    const metrics = propsOf(alarm).Metrics as Array<{
      Id: string;
      Expression?: string;
      MetricStat?: {
        Metric: { MetricName: string; Dimensions: { Name: string; Value: string }[] };
        Stat: string;
      };
    }>;
    const sum = metrics.find((m) => m.Expression !== undefined);
    const byCity = metrics.filter((m) => m.MetricStat !== undefined);
    expect(sum?.Expression).toBe(`SUM([${byCity.map((m) => m.Id).join(', ')}])`);
    expect(
      byCity.map((m) => m.MetricStat?.Metric.Dimensions.find((d) => d.Name === 'city')?.Value).sort(),
    ).toEqual([...CITY_CODES].sort());
    for (const m of byCity) {
      expect(m.MetricStat).toMatchObject({ Metric: { MetricName: 'OverdueApplications' }, Stat: 'Maximum' });
      expect(m.MetricStat?.Metric.Dimensions).toContainEqual({
        Name: 'service',
        Value: 'hpf-committed-time-sweep',
      });
    }
    expect(propsOf(alarm)).toMatchObject({ Threshold: 1, AlarmActions: [expect.anything()] });
  });

  it('alarms on the errors of every function', () => {
    const alarms = Object.values(resourcesOfType(s.templates.ops, 'AWS::CloudWatch::Alarm')).filter(
      (a) => a.Properties?.MetricName === 'Errors' && a.Properties?.Namespace === 'AWS/Lambda',
    );
    expect(alarms).toHaveLength(Object.keys(hubFunctions()).length);
  });

  it('has a dashboard and an encrypted, TLS-only alarm topic', () => {
    s.templates.ops.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    s.templates.ops.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    s.templates.ops.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('the portal (issue 15)', () => {
  const one = (type: string): Resource => {
    const found = Object.values(resourcesOfType(s.templates.api, type));
    expect(found).toHaveLength(1);
    return found[0] as Resource;
  };

  it('keeps its files in a private, encrypted, TLS-only bucket that only its distribution may read', () => {
    const distributionId = Object.keys(resourcesOfType(s.templates.api, 'AWS::CloudFront::Distribution'))[0];
    const policies = Object.values(resourcesOfType(s.templates.api, 'AWS::S3::BucketPolicy'));
    const files = Object.entries(resourcesOfType(s.templates.api, 'AWS::S3::Bucket')).find(([id]) =>
      id.startsWith('PortalFiles'),
    );
    expect(files).toBeDefined();
    const [filesId, bucket] = files as [string, Resource];
    expect(propsOf(bucket).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(propsOf(bucket).BucketEncryption).toBeDefined();
    expect(propsOf(bucket).LoggingConfiguration).toBeDefined();
    const policy = policies.find(
      (p) => JSON.stringify(propsOf(p).Bucket) === JSON.stringify({ Ref: filesId }),
    );
    const statements = propsOf(policy).PolicyDocument.Statement as PolicyStatementJson[];
    expect(
      statements.some(
        (st) => st.Effect === 'Deny' && JSON.stringify(st.Condition).includes('aws:SecureTransport'),
      ),
    ).toBe(true);
    const reads = statements.filter((st) => st.Effect === 'Allow');
    expect(reads).toHaveLength(1);
    expect(reads[0]?.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(JSON.stringify(reads[0]?.Condition)).toContain(distributionId);
  });

  it('is served over HTTPS only, with security headers, through origin access control, logged', () => {
    const config = propsOf(one('AWS::CloudFront::Distribution')).DistributionConfig;
    expect(config.DefaultRootObject).toBe('index.html');
    for (const behaviour of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(behaviour.ViewerProtocolPolicy).toBe('redirect-to-https');
      expect(behaviour.AllowedMethods).toEqual(['GET', 'HEAD']);
      expect(behaviour.ResponseHeadersPolicyId).toBeDefined();
    }
    expect(config.CacheBehaviors.map((b: { PathPattern: string }) => b.PathPattern).sort()).toEqual([
      '/config.json',
      '/index.html',
    ]);
    expect(config.Origins[0].OriginAccessControlId).toBeDefined();
    expect(config.Logging.Prefix).toBe('cloudfront/');
    const headers = propsOf(one('AWS::CloudFront::ResponseHeadersPolicy')).ResponseHeadersPolicyConfig
      .SecurityHeadersConfig;
    const csp = JSON.stringify(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain('https://idp.example.invalid');
    expect(csp).not.toContain('unsafe-inline');
    expect(headers.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
    expect(headers.FrameOptions.FrameOption).toBe('DENY');
    expect(headers.ContentTypeOptions.Override).toBe(true);
  });

  it('deploys config.json with the API address and the OIDC public client beside the built files', () => {
    const deployment = propsOf(one('Custom::CDKBucketDeployment'));
    expect(deployment.Prune).toBe(true);
    expect(deployment.DistributionPaths).toEqual(['/index.html', '/config.json']);
    const dirs = (deployment.SourceObjectKeys as string[]).map((key) =>
      join(s.outdir, `asset.${key.replace(/\.zip$/, '')}`),
    );
    const configDir = dirs.find((dir) => existsSync(join(dir, 'config.json')));
    expect(configDir).toBeDefined();
    const runtime = JSON.parse(readFileSync(join(configDir as string, 'config.json'), 'utf8'));
    expect(runtime.oidc).toMatchObject({
      issuer: cdkJsonContext()['hpf:jwtIssuer'],
      authorizationEndpoint: 'https://idp.example.invalid/authorize',
      tokenEndpoint: 'https://idp.example.invalid/token',
      clientId: 'hpf-portal',
    });
    // the portal's own address, known at deploy time
    expect(runtime.oidc.redirectUri).toMatch(/^https:\/\/<<marker:0xbaba:\d+>>\/$/);
    // the API's address, filled in at deploy time
    expect(runtime.apiBaseUrl).toMatch(/<<marker:0xbaba:\d+>>/);
    expect(dirs.some((dir) => existsSync(join(dir, 'index.html')))).toBe(true);
  });
});

describe('cdk-nag and CDK warnings', () => {
  it('leaves no AwsSolutions finding unacknowledged (errors and warnings)', () => {
    const summary = s.nagViolations.map(
      (v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(summary).toEqual([]);
  });

  it('has no CDK error or warning annotation on any stack', () => {
    for (const stack of [s.hub.stateful, s.hub.api, s.hub.workers, s.hub.ops]) {
      const annotations = Annotations.fromStack(stack);
      expect(annotations.findError('*', Match.anyValue())).toEqual([]);
      expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
      // cdk-nag 3 reports through CDK's validation framework; it never adds annotations.
      expect(annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
      expect(annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
    }
  });
});
