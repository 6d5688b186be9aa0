/**
 * The web portal in AWS (issue 15): its built files in a private S3 bucket, served by CloudFront
 * over HTTPS with a response-headers policy, and `config.json` written beside them at deploy time
 * (the API's address and the OIDC client), so one bundle serves every deployment.
 *
 * Global regions: origin access control (OAC), the default *.cloudfront.net name unless a domain
 * and an ACM certificate are configured, a web ACL when one is given.
 * China regions (aws-cn): CloudFront there serves only an ICP-filed domain (CNAME), takes its
 * certificate from the IAM certificate store (no ACM), reaches S3 through an origin access
 * identity, and has no edge WAF; without a domain and certificate the portal is not deployed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Annotations,
  DefaultStackSynthesizer,
  Duration,
  RemovalPolicy,
  Stack,
  Token,
  Validations,
} from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  type CfnDistribution,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  type IOrigin,
  OriginAccessIdentity,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { buildPortalSync } from '../../web/build.js';
import { portalContentSecurityPolicy } from '../../web/content-security-policy.js';
import type { PortalConfig } from '../../web/src/config.js';

export interface PortalHostingProps {
  /** The built portal (web/build.ts). */
  assetDir: string;
  /** The API's base URL, written into config.json (a token at synthesis). */
  apiBaseUrl: string;
  /**
   * The API in the CSP: it must not reference the API's resources, whose CORS names the
   * distribution (a cycle), so the API's custom address or every execute-api host of the region.
   */
  apiSource: string;
  /** The OIDC public client; its redirect URI is the portal's own address. */
  oidc: Omit<PortalConfig['oidc'], 'redirectUri'>;
  /** Whether the stacks target a China region (partition aws-cn). */
  china: boolean;
  /** The portal's own domain (required in China: ICP-filed), with its certificate. */
  domain?: { name: string; certificate: string };
  /** A CLOUDFRONT-scoped web ACL (global regions; it lives in us-east-1). */
  webAclArn?: string;
  logRetentionDays: number;
}

/** The portal built now (esbuild, well under a second) into a directory of its own for the asset. */
export function buildPortalForDeployment(): string {
  const outDir = mkdtempSync(join(tmpdir(), 'hpf-portal-'));
  buildPortalSync(outDir);
  return outDir;
}

export class PortalHosting extends Construct {
  readonly distribution: Distribution;
  /** `https://<domain>`: the origin the API's CORS allows. */
  readonly origin: string;

