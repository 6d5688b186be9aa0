/** The portal's hosting construct alone (no functions to bundle): a global region with a domain of its own. */
import { expect, it } from '@jest/globals';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildPortalForDeployment, PortalHosting } from '../../infra/constructs/portal-hosting.js';

it('serves a domain of its own with its ACM certificate, TLS 1.2 at least, and the given web ACL', () => {
  const app = new App();
  const nag = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(nag);
  const stack = new Stack(app, 'Portal', { env: { region: 'us-east-1', account: '111111111111' } });
  const webAclArn = 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/portal/abc';
  const hosting = new PortalHosting(stack, 'Portal', {
    assetDir: buildPortalForDeployment(),
    apiBaseUrl: 'https://api.gjj.example.com/',
    apiSource: 'https://api.gjj.example.com/',
    oidc: {
      issuer: 'https://idp.example.com/',
      authorizationEndpoint: 'https://login.example.com/authorize',
      tokenEndpoint: 'https://login.example.com/token',
      clientId: 'portal',
    },
    china: false,
    domain: { name: 'gjj.example.com', certificate: 'arn:aws:acm:us-east-1:111111111111:certificate/abc' },
    webAclArn,
    logRetentionDays: 365,
  });
  expect(hosting.origin).toBe('https://gjj.example.com');
  const template = Template.fromStack(stack);
  const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
  const config = distribution?.Properties?.DistributionConfig;
  expect(config.Aliases).toEqual(['gjj.example.com']);
  expect(config.ViewerCertificate).toMatchObject({
    AcmCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc',
    MinimumProtocolVersion: 'TLSv1.2_2021',
    SslSupportMethod: 'sni-only',
  });
  expect(config.WebACLId).toBe(webAclArn);
  const [headers] = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
  const csp: string =
    headers?.Properties?.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy
      .ContentSecurityPolicy;
  expect(csp).toContain(
    "connect-src 'self' https://api.gjj.example.com/ https://idp.example.com https://login.example.com;",
  );
  expect(nag.validateScope(app).violations).toEqual([]);
});

it('refuses to serve the portal in China without a domain', () => {
  const stack = new Stack(new App(), 'Portal', { env: { region: 'cn-north-1' } });
  expect(
    () =>
      new PortalHosting(stack, 'Portal', {
        assetDir: buildPortalForDeployment(),
        apiBaseUrl: 'https://api.example.com.cn/',
        apiSource: 'https://api.example.com.cn/',
        oidc: {
          issuer: 'https://idp.example.com.cn/',
          authorizationEndpoint: 'https://idp.example.com.cn/authorize',
          tokenEndpoint: 'https://idp.example.com.cn/token',
          clientId: 'portal',
        },
        china: true,
        logRetentionDays: 365,
      }),
  ).toThrow(/ICP-filed domain/);
});
