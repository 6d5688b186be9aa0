import { applicantView, parseRequestKey } from '../../shared/applications/records.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import { DomainError, invalidFields } from '../../shared/errors/domain-error.js';
import { byRoute, httpHandler } from '../../shared/http/handler.js';
import type { IdempotencyScope } from '../../shared/http/idempotency.js';
import { cityOf, ownRecordOr404 } from '../../shared/http/ownership.js';
import { personListHandler } from '../../shared/http/person-list.js';
import { parseIdNumber } from '../../shared/identity/id-number.js';
import { personKey } from '../../shared/identity/person-key.js';
import { acceptLoanApplication } from '../../shared/loans/apply.js';
import { consentAsCoApplicant, consentRequestOf } from '../../shared/loans/consent.js';
import { getApplication, withdrawApplication } from '../../shared/loans/decide.js';
import {
  type HouseholdInput,
  householdRequestErrors,
  loanRequestErrors,
} from '../../shared/loans/decision-rule.js';
import type { LoanApplicationRecord, LoanRequest } from '../../shared/loans/store.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { AgentLoanBody, ApplicationPath, CitizenLoanBody } from './contract.js';

/**
 * What the applicant sees: the decision and its reasons, no person key, no other centre's raw
 * records; of the spouse, the masked number and the consent, not where the spouse holds accounts
 * or loans (the decision's reasons say what counted).
 */
export function applicationView(application: LoanApplicationRecord) {
  // The applicant's own: what was asked about them, the named record's register included.
  const ownKey = (key: string) => ['applicant', 'property'].includes(parseRequestKey(key).party);
  const own = <T>(entries: Partial<Record<string, T>>) =>
    Object.fromEntries(Object.entries(entries).filter(([key]) => ownKey(key)));
  const spouse = application.household?.spouse;
  const { missingFactsFrom } = application as { missingFactsFrom?: string[] };
  return {
    ...applicantView(
      {
        ...application,
        requests: own(application.requests),
        facts: own(application.facts),
        ...(missingFactsFrom ? { missingFactsFrom: missingFactsFrom.filter(ownKey) } : {}),
      } as LoanApplicationRecord,
      new Date(),
    ),
    household: {
      maritalStatus: application.household?.maritalStatus,
      ...(spouse
        ? {
            spouse: {
              idNumberMasked: spouse.idNumberMasked,
              coApplies: spouse.coApplies,
              consentedAt: spouse.consentedAt ?? null,
            },
          }
        : {}),
    },
  };
}

/** The household's fields that are wrong together (a married applicant without a spouse…): a 400. */
function assertHousehold(household: HouseholdInput, idNumber: string): void {
  const errors = householdRequestErrors(household, idNumber);
  if (errors.length > 0) {
    throw invalidFields(errors.map((e) => ({ in: 'body' as const, ...e })));
  }
}

/** Figures the loan rule cannot decide on (a zero house price…) are a 400 here, never a worker failure. */
function assertDecidable(request: LoanRequest, birthDate: string, now: Date): void {
  const errors = loanRequestErrors(request, { birthDate }, toBeijingDate(now));
  if (errors.length > 0) {
    throw invalidFields(
      errors.map((e) => ({
        in: 'body' as const,
        field: e.field === 'birthDate' ? 'idNumber' : e.field,
        code: e.code,
        message: e.message,
      })),
    );
  }
}

