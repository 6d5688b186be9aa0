/**
 * Who is calling: the JWT claims API Gateway's authorizer verified, in
 * `requestContext.authorizer.jwt.claims` (DESIGN.md §5). The handler trusts the signature
 * (checked upstream) but still validates the shape: a token without the claims its role needs
 * is refused, not half-used.
 */
import type { CityCode } from '../config/cities.js';
import { isCityCode } from '../config/cities.js';
import { ROLES, type Role } from '../services/declaration.js';

export type Caller =
  | { role: 'citizen'; subject: string; idNumber: string }
  | { role: 'employer'; subject: string; uscc: string; city: CityCode }
  | { role: 'staff'; subject: string; city: CityCode }
  | { role: 'agent'; subject: string; city: CityCode; agentOrgId: string };

type Claims = Record<string, string | number | boolean | string[] | undefined>;

function text(claims: Claims, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The caller, or undefined when the claims do not describe a complete caller of a known role. */
export function callerFromClaims(claims: Claims | undefined): Caller | undefined {
  if (!claims) return undefined;
  const role = text(claims, 'role');
  const subject = text(claims, 'sub');
  if (!role || !subject || !(ROLES as readonly string[]).includes(role)) return undefined;
  const city = text(claims, 'city');
  const validCity = city !== undefined && isCityCode(city) ? city : undefined;
  switch (role as Role) {
    case 'citizen': {
      const idNumber = text(claims, 'idNumber');
      return idNumber ? { role: 'citizen', subject, idNumber: idNumber.toUpperCase() } : undefined;
    }
    case 'employer': {
      // Credit codes are upper case (GB 32100); an identity provider may not have normalised it.
      const uscc = text(claims, 'uscc')?.toUpperCase();
      return uscc && validCity ? { role: 'employer', subject, uscc, city: validCity } : undefined;
    }
    case 'staff':
      return validCity ? { role: 'staff', subject, city: validCity } : undefined;
    case 'agent': {
      const agentOrgId = text(claims, 'agentOrgId');
      return agentOrgId && validCity ? { role: 'agent', subject, city: validCity, agentOrgId } : undefined;
    }
  }
}
