/**
 * The public HTTP API: one Lambda function per entry of HTTP_HANDLERS (all its routes share it),
 * the JWT authorizer on every non-public route, CORS configured once on the API, access logs, and
 * default plus per-route throttling on the `$default` stage.
 */
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnApi,
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  type HttpRoute,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { CityCode } from '../../shared/config/cities.js';
import { ENV } from '../../shared/config/runtime.js';
import { usesBankAccountKey, usesInboxes, usesTable } from '../../shared/services/capabilities.js';
import { type HandlerDeclaration, HTTP_HANDLERS, routeKey } from '../../shared/services/declaration.js';
import type { PortalConfig } from '../config.js';
import { grantCapabilities } from '../constructs/capability-policy.js';
import { HpfFunction } from '../constructs/hpf-function.js';
import { buildPortalForDeployment, PortalHosting } from '../constructs/portal-hosting.js';
import { inboxQueueUrlsJson } from '../constructs/wiring.js';
import type { CentreQueues } from './stateful-stack.js';

/** Headers a browser may send (DESIGN.md §5). */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Correlation-Id'];

/** The document is generated from the contracts into the bundle, where the platform handler reads it. */
function writeOpenApiIntoBundle(repoRoot: string, outputDir: string): string[] {
  return [
    `"${repoRoot}/node_modules/.bin/tsx" "${repoRoot}/infra/openapi/write.ts" "${outputDir}/openapi.json"`,
  ];
}

/** Stage-wide throttle (every route without its own). */
export const DEFAULT_THROTTLE = { rateLimit: 200, burstLimit: 400 } as const;

export const DEFAULT_TIMEOUT_SECONDS = 10;
export const DEFAULT_MEMORY_MB = 512;

export interface ApiStackProps extends StackProps {
  prefix: string;
  table: ITable;
  tableKey: IKey;
  bankAccountKey: IKey;
  queues: Readonly<Record<CityCode, CentreQueues>>;
  idHmacSecret: ISecret;
  jwtIssuer: string;
  jwtAudience: string[];
  allowedOrigins: string[];
  logRetention: RetentionDays;
  /** The public address printed certificates' QR codes carry; default the API's own endpoint. */
  publicBaseUrl?: string;
  /** Defaults to HTTP_HANDLERS; tests may pass another declaration. */
  handlers?: readonly HandlerDeclaration[];
  portal: PortalConfig;
  china: boolean;
  /** The built portal; default: built from web/ at synthesis. */
  portalAssetDir?: string;
}

/** The stage RouteSettings for routes that declare their own throttle, keyed by route key. */
export function routeThrottleSettings(
  handlers: readonly HandlerDeclaration[],
): Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> {
  const settings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
  for (const handler of handlers) {
    for (const route of handler.routes) {
      if (route.throttle === undefined) continue;
      settings[routeKey(route)] = {
        ThrottlingRateLimit: route.throttle.rateLimit,
        ThrottlingBurstLimit: route.throttle.burstLimit,
      };
    }
  }
  return settings;
}

/** Every method the declaration uses, for the CORS configuration. */
export function declaredCorsMethods(handlers: readonly HandlerDeclaration[]): CorsHttpMethod[] {
  const methods = new Set<string>();
  for (const handler of handlers) for (const route of handler.routes) methods.add(route.method);
  return [...methods].sort().map((m) => CorsHttpMethod[m as keyof typeof CorsHttpMethod]);
}

