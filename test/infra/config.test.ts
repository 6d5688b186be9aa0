/** Context handling, the pure helpers of the API stack, and a canary that cdk-nag really checks. */
import { describe, expect, it } from '@jest/globals';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from '../../infra/build-app.js';
import { CONTEXT_KEYS, ConfigError, readConfig } from '../../infra/config.js';
import { declaredCorsMethods, routeThrottleSettings } from '../../infra/stacks/api-stack.js';
import { CITY_CODES } from '../../shared/config/cities.js';
import { type HandlerDeclaration, ONE_OFF_JOBS } from '../../shared/services/declaration.js';
import { cdkJsonContext } from './synth.js';

function appWith(context: Record<string, unknown>): App {
  return new App({ context });
}

describe('context', () => {
  it('reads cdk.json', () => {
    const config = readConfig(appWith(cdkJsonContext()));
    expect(config).toMatchObject({
      jwtIssuer: 'https://idp.example.invalid/',
      jwtAudience: ['huaihai-hpf-hub'],
      idHmacSecretName: 'huaihai-hpf/id-hmac-secret',
      allowedOrigins: ['https://hpf.example.invalid'],
      prefix: 'hpf-',
      logRetention: 365,
    });
    expect(config.region).toBeUndefined();
  });

  it.each([
    CONTEXT_KEYS.jwtIssuer,
    CONTEXT_KEYS.jwtAudience,
    CONTEXT_KEYS.idHmacSecretName,
    CONTEXT_KEYS.allowedOrigins,
  ])('refuses to build without %s, naming the key', (key) => {
    const context = { ...cdkJsonContext() };
    delete context[key];
    expect(() => buildApp({ context, nag: false })).toThrow(ConfigError);
    expect(() => buildApp({ context, nag: false })).toThrow(key);
  });

  it('deploys the portal everywhere except in China without an ICP-filed domain and its certificate', () => {
    expect(readConfig(appWith(cdkJsonContext())).portal).toEqual({
      clientId: 'hpf-portal',
      authorizationEndpoint: 'https://idp.example.invalid/authorize',
      tokenEndpoint: 'https://idp.example.invalid/token',
      deployed: true,
    });
    const china = { ...cdkJsonContext(), [CONTEXT_KEYS.region]: 'cn-northwest-1' };
    expect(readConfig(appWith(china)).portal.deployed).toBe(false);
    const filed = {
      ...china,
      [CONTEXT_KEYS.portalDomain]: 'gjj.example.com.cn',
      [CONTEXT_KEYS.portalCertificate]: 'ASCAEXAMPLE',
      [CONTEXT_KEYS.portalClientId]: 'portal-cn',
    };
    expect(readConfig(appWith(filed)).portal).toMatchObject({
      clientId: 'portal-cn',
      domain: { name: 'gjj.example.com.cn', certificate: 'ASCAEXAMPLE' },
      deployed: true,
    });
  });

  it('refuses a portal domain without its certificate, a malformed domain, and a web ACL in China', () => {
    const withDomain = { ...cdkJsonContext(), [CONTEXT_KEYS.portalDomain]: 'gjj.example.com.cn' };
    expect(() => readConfig(appWith(withDomain))).toThrow(CONTEXT_KEYS.portalCertificate);
    const malformed = {
      ...cdkJsonContext(),
      [CONTEXT_KEYS.portalDomain]: 'https://gjj.example.com.cn/',
      [CONTEXT_KEYS.portalCertificate]: 'arn:aws:acm:us-east-1:111111111111:certificate/x',
    };
    expect(() => readConfig(appWith(malformed))).toThrow(ConfigError);
    const wafInChina = {
      ...cdkJsonContext(),
      [CONTEXT_KEYS.region]: 'cn-north-1',
      [CONTEXT_KEYS.portalWebAclArn]: 'arn:aws-cn:wafv2:cn-north-1:1:global/webacl/x/y',
    };
    expect(() => readConfig(appWith(wafInChina))).toThrow(/no WAF/);
  });

  it('accepts comma-separated lists from the command line', () => {
    const config = readConfig(
      appWith({ ...cdkJsonContext(), [CONTEXT_KEYS.allowedOrigins]: 'https://a.example, https://b.example' }),
    );
    expect(config.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('refuses an issuer that is not https and a retention CloudWatch does not offer', () => {
    expect(() =>
      readConfig(appWith({ ...cdkJsonContext(), [CONTEXT_KEYS.jwtIssuer]: 'http://idp' })),
    ).toThrow(ConfigError);
    expect(() => readConfig(appWith({ ...cdkJsonContext(), [CONTEXT_KEYS.logRetentionDays]: 42 }))).toThrow(
      ConfigError,
    );
  });
});

describe('API helpers', () => {
  const handlers: HandlerDeclaration[] = [
    {
      id: 'certs',
      entry: 'functions/certs/handler.ts',
      routes: [
        {
          method: 'GET',
          path: '/v1/certificates/{verificationCode}',
          access: 'public',
          throttle: { rateLimit: 5, burstLimit: 10 },
        },
        { method: 'POST', path: '/v1/me/certificates', access: ['citizen'] },
      ],
      capabilities: { table: [{ keys: 'R#CERT#', actions: ['GetItem'] }], idHashSecret: true },
    },
  ];

  it('turns declared route throttles into stage RouteSettings keyed by route key', () => {
    expect(routeThrottleSettings(handlers)).toEqual({
      'GET /v1/certificates/{verificationCode}': { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
    });
  });

  it('allows the declared methods in CORS', () => {
    expect(declaredCorsMethods(handlers)).toEqual(['GET', 'POST']);
  });

  it('builds throttled routes, the ID secret grant and scheduled jobs from a declaration (no bundling)', () => {
    const entry = 'functions/platform/handler.ts';
    const hub = buildApp({
      context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] },
      handlers: handlers.map((h) => ({ ...h, entry })),
      scheduledJobs: [
        {
          id: 'outbox-sweep',
          entry,
          // 02:30 Beijing time
          scheduleUtc: { minute: '30', hour: '18' },
          capabilities: {
            table: [{ keys: 'C#{city}#', actions: ['GetItem', 'PutItem'] }],
            inboxes: ['SendMessage'],
          },
          timeoutSeconds: 60,
        },
      ],
    });
    const api = Template.fromStack(hub.api);
    const [stage] = Object.values(api.findResources('AWS::ApiGatewayV2::Stage'));
    expect(stage?.Properties?.RouteSettings).toEqual(routeThrottleSettings(handlers));
    const routes = api.findResources('AWS::ApiGatewayV2::Route', {
      Properties: { RouteKey: 'GET /v1/certificates/{verificationCode}' },
    });
    // The stage can only name a route in RouteSettings once the route exists.
    expect(stage?.DependsOn).toEqual(expect.arrayContaining(Object.keys(routes)));

    const [fn] = Object.values(api.findResources('AWS::Lambda::Function'));
    expect(fn?.Properties?.Environment?.Variables?.ID_HMAC_SECRET_ID).toBe(
      cdkJsonContext()['hpf:idHmacSecretName'],
    );
    expect(JSON.stringify(api.toJSON())).toContain(':secret:huaihai-hpf/id-hmac-secret-??????');

    const workers = Template.fromStack(hub.workers);
    workers.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(30 18 * * ? *)' });
    workers.resourceCountIs('AWS::Lambda::Function', CITY_CODES.length + 1 + ONE_OFF_JOBS.length);
    expect(hub.nag?.validateScope(hub.app).violations).toEqual([]);
  });
});

it('cdk-nag AwsSolutions reports findings on a non-compliant resource (canary)', () => {
  const app = new App();
  const stack = new Stack(app, 'Canary');
  new Queue(stack, 'Plain', { enforceSSL: false });
  const report = new AwsSolutionsChecks().validateScope(app);
  const rules = report.violations.map((v) => v.ruleName);
  expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
});
