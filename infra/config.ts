/**
 * The deployment settings of the CDK app, read from CDK context (cdk.json, or `-c key=value` on the
 * command line). Nothing here is looked up in an AWS account: synthesis stays offline.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export const CONTEXT_KEYS = {
  jwtIssuer: 'hpf:jwtIssuer',
  jwtAudience: 'hpf:jwtAudience',
  idHmacSecretName: 'hpf:idHmacSecretName',
  allowedOrigins: 'hpf:allowedOrigins',
  /** Optional: the target region (e.g. `cn-north-1`); unset = environment-agnostic stacks. */
  region: 'hpf:region',
  /** Optional: the target account; only meaningful together with a region. */
  account: 'hpf:account',
  /** Optional: a prefix for every physical name (queues, functions); default `hpf-`. */
  prefix: 'hpf:prefix',
  /** Optional: CloudWatch Logs retention in days for every log group; default 365. */
  logRetentionDays: 'hpf:logRetentionDays',
  /** Optional: the public https address citizens reach the API at (printed certificates' QR codes); default the API's own endpoint. */
  publicBaseUrl: 'hpf:publicBaseUrl',
  /** Optional: the portal's OIDC client id (a public client: authorization code with PKCE); default `hpf-portal`. */
  portalClientId: 'hpf:portalClientId',
  /** Optional: the OIDC provider's authorization and token endpoints; default `<issuer>/authorize`, `<issuer>/token`. */
  oidcAuthorizationEndpoint: 'hpf:oidcAuthorizationEndpoint',
  oidcTokenEndpoint: 'hpf:oidcTokenEndpoint',
  /** Optional in global regions, required in China: the portal's own domain (ICP-filed there). */
  portalDomain: 'hpf:portalDomain',
  /** With the domain: an ACM certificate ARN in us-east-1 (global) or an IAM server certificate id (China). */
  portalCertificate: 'hpf:portalCertificate',
  /** Optional, global regions only: a CLOUDFRONT-scoped web ACL ARN for the portal. */
  portalWebAclArn: 'hpf:portalWebAclArn',
  /**
   * Optional, for tests: the function entries (as in the declaration) whose code is bundled; every
   * other function gets a stand-in that is never deployable. Unset = every function is bundled.
   */
  bundle: 'hpf:bundle',
} as const;

export interface HubConfig {
  jwtIssuer: string;
  jwtAudience: string[];
  idHmacSecretName: string;
  allowedOrigins: string[];
  region?: string;
  account?: string;
  prefix: string;
  logRetention: RetentionDays;
  publicBaseUrl?: string;
  portal: PortalConfig;
}

