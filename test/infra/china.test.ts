/**
 * The same app synthesised for a China region (partition aws-cn): no hard-coded `arn:aws:`
 * anywhere, and cdk-nag stays clean there too (DESIGN.md §6).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { CONTEXT_KEYS } from '../../infra/config.js';
import { STACK_NAMES, type Synthesised, synthesise } from './synth.js';

let s: Synthesised;

const PORTAL_DOMAIN = 'gjj.example.com.cn';
const IAM_CERTIFICATE_ID = 'ASCAEXAMPLEIAMCERTIFICATE';

beforeAll(() => {
  s = synthesise({
    [CONTEXT_KEYS.region]: 'cn-north-1',
    [CONTEXT_KEYS.portalDomain]: PORTAL_DOMAIN,
    [CONTEXT_KEYS.portalCertificate]: IAM_CERTIFICATE_ID,
  });
}, 180_000);

afterAll(() => s?.cleanup());

it('targets cn-north-1, taking the partition from AWS::Partition (aws-cn there)', () => {
  for (const stack of [s.hub.stateful, s.hub.api, s.hub.workers, s.hub.ops]) {
    expect(stack.region).toBe('cn-north-1');
    expect(stack.resolve(stack.partition)).toEqual({ Ref: 'AWS::Partition' });
  }
});

it('contains no arn:aws: literal in any template', () => {
  for (const name of STACK_NAMES) {
    const text = JSON.stringify(s.json[name]);
    expect(text).not.toContain('arn:aws:');
    expect(text.length).toBeGreaterThan(0);
  }
});

it('builds ARNs from AWS::Partition', () => {
  const text = JSON.stringify(s.json);
  expect(text).toContain('{"Ref":"AWS::Partition"}');
});

it('leaves no AwsSolutions finding unacknowledged', () => {
  expect(s.nagViolations.map((v) => v.ruleName)).toEqual([]);
});

it('serves the portal from its ICP-filed domain with the IAM certificate, through an origin access identity', () => {
  const distributions = Object.values(s.templates.api.findResources('AWS::CloudFront::Distribution'));
  expect(distributions).toHaveLength(1);
  const config = distributions[0]?.Properties?.DistributionConfig;
  expect(config.Aliases).toEqual([PORTAL_DOMAIN]);
  expect(config.ViewerCertificate).toEqual({
    IamCertificateId: IAM_CERTIFICATE_ID,
    SslSupportMethod: 'sni-only',
    MinimumProtocolVersion: 'TLSv1.2_2021',
  });
  expect(config.Origins[0].S3OriginConfig.OriginAccessIdentity).toBeDefined();
  expect(config.Origins[0].OriginAccessControlId).toBeUndefined();
  expect(config.WebACLId).toBeUndefined();
  s.templates.api.resourceCountIs('AWS::CloudFront::OriginAccessControl', 0);
  s.templates.api.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 1);
  const [api] = Object.values(s.templates.api.findResources('AWS::ApiGatewayV2::Api'));
  expect(api?.Properties?.CorsConfiguration?.AllowOrigins).toContain(`https://${PORTAL_DOMAIN}`);
});
