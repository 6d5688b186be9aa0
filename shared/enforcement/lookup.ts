/**
 * The region-wide look-up for a case in hand (issue 12): a staff member names one of their own
 * centre's open applications (never an ID number), and learns the joint-enforcement records of its
 * applicant (and of a co-applying spouse who confirmed) in every centre: what, which centre, until
 * when; never facts or evidence. Each look-up is audited in the centre's trail.
 */

import { randomUUID } from 'node:crypto';
import { auditItem } from '../applications/audit.js';
import type { Staff } from '../applications/kernel.js';
import { type ApplicationBase, OPEN_STATUSES } from '../applications/records.js';
import { DomainError } from '../errors/domain-error.js';
import { getApplication } from '../loans/decide.js';
import { confirmedSpouse } from '../loans/store.js';
import type { CentreRepository } from '../persistence/centre-repository.js';
import { centreRepository } from '../persistence/centre-repository.js';
import { recordDisclosure } from '../persistence/disclosures.js';
import { getWithdrawal } from '../withdrawals/withdrawals.js';
import { restrictionsOfPerson } from './records.js';
import type { Restriction } from './rules.js';

/** A restriction as another centre's staff see it: no decision detail beyond what refuses. */
function lookupView(r: Restriction) {
  return { recordId: r.recordId, city: r.city, kind: r.kind, until: r.until, confirmedAt: r.confirmedAt };
}

export async function lookupForCase(
  repository: CentreRepository,
  applicationId: string,
  staff: Staff,
  now: Date,
) {
  const application: (ApplicationBase & { household?: unknown }) | undefined =
    applicationId.slice(6, 9) === '-W-'
      ? await getWithdrawal(repository, applicationId)
      : await getApplication(repository, applicationId);
  if (!application) throw new DomainError('NOT_FOUND');
  if (!OPEN_STATUSES.includes(application.status)) {
    throw new DomainError('ENFORCEMENT_LOOKUP_CASE_CLOSED', { applicationStatus: application.status });
  }
  const spouse =
    application.itemCode === 'OFFSITE_LOAN'
      ? confirmedSpouse((application as Awaited<ReturnType<typeof getApplication>>)?.household)
      : undefined;
  const [applicant, coApplicant] = await Promise.all([
    restrictionsOfPerson(repository, application.personKey),
    spouse?.coApplies ? restrictionsOfPerson(repository, spouse.personKey) : [],
  ]);
  // What each recording centre's record told the looking centre is a disclosure of that centre
  // about the person: the person reads it in GET /v1/me/disclosures, the recording centre in its audit.
  const lookupId = randomUUID();
  const disclosed = [
    ...applicant.map((r) => ({ r, personKey: application.personKey })),
    ...(spouse?.coApplies ? coApplicant.map((r) => ({ r, personKey: spouse.personKey })) : []),
  ];
  const byCentreAndPerson = new Map(disclosed.map((d) => [`${d.r.city}#${d.personKey}`, d]));
  await Promise.all(
    [...byCentreAndPerson.values()].map(({ r, personKey }) =>
      recordDisclosure(
        centreRepository(r.city),
        {
          requestId: `${lookupId}-${r.city}`,
          correlationId: lookupId,
          from: repository.city,
          payload: { applicationId, personKey, purpose: 'enforcement-lookup' },
        },
        ['enforcementRecords'],
        now,
      ),
    ),
  );
  await repository.transactWrite([
    auditItem(repository.city, {
      at: now,
      staff: staff.subject,
      action: 'enforcement-lookup',
      application,
      outcome: `${applicant.length + coApplicant.length} records`,
    }),
  ]);
  return {
    applicationId,
    applicant: applicant.map(lookupView),
    ...(spouse?.coApplies ? { coApplicant: coApplicant.map(lookupView) } : {}),
    lookedUpAt: now.toISOString(),
  };
}
