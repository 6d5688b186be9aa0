/**
 * `npm run -s token -- --role <role> …`: prints one token signed by the local IdP (the key the
 * local region uses, kept under .local/dev-idp/), and nothing else on stdout:
 *
 *   TOKEN=$(npm run -s token -- --role staff --city 320300)
 *   curl -H "authorization: Bearer $TOKEN" -X POST http://127.0.0.1:3000/v1/staff/ping/371300
 */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parseIdNumber } from '../../shared/identity/id-number.js';
import { parseUscc } from '../../shared/identity/uscc.js';
import {
  claimProblems,
  createDevIdp,
  DEV_IDP_DIR,
  durationSeconds,
  type HubClaims,
  LOCAL_ISSUER,
  localIssuer,
  recordedIssuer,
} from './dev-idp.js';
import { REPO_ROOT } from './gateway.js';
import { portFromEnv } from './local-config.js';

const USAGE = `usage: npm run -s token -- --role <role> [claims] [--sub <subject>] [--expiresIn 12h]

  --role citizen   --idNumber <18-character ID number>
  --role employer  --uscc <18-character unified social credit code> --city <city code>
  --role staff     --city <city code>
  --role agent     --city <city code> --agentOrgId <bank branch or sales office id>

  city codes: 320300 320700 321300 341300 340600 411400 370400 370800 371300 371700
  --expiresIn: seconds or 30s, 15m, 12h, 7d (default 12h)`;

class UsageError extends Error {}

/** A stable subject for the same claims, so a token made twice names the same caller. */
function defaultSubject(role: string, identity: string): string {
  return `dev-${role}-${createHash('sha256').update(`${role}:${identity}`).digest('hex').slice(0, 12)}`;
}

export function claimsFromArgs(argv: readonly string[]): {
  claims: HubClaims;
  expiresIn: string;
  warnings: string[];
} {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        role: { type: 'string' },
        sub: { type: 'string' },
        idNumber: { type: 'string' },
        uscc: { type: 'string' },
        city: { type: 'string' },
        agentOrgId: { type: 'string' },
        expiresIn: { type: 'string', default: '12h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const warnings: string[] = [];
  const role = values.role;
  if (role === undefined) throw new UsageError('--role is required');

  const raw: Record<string, string> = { role };
  for (const name of ['idNumber', 'uscc', 'city', 'agentOrgId'] as const) {
    const value = values[name];
    if (value !== undefined) raw[name] = value;
  }
  // Normalise as the handlers do: ID number check character X, USCC upper case.
  if (raw.idNumber !== undefined) {
    const parsed = parseIdNumber(raw.idNumber);
    if (parsed.ok) raw.idNumber = parsed.value.idNumber;
  }
  if (raw.uscc !== undefined) {
    const parsed = parseUscc(raw.uscc);
    if (parsed.ok) {
      raw.uscc = parsed.value.uscc;
      if (parsed.value.warning) warnings.push(`warning: ${parsed.value.warning.messageEn}`);
    }
  }
  const identity = [raw.idNumber, raw.uscc, raw.city, raw.agentOrgId].filter(Boolean).join(':');
  raw.sub = values.sub ?? defaultSubject(role, identity);

  // Only the claims of this role go into the token.
  const keep: Record<string, readonly string[]> = {
    citizen: ['idNumber'],
    employer: ['uscc', 'city'],
    staff: ['city'],
    agent: ['city', 'agentOrgId'],
  };
  const allowed = keep[role];
  if (allowed) {
    for (const name of ['idNumber', 'uscc', 'city', 'agentOrgId']) {
      if (raw[name] !== undefined && !allowed.includes(name)) {
        warnings.push(`warning: --${name} is not a claim of role ${role}; left out`);
        delete raw[name];
      }
    }
  }
  const problems = claimProblems(raw);
  if (problems.length > 0) throw new UsageError(problems.join('\n'));

  const expiresIn = values.expiresIn ?? '12h';
  try {
    if (durationSeconds(expiresIn) <= 0) throw new RangeError('--expiresIn must be positive');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return { claims: raw as unknown as HubClaims, expiresIn, warnings };
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof claimsFromArgs>;
  try {
    parsed = claimsFromArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  for (const warning of parsed.warnings) process.stderr.write(`${warning}\n`);
  // The issuer of the running region: PORT as `npm start` reads it, else the one it recorded.
  const persistDir = join(REPO_ROOT, DEV_IDP_DIR);
  const issuer = process.env.PORT
    ? localIssuer(portFromEnv('PORT', 3000))
    : (recordedIssuer(persistDir) ?? LOCAL_ISSUER);
  const idp = await createDevIdp({ persistDir, issuer });
  process.stdout.write(`${await idp.signToken(parsed.claims, { expiresIn: parsed.expiresIn })}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
