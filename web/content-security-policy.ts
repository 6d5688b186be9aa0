/**
 * The portal's Content-Security-Policy, one for every host that serves it: CloudFront's
 * response-headers policy in AWS (infra/constructs/portal-hosting.ts) and the local gateway, so
 * the browser tests run the portal under the policy it is deployed with.
 */
export function portalContentSecurityPolicy(
  /** What the portal calls besides its own origin: the API and the identity provider. */
  connectSources: readonly string[],
): string {
  return [
    "default-src 'self'",
    ["connect-src 'self'", ...connectSources].join(' '),
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