export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions: ReadonlyMap<string, HpfFunction>;
  readonly portal?: PortalHosting;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const handlers = props.handlers ?? HTTP_HANDLERS;

    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `${props.prefix}api`,
      description: 'Huaihai HPF Hub public API (v1)',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.allowedOrigins,
        allowHeaders: CORS_ALLOWED_HEADERS,
        allowMethods: declaredCorsMethods(handlers),
        exposeHeaders: ['X-Correlation-Id'],
        allowCredentials: false,
        maxAge: Duration.hours(1),
      },
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: DEFAULT_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // The route key, not the path: paths carry account numbers, which stay out of access logs.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sourceIp: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
          }),
        ),
      },
    });

    const authorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.jwtIssuer, {
      authorizerName: 'jwt',
      jwtAudience: props.jwtAudience,
      identitySource: ['$request.header.Authorization'],
    });

    const inboxUrls = inboxQueueUrlsJson(this, props.queues);
    const publicBaseUrl = props.publicBaseUrl ?? this.api.apiEndpoint;
    const functions = new Map<string, HpfFunction>();
    const throttledRoutes: HttpRoute[] = [];

    for (const declaration of handlers) {
      const caps = declaration.capabilities;
      const environment: Record<string, string> = { [ENV.publicBaseUrl]: publicBaseUrl };
      if (usesTable(caps)) environment[ENV.tableName] = props.table.tableName;
      if (usesInboxes(caps)) environment[ENV.inboxQueueUrls] = inboxUrls;
      if (caps.idHashSecret) environment[ENV.idHmacSecretId] = props.idHmacSecret.secretName;
      if (usesBankAccountKey(caps)) environment[ENV.bankAccountKeyId] = props.bankAccountKey.keyArn;

      const fn = new HpfFunction(this, `Handler-${declaration.id}`, {
        functionName: `${props.prefix}${declaration.id}`,
        entry: declaration.entry,
        description: `HTTP handler ${declaration.id}${declaration.itemCode ? ` (${declaration.itemCode})` : ''}`,
        timeoutSeconds: declaration.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
        memoryMb: declaration.memoryMb ?? DEFAULT_MEMORY_MB,
        environment,
        logRetention: props.logRetention,
        serviceName: `hpf-${declaration.id}`,
        ...(declaration.bundlesOpenApiDocument ? { afterBundling: writeOpenApiIntoBundle } : {}),
      });
      functions.set(declaration.id, fn);

      grantCapabilities(fn.role, caps, props);

      const integration = new HttpLambdaIntegration(`Integration-${declaration.id}`, fn.fn);
      for (const route of declaration.routes) {
        const isPublic = route.access === 'public';
        const [created] = this.api.addRoutes({
          path: route.path,
          methods: [HttpMethod[route.method]],
          integration,
          ...(isPublic ? {} : { authorizer }),
        });
        if (created === undefined) throw new Error(`no route created for ${routeKey(route)}`);
        if (isPublic) {
          Validations.of(created).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason:
              `${routeKey(route)} is declared public (DESIGN.md §5): it answers anonymous callers and ` +
              'returns no personal data beyond masked values.',
          });
        }
        if (route.throttle !== undefined) throttledRoutes.push(created);
      }
    }
    this.functions = functions;

    // HTTP APIs throttle per route through the stage's RouteSettings, keyed by route key.
    const routeSettings = routeThrottleSettings(handlers);
    if (Object.keys(routeSettings).length > 0) {
      const cfnStage = this.stage.node.defaultChild as CfnStage;
      cfnStage.routeSettings = routeSettings;
      // The stage can only carry settings for routes that already exist.
      for (const route of throttledRoutes) this.stage.node.addDependency(route);
    }

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the HTTP API' });

    if (props.portal.deployed) {
      this.portal = new PortalHosting(this, 'Portal', {
        assetDir: props.portalAssetDir ?? buildPortalForDeployment(),
        apiBaseUrl: props.publicBaseUrl ?? this.stage.url,
        apiSource: props.publicBaseUrl ?? `https://*.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`,
        oidc: {
          issuer: props.jwtIssuer,
          authorizationEndpoint: props.portal.authorizationEndpoint,
          tokenEndpoint: props.portal.tokenEndpoint,
          clientId: props.portal.clientId,
        },
        china: props.china,
        ...(props.portal.domain === undefined ? {} : { domain: props.portal.domain }),
        ...(props.portal.webAclArn === undefined ? {} : { webAclArn: props.portal.webAclArn }),
        logRetentionDays: props.logRetention,
      });
      // The portal's origin joins the configured ones (its default name is known only at deploy time).
      (this.api.node.defaultChild as CfnApi).addPropertyOverride('CorsConfiguration.AllowOrigins', [
        ...props.allowedOrigins,
        this.portal.origin,
      ]);
      new CfnOutput(this, 'PortalUrl', { value: this.portal.origin, description: 'The web portal' });
    }
  }
}