  constructor(scope: Construct, id: string, props: PortalHostingProps) {
    super(scope, id);
    if (props.china && props.domain === undefined)
      throw new Error('CloudFront in the China regions serves only an ICP-filed domain: set one');

    const logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront's standard logs are written with an ACL, which only an object-writer bucket accepts.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(props.logRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const files = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'bucket/',
      // rebuilt from the repository on every deploy
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const idpOrigins = new Set(
      [props.oidc.issuer, props.oidc.authorizationEndpoint, props.oidc.tokenEndpoint].map(
        (u) => new URL(u).origin,
      ),
    );
    const headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Huaihai HPF portal: security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: portalContentSecurityPolicy([props.apiSource, ...idpOrigins]),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });
    // Hashed bundle names may be cached for long; index.html and config.json never are.
    const assets = new CachePolicy(this, 'Assets', {
      comment: 'portal files with content-hashed names',
      defaultTtl: Duration.days(1),
      maxTtl: Duration.days(365),
      minTtl: Duration.seconds(0),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const entry = new CachePolicy(this, 'Entry', {
      comment: 'portal entry page and runtime config',
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(60),
      minTtl: Duration.seconds(0),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const origin: IOrigin = props.china
      ? S3BucketOrigin.withOriginAccessIdentity(files, {
          originAccessIdentity: new OriginAccessIdentity(this, 'Identity', { comment: 'HPF portal' }),
        })
      : S3BucketOrigin.withOriginAccessControl(files);
    const behaviour = {
      origin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      responseHeadersPolicy: headers,
      compress: true,
    };
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Huaihai HPF portal',
      defaultRootObject: 'index.html',
      defaultBehavior: { ...behaviour, cachePolicy: assets },
      additionalBehaviors: {
        '/index.html': { ...behaviour, cachePolicy: entry },
        '/config.json': { ...behaviour, cachePolicy: entry },
      },
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      ...(props.webAclArn === undefined ? {} : { webAclId: props.webAclArn }),
      ...(props.domain !== undefined && !props.china
        ? {
            domainNames: [props.domain.name],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificate),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    if (props.china && props.domain !== undefined) {
      // No ACM in the China regions: the certificate is an IAM server certificate, by its id.
      const cfn = this.distribution.node.defaultChild as CfnDistribution;
      cfn.addPropertyOverride('DistributionConfig.Aliases', [props.domain.name]);
      cfn.addPropertyOverride('DistributionConfig.ViewerCertificate', {
        IamCertificateId: props.domain.certificate,
        SslSupportMethod: 'sni-only',
        MinimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      });
    }
    this.origin = `https://${props.domain?.name ?? this.distribution.distributionDomainName}`;

    const runtimeConfig: PortalConfig = {
      apiBaseUrl: props.apiBaseUrl,
      oidc: { ...props.oidc, redirectUri: `${this.origin}/` },
    };
    const deployment = new BucketDeployment(this, 'Deploy', {
      sources: [Source.asset(props.assetDir), Source.jsonData('config.json', runtimeConfig)],
      destinationBucket: files,
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      prune: true,
    });
    acknowledgeDeploymentFunction(deployment);
    this.acknowledgeDistribution(props);
    if (props.domain === undefined)
      Annotations.of(this).addInfo(
        `The portal is at ${this.distribution.distributionDomainName}; set hpf:portalDomain for a domain of its own.`,
      );
  }

  private acknowledgeDistribution(props: PortalHostingProps): void {
    const distribution = this.distribution.node.defaultChild as CfnDistribution;
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'The portal serves the depositors of the ten centres wherever they are (a depositor abroad applies ' +
        'for an emigration withdrawal online); its files are public and hold no personal data.',
    });
    if (props.webAclArn === undefined)
      Validations.of(distribution).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason: props.china
          ? 'CloudFront in the China regions has no AWS WAF integration.'
          : 'Static files only, no server-side logic; the API the portal calls has its own per-route ' +
            'throttles. A CLOUDFRONT web ACL lives in us-east-1: pass its ARN as hpf:portalWebAclArn to attach it.',
      });
    if (props.china) {
      Validations.of(distribution).acknowledge({
        id: 'AwsSolutions-CFR7',
        reason:
          'CloudFront in the China regions has no origin access control (AWS::CloudFront::OriginAccessControl ' +
          'is not a resource type there, awslabs/aws-solutions-constructs#1050): the bucket is reached through an ' +
          'origin access identity and stays private.',
      });
      Validations.of(distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'The viewer certificate is the IAM server certificate with TLSv1.2_2021, set by a property override ' +
          'that cdk-nag does not read (the infra test checks the template).',
      });
    } else if (props.domain === undefined)
      Validations.of(distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a domain of its own the distribution uses the default *.cloudfront.net certificate, whose ' +
          'security policy CloudFront fixes; set hpf:portalDomain and hpf:portalCertificate to enforce TLSv1.2_2021.',
      });
  }
}

/** CDK's one bucket-deployment function per stack (a singleton), which copies the built files. */
function acknowledgeDeploymentFunction(deployment: BucketDeployment): void {
  const stack = Stack.of(deployment);
  const singleton = stack.node.children.find((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  if (singleton === undefined) throw new Error('the bucket-deployment function was not found');
  Validations.of(singleton).acknowledge({
    id: 'AwsSolutions-L1',
    reason: 'CDK chooses and updates the runtime of its own bucket-deployment function with aws-cdk-lib.',
  });
  Validations.of(singleton).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: "CDK's bucket-deployment function writes only its own logs with the basic execution role.",
  });
  for (const wildcard of [
    'Action::s3:GetObject*',
    'Action::s3:GetBucket*',
    'Action::s3:List*',
    'Action::s3:DeleteObject*',
    'Action::s3:Abort*',
    'Resource::<PortalFilesA1E38FB9.Arn>/*',
    `Resource::arn:<AWS::Partition>:s3:::cdk-${bootstrapQualifier(stack)}-assets-${literalOr(stack.account, '<AWS::AccountId>')}-${literalOr(stack.region, '<AWS::Region>')}/*`,
  ])
    Validations.of(singleton).acknowledge({
      id: `AwsSolutions-IAM5[${wildcard}]`,
      reason:
        'CDK grants its bucket-deployment function read on the staged asset and read-write on the portal ' +
        "bucket's objects (it copies and prunes every file); no other bucket.",
    });
  Validations.of(singleton).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      "cloudfront:CreateInvalidation and GetInvalidation, after a deploy, support no resource-level scoping in CDK's grant.",
  });
}

function bootstrapQualifier(stack: Stack): string {
  const qualifier: unknown = stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier');
  return typeof qualifier === 'string' ? qualifier : DefaultStackSynthesizer.DEFAULT_QUALIFIER;
}

/** A stack's account or region as cdk-nag writes it: the literal when the stack has one. */
function literalOr(value: string, pseudo: string): string {
  return Token.isUnresolved(value) ? pseudo : value;
}
