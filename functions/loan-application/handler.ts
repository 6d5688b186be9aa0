/**
 * OFFSITE_LOAN 异地贷款 (and the local loan it generalises):
 *  POST /v1/me/loan-applications         a citizen applies
 *  POST /v1/agent/loan-applications      a bank branch or sales office accepts for a present citizen
 *  GET  /v1/me/loan-applications/{id}    status, timeline, facts used, rule version, decision, reasons
 * The function only records the application and its outgoing facts requests; the centres'
 * workers answer and decide.
 */
import * as z from 'zod/mini';
import { agentSubmissionItem, requestsView, timeLeft } from '../../shared/applications/records.js';
import { isCityCode } from '../../shared/config/cities.js';
import { DomainError } from '../../shared/errors/domain-error.js';
import { cityField, fenField, idNumberField } from '../../shared/http/fields.js';
import { byRoute, httpHandler } from '../../shared/http/handler.js';
import { personKey } from '../../shared/identity/person-key.js';
import { acceptLoanApplication } from '../../shared/loans/apply.js';
import { getApplication, releaseItem, transitionItem } from '../../shared/loans/decide.js';
import { REPAYMENT_METHODS } from '../../shared/loans/schedule.js';
import { cityOfApplication, type LoanApplicationRecord } from '../../shared/loans/store.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';

const LoanRequestFields = {
  lendingCity: cityField,
  propertyCity: cityField,
  housePriceFen: fenField,
  requestedFen: z.int().check(z.minimum(100_000), z.maximum(10_000_000_000)),
  termMonths: z.int().check(z.minimum(12), z.maximum(360)),
  method: z.enum(REPAYMENT_METHODS),
  declaredHomeOrder: z.enum(['first', 'second']),
  monthlyIncomeFen: fenField,
  otherMonthlyDebtFen: z._default(fenField, 0),
};

/** What the applicant sees: the decision and its reasons, no person key, no other centre's raw records. */
export function applicationView(application: LoanApplicationRecord) {
  const { PK: _pk, SK: _sk, GSI1PK: _q, GSI1SK: _d, personKey: _key, requests, ...rest } = application;
  return {
    ...rest,
    requests: requestsView(requests),
    timeLeft: timeLeft(rest, new Date()),
  };
}

const apply = (channel: 'online' | 'agent') =>
  httpHandler({
    body: z.strictObject(
      channel === 'agent' ? { ...LoanRequestFields, idNumber: idNumberField } : LoanRequestFields,
    ),
    handle: async ({ body, caller, correlationId }) => {
      if (!caller || (caller.role !== 'citizen' && caller.role !== 'agent'))
        throw new DomainError('FORBIDDEN');
      const idNumber = caller.role === 'citizen' ? caller.idNumber : (body as { idNumber: string }).idNumber;
      const { lendingCity, idNumber: _id, ...request } = body as typeof body & { idNumber?: string };
      // A branch or sales office accepts on behalf of its own centre only (线下受理、线上审批).
      if (caller.role === 'agent' && lendingCity !== caller.city) throw new DomainError('FORBIDDEN');
      const application = await acceptLoanApplication(centreRepository(lendingCity), {
        lendingCity,
        idNumber,
        personKey: await personKey(idNumber),
        request,
        channel,
        ...(caller.role === 'agent' ? { agentOrgId: caller.agentOrgId } : {}),
        acceptedBy: caller.role === 'agent' ? `${caller.agentOrgId}/${caller.subject}` : caller.subject,
        correlationId,
      });
      if (caller.role === 'agent') {
        await centreRepository(lendingCity).put(
          agentSubmissionItem({ ...application, agentOrgId: caller.agentOrgId }),
        );
      }
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

const show = httpHandler({
  path: z.strictObject({ id: z.string().check(z.regex(/^[A-Z0-9-]{8,64}$/)) }),
  handle: async ({ path, caller }) => {
    if (caller?.role !== 'citizen') throw new DomainError('FORBIDDEN');
    const city = cityOfApplication(path.id);
    if (!isCityCode(city)) throw new DomainError('NOT_FOUND');
    const application = await getApplication(centreRepository(city), path.id);
    if (!application || application.personKey !== (await personKey(caller.idNumber)))
      throw new DomainError('NOT_FOUND');
    return { status: 200, body: applicationView(application) };
  },
});

/** The applicant withdraws (撤回) an application not yet disbursed; an approval's reservation is released. */
const withdraw = httpHandler({
  path: z.strictObject({ id: z.string().check(z.regex(/^[A-Z0-9-]{8,64}$/)) }),
  handle: async ({ path, caller }) => {
    if (caller?.role !== 'citizen') throw new DomainError('FORBIDDEN');
    const city = cityOfApplication(path.id);
    if (!isCityCode(city)) throw new DomainError('NOT_FOUND');
    const repository = centreRepository(city);
    const application = await getApplication(repository, path.id);
    if (!application || application.personKey !== (await personKey(caller.idNumber)))
      throw new DomainError('NOT_FOUND');
    if (!['awaiting_facts', 'review', 'approved'].includes(application.status)) {
      throw new DomainError('CANNOT_WITHDRAW', { applicationStatus: application.status });
    }
    await repository.transactWrite([
      { Update: transitionItem(application, 'withdrawn', caller.subject, new Date()) },
      ...(application.status === 'approved' ? [releaseItem(application, new Date())] : []),
    ]);
    const updated = await getApplication(repository, path.id);
    return { status: 200, body: updated && applicationView(updated) };
  },
});

export const handler = byRoute({
  'POST /v1/me/loan-applications': apply('online'),
  'POST /v1/agent/loan-applications': apply('agent'),
  'GET /v1/me/loan-applications/{id}': show,
  'POST /v1/me/loan-applications/{id}/withdrawal': withdraw,
});
