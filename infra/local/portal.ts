/**
 * The portal on the local gateway: the built files (web/build.ts), its /config.json pointing at
 * the gateway itself, and the dev IdP's sign-in with the portal registered as a public client
 * whose one redirect URI is the gateway's own `/`.
 */

import type { PortalConfig } from '../../web/src/config.js';
import type { DevIdp } from './dev-idp.js';
import { createDevIdpOAuth, type DevIdpPersona, PORTAL_CLIENT_ID } from './dev-idp-oauth.js';
import type { GatewayOptions } from './gateway.js';

export function portalOnGateway(options: {
  idp: DevIdp;
  dir: string;
  personas: readonly DevIdpPersona[];
  /** The gateway's address once listening (the redirect URI is registered from it). */
  gatewayUrl: () => string;
  /** Other exact redirect URIs (a portal served elsewhere, e.g. a dev server). */
  extraRedirectUris?: readonly string[];
}): Pick<GatewayOptions, 'devIdp' | 'portal'> {
  const idpPath = new URL(options.idp.issuer).pathname.replace(/\/$/, '');
  const oauth = createDevIdpOAuth({
    idp: options.idp,
    personas: options.personas,
    clients: () => [
      {
        clientId: PORTAL_CLIENT_ID,
        redirectUris: [`${options.gatewayUrl()}/`, ...(options.extraRedirectUris ?? [])],
      },
    ],
  });
  return {
    devIdp: { issuer: options.idp.issuer, jwks: () => options.idp.jwks(), oauth },
    portal: {
      dir: options.dir,
      config: (baseUrl): PortalConfig => ({
        apiBaseUrl: baseUrl,
        oidc: {
          issuer: options.idp.issuer,
          authorizationEndpoint: `${baseUrl}${idpPath}/authorize`,
          tokenEndpoint: `${baseUrl}${idpPath}/token`,
          clientId: PORTAL_CLIENT_ID,
          redirectUri: `${baseUrl}/`,
        },
      }),
    },
  };
}
