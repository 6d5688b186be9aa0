/**
 * The owning centre's audit trail of what it disclosed to another centre (DESIGN.md §4): who
 * asked, for what purpose and application, which fields, when. Kept in the owner's own partition
 * `C#<owner>#DISCLOSURE#<YYYY-MM>`, newest by time, and indexed by the person disclosed about
 * (GSI1 `DISCLOSED#<personKey>` / `<at>#<requestId>`): one person's disclosures by every centre are
 * one query, for the person to read (PIPL Art. 44–45, `GET /v1/me/disclosures`).
 */
import { toBeijingDate } from '../calendar/working-days.js';
import type { CentreRepository } from './centre-repository.js';
import { centreKey } from './table.js';

export interface DisclosedRequest {
  requestId: string;
  correlationId: string;
  from: string;
  payload: { applicationId: string; personKey: string; purpose: string };
}

/** The GSI1 partition of one person's disclosures, by every centre. */
export function disclosedAboutKey(personKey: string): string {
  return `DISCLOSED#${personKey}`;
}

export async function recordDisclosure(
  repository: CentreRepository,
  request: DisclosedRequest,
  fieldsDisclosed: readonly string[],
  now: Date,
): Promise<void> {
  await repository.put({
    PK: centreKey(repository.city, 'DISCLOSURE', toBeijingDate(now).slice(0, 7)),
    SK: `${now.toISOString()}#${request.requestId}`,
    GSI1PK: disclosedAboutKey(request.payload.personKey),
    GSI1SK: `${now.toISOString()}#${request.requestId}`,
    requestId: request.requestId,
    correlationId: request.correlationId,
    askedBy: request.from,
    purpose: request.payload.purpose,
    applicationId: request.payload.applicationId,
    personKey: request.payload.personKey,
    fieldsDisclosed: [...fieldsDisclosed],
    disclosedAt: now.toISOString(),
  });
}