const apply = (channel: 'online' | 'agent') =>
  httpHandler({
    role: channel === 'agent' ? 'agent' : 'citizen',
    body: channel === 'agent' ? AgentLoanBody : CitizenLoanBody,
    handle: async ({ body, caller, correlationId, idempotency }) => {
      const idNumber =
        caller.role === 'citizen' ? caller.idNumber : (body as unknown as { idNumber: string }).idNumber;
      const {
        lendingCity,
        idNumber: _id,
        maritalStatus,
        spouseIdNumber,
        spouseCoApplies,
        ...request
      } = body as typeof body & { idNumber?: string };
      // A branch or sales office accepts on behalf of its own centre only (线下受理、线上审批).
      if (caller.role === 'agent' && lendingCity !== caller.city) throw new DomainError('FORBIDDEN');
      const id = parseIdNumber(idNumber);
      if (!id.ok) throw new DomainError('FORBIDDEN');
      const now = new Date();
      assertDecidable(request, id.value.birthDate, now);
      const household: HouseholdInput = {
        maritalStatus,
        ...(spouseIdNumber !== undefined ? { spouseIdNumber } : {}),
        ...(spouseCoApplies !== undefined ? { spouseCoApplies } : {}),
      };
      assertHousehold(household, id.value.idNumber);
      const application = await acceptLoanApplication(centreRepository(lendingCity), {
        lendingCity,
        idNumber,
        personKey: await personKey(idNumber),
        request,
        household: {
          maritalStatus,
          ...(maritalStatus === 'married' && spouseIdNumber
            ? { spouse: { idNumber: spouseIdNumber, coApplies: spouseCoApplies === true } }
            : {}),
        },
        channel,
        ...(caller.role === 'agent' ? { agentOrgId: caller.agentOrgId } : {}),
        acceptedBy: caller.role === 'agent' ? `${caller.agentOrgId}/${caller.subject}` : caller.subject,
        correlationId,
        idempotencyScope: (idempotency as IdempotencyScope).seed,
        now,
      });
      return {
        status: 202,
        headers: { location: `/v1/me/loan-applications/${application.applicationId}` },
        body: {
          applicationId: application.applicationId,
          status: application.status,
          committedDeadline: application.committedDeadline,
          committedDeadlineCalendar: application.committedDeadlineCalendar,
        },
      };
    },
  });

const list = personListHandler<LoanApplicationRecord>('LOAN', 'applications', (application) => ({
  propertyCity: application.request.propertyCity,
  requestedFen: application.request.requestedFen,
  loanId: application.loanId ?? null,
}));

const show = httpHandler({
  role: 'citizen',
  path: ApplicationPath,
  handle: async ({ path, caller }) => {
    const application = await ownRecordOr404(
      await getApplication(centreRepository(cityOf(path.id)), path.id),
      caller,
    );
    return { status: 200, body: applicationView(application) };
  },
});

/** The applicant withdraws (撤回) an application not yet disbursed; an approval's reservation is released. */
const withdraw = httpHandler({
  role: 'citizen',
  path: ApplicationPath,
  handle: async ({ path, caller }) => {
    const repository = centreRepository(cityOf(path.id));
    await ownRecordOr404(await getApplication(repository, path.id), caller);
    await withdrawApplication(repository, path.id, caller.subject, new Date());
    const updated = await getApplication(repository, path.id);
    return { status: 200, body: updated && applicationView(updated) };
  },
});

/** The co-applying spouse confirms with their own token; for anyone else the application does not exist. */
const consent = httpHandler({
  role: 'citizen',
  path: ApplicationPath,
  handle: async ({ path, caller, correlationId }) => {
    const answer = await consentAsCoApplicant(centreRepository(cityOf(path.id)), {
      applicationId: path.id,
      callerPersonKey: await personKey(caller.idNumber),
      by: caller.subject,
      correlationId,
      now: new Date(),
    });
    return { status: 200, body: answer };
  },
});

/** The named spouse reads what they are asked to confirm, before confirming; for anyone else it does not exist. */
const consentRequest = httpHandler({
  role: 'citizen',
  path: ApplicationPath,
  handle: async ({ path, caller }) => ({
    status: 200,
    body: await consentRequestOf(
      centreRepository(cityOf(path.id)),
      path.id,
      await personKey(caller.idNumber),
    ),
  }),
});

export const handler = byRoute({
  'POST /v1/me/loan-applications': apply('online'),
  'POST /v1/agent/loan-applications': apply('agent'),
  'GET /v1/me/loan-applications': list,
  'GET /v1/me/loan-applications/{id}': show,
  'POST /v1/me/loan-applications/{id}/withdrawal': withdraw,
  'GET /v1/me/loan-applications/{id}/co-applicant-consent': consentRequest,
  'POST /v1/me/loan-applications/{id}/co-applicant-consent': consent,
});