/** Where the portal is served from (infra/constructs/portal-hosting.ts). */
export interface PortalConfig {
  clientId: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  domain?: { name: string; certificate: string };
  webAclArn?: string;
  /** China regions serve the portal only from an ICP-filed domain: without one it is not deployed. */
  deployed: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function missing(key: string, what: string): never {
  throw new ConfigError(
    `CDK context "${key}" (${what}) is missing: set it in cdk.json "context" or pass -c ${key}=…`,
  );
}

function requiredString(scope: Construct, key: string, what: string): string {
  const value: unknown = scope.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') missing(key, what);
  if (typeof value !== 'string') throw new ConfigError(`CDK context "${key}" (${what}) must be a string`);
  return value;
}

/** A list given either as a JSON array (cdk.json) or as a comma-separated string (`-c`). */
function requiredList(scope: Construct, key: string, what: string): string[] {
  const value: unknown = scope.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') missing(key, what);
  let list: unknown[];
  if (Array.isArray(value)) list = value;
  else if (typeof value === 'string') {
    const trimmed = value.trim();
    list = trimmed.startsWith('[') ? (JSON.parse(trimmed) as unknown[]) : trimmed.split(',');
  } else throw new ConfigError(`CDK context "${key}" (${what}) must be a list of strings`);
  const strings = list.map((item) => (typeof item === 'string' ? item.trim() : item));
  if (strings.length === 0 || strings.some((item) => typeof item !== 'string' || item === ''))
    throw new ConfigError(`CDK context "${key}" (${what}) must be a non-empty list of non-empty strings`);
  return strings as string[];
}

function optionalString(scope: Construct, key: string): string | undefined {
  const value: unknown = scope.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new ConfigError(`CDK context "${key}" must be a string`);
  return value;
}

const RETENTION_VALUES = new Set<number>(
  Object.values(RetentionDays).filter((v): v is number => typeof v === 'number'),
);

function logRetention(scope: Construct): RetentionDays {
  const raw: unknown = scope.node.tryGetContext(CONTEXT_KEYS.logRetentionDays);
  if (raw === undefined || raw === null || raw === '') return RetentionDays.ONE_YEAR;
  const days = typeof raw === 'number' ? raw : Number(raw);
  if (!RETENTION_VALUES.has(days) || days === RetentionDays.INFINITE)
    throw new ConfigError(
      `CDK context "${CONTEXT_KEYS.logRetentionDays}"=${String(raw)} is not a CloudWatch Logs retention ` +
        `(one of ${[...RETENTION_VALUES].filter((d) => d !== RetentionDays.INFINITE).join(', ')})`,
    );
  return days as RetentionDays;
}

/** Whether the target is a China region (partition aws-cn). */
export function isChinaRegion(region: string | undefined): boolean {
  return region?.startsWith('cn-') ?? false;
}

function httpsEndpoint(scope: Construct, key: string, fallback: string): string {
  const value = optionalString(scope, key) ?? fallback;
  if (!/^https:\/\/[^/?#\s]+(\/[^#\s]*)?$/.test(value))
    throw new ConfigError(`CDK context "${key}" must be an https:// address`);
  return value;
}

function portalConfig(scope: Construct, region: string | undefined, jwtIssuer: string): PortalConfig {
  const clientId = optionalString(scope, CONTEXT_KEYS.portalClientId) ?? 'hpf-portal';
  const issuer = jwtIssuer.replace(/\/+$/, '');
  const authorizationEndpoint = httpsEndpoint(
    scope,
    CONTEXT_KEYS.oidcAuthorizationEndpoint,
    `${issuer}/authorize`,
  );
  const tokenEndpoint = httpsEndpoint(scope, CONTEXT_KEYS.oidcTokenEndpoint, `${issuer}/token`);
  const name = optionalString(scope, CONTEXT_KEYS.portalDomain);
  const certificate = optionalString(scope, CONTEXT_KEYS.portalCertificate);
  const webAclArn = optionalString(scope, CONTEXT_KEYS.portalWebAclArn);
  const china = isChinaRegion(region);
  if ((name === undefined) !== (certificate === undefined))
    throw new ConfigError(
      `CDK context "${CONTEXT_KEYS.portalDomain}" and "${CONTEXT_KEYS.portalCertificate}" go together`,
    );
  if (name !== undefined && !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(name))
    throw new ConfigError(`CDK context "${CONTEXT_KEYS.portalDomain}" must be a lowercase domain name`);
  if (china && webAclArn !== undefined)
    throw new ConfigError(`CDK context "${CONTEXT_KEYS.portalWebAclArn}": CloudFront in China has no WAF`);
  return {
    clientId,
    authorizationEndpoint,
    tokenEndpoint,
    ...(name === undefined || certificate === undefined ? {} : { domain: { name, certificate } }),
    ...(webAclArn === undefined ? {} : { webAclArn }),
    deployed: !china || name !== undefined,
  };
}

export function readConfig(scope: Construct): HubConfig {
  const jwtIssuer = requiredString(scope, CONTEXT_KEYS.jwtIssuer, 'the JWT issuer URL');
  if (!/^https:\/\//.test(jwtIssuer))
    throw new ConfigError(`CDK context "${CONTEXT_KEYS.jwtIssuer}" must be an https:// URL`);
  const prefix = optionalString(scope, CONTEXT_KEYS.prefix) ?? 'hpf-';
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(prefix))
    throw new ConfigError(
      `CDK context "${CONTEXT_KEYS.prefix}" must be lowercase letters, digits and hyphens (at most 16)`,
    );
  const region = optionalString(scope, CONTEXT_KEYS.region);
  const account = optionalString(scope, CONTEXT_KEYS.account);
  if (account !== undefined && region === undefined)
    throw new ConfigError(`CDK context "${CONTEXT_KEYS.account}" needs "${CONTEXT_KEYS.region}" as well`);
  const publicBaseUrl = optionalString(scope, CONTEXT_KEYS.publicBaseUrl)?.replace(/\/+$/, '');
  if (publicBaseUrl !== undefined && !/^https:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(publicBaseUrl))
    throw new ConfigError(
      `CDK context "${CONTEXT_KEYS.publicBaseUrl}" must be an https:// address without query or fragment`,
    );
  return {
    jwtIssuer,
    jwtAudience: requiredList(scope, CONTEXT_KEYS.jwtAudience, 'the JWT audience'),
    idHmacSecretName: requiredString(
      scope,
      CONTEXT_KEYS.idHmacSecretName,
      'the Secrets Manager secret holding the regional ID-hashing key',
    ),
    allowedOrigins: requiredList(scope, CONTEXT_KEYS.allowedOrigins, 'the CORS allowed origins'),
    ...(region === undefined ? {} : { region }),
    ...(account === undefined ? {} : { account }),
    prefix,
    logRetention: logRetention(scope),
    ...(publicBaseUrl === undefined ? {} : { publicBaseUrl }),
    portal: portalConfig(scope, region, jwtIssuer),
  };
}
