/**
 * One Lambda function of the hub, built the same way everywhere: Node.js 24 on arm64, an ESM bundle
 * made by the locally installed esbuild (never Docker), its own log group with a retention, its
 * own role with no AWS managed policy, and active X-Ray tracing (Lambda-level segments; the AWS SDK
 * clients are not instrumented yet).
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type IRole, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CONTEXT_KEYS } from '../config.js';

/** The repository root: entries in the service declaration are relative to it. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** ESM bundles have no `require`; a few CommonJS dependencies still call it. */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __hpfCreateRequire } from 'node:module';" +
  'const require = __hpfCreateRequire(import.meta.url);';

export const RUNTIME = Runtime.NODEJS_24_X;

/**
 * Code for a function whose bundle a test does not inspect (context `hpf:bundle`): bundling all of
 * them is most of a synthesis's time. It fails loudly if it is ever deployed.
 */
const STAND_IN_CODE = Code.fromInline(
  "exports.handler = async () => { throw new Error('a stand-in synthesised without bundling (hpf:bundle): never deploy it'); };",
);

/** Whether `entry` is bundled: every entry unless the context lists the ones to bundle. */
function isBundled(scope: Construct, entry: string): boolean {
  const only: unknown = scope.node.tryGetContext(CONTEXT_KEYS.bundle);
  return !Array.isArray(only) || only.includes(entry);
}

export interface HpfFunctionProps {
  /** Physical function name (also names the log group `/aws/lambda/<name>`). */
  functionName: string;
  /** Module path from the repository root, exporting `handler`. */
  entry: string;
  description: string;
  timeoutSeconds: number;
  memoryMb: number;
  environment: Record<string, string>;
  logRetention: RetentionDays;
  /** Powertools service name (logger, metrics). */
  serviceName: string;
  /** Shell commands run after bundling, given the repository root and the bundle directory. */
  afterBundling?: (repoRoot: string, outputDir: string) => string[];
}

export class HpfFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: IRole;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: HpfFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetention,
      // Logs are part of the audit trail: they outlive a stack deletion.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.functionName}`,
    });
    // Instead of the AWS managed AWSLambdaBasicExecutionRole (logs on every log group): this one only.
    this.logGroup.grantWrite(role);
    this.role = role;

    this.fn = new NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      entry: join(REPO_ROOT, props.entry),
      handler: 'handler',
      runtime: RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds),
      role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      ...(isBundled(this, props.entry) ? {} : { code: STAND_IN_CODE, handler: 'index.handler' }),
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: 'HuaihaiHpfHub',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: true,
        // Keep the maps small: file and line are enough for stack traces.
        sourcesContent: false,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        forceDockerBundling: false,
        tsconfig: join(REPO_ROOT, 'tsconfig.json'),
        ...(props.afterBundling
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: props.afterBundling,
              },
            }
          : {}),
      },
    });

    // Lambda's X-Ray integration writes trace segments with xray:PutTraceSegments and
    // xray:PutTelemetryRecords, which support no resource-level permissions (Resource "*").
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level ' +
        'permissions, so CDK grants them on "*"; no other statement of this role uses "*".',
    });
  }
}
