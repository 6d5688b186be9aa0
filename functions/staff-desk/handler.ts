/**
 * A centre's staff desk (own centre only):
 *  GET  /v1/staff/applications?status=…             the work queue, soonest committed deadline first
 *  POST /v1/staff/applications/{id}/decision        approve or reject an application waiting for review
 *  POST /v1/staff/loans/{loanId}/disbursement       create the loan and its schedule
 *  GET  /v1/stats/regional-loans                    any staff: loans to depositors of other region cities
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import {
  type ApplicationBase,
  type ApplicationStatus,
  timeLeft,
  workQueue,
} from '../../shared/applications/records.js';
import { CITIES, type CityCode, isCityCode } from '../../shared/config/cities.js';
import { tableName } from '../../shared/config/runtime.js';
import { DomainError } from '../../shared/errors/domain-error.js';
import { fenField, textField } from '../../shared/http/fields.js';
import { byRoute, httpHandler } from '../../shared/http/handler.js';
import {
  getApplication,
  indexForDecision,
  reservationItem,
  transitionItem,
} from '../../shared/loans/decide.js';
import { disburseLoan } from '../../shared/loans/disburse.js';
import {
  type LoanIndexRecord,
  loanIdOf,
  loanIndexKey,
  REGIONAL_LOAN_STATS_PK,
} from '../../shared/loans/store.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { dynamoDocumentClient } from '../../shared/persistence/client.js';
import { cancellationReasons } from '../../shared/persistence/transactions.js';
import { reviewWithdrawal } from '../../shared/withdrawals/review.js';
import { getWithdrawal } from '../../shared/withdrawals/withdrawals.js';

const STATUSES = ['awaiting_facts', 'review', 'approved', 'rejected', 'disbursed', 'withdrawn'] as const;

function staffCity(caller: { role: string; city?: CityCode } | undefined): CityCode {
  if (caller?.role !== 'staff' || !caller.city) throw new DomainError('FORBIDDEN');
  return caller.city;
}

type QueuedApplication = ApplicationBase & { request?: object };

/** The amount asked: a loan's `requestedFen`, a purchase withdrawal's `amountFen`; none for the others. */
function amountAsked(request: object | undefined): number | null {
  const asked = request as { requestedFen?: number; amountFen?: number } | undefined;
  return asked?.requestedFen ?? asked?.amountFen ?? null;
}

/** One line of the work queue: what staff act on, with the time left against the committed deadline. */
function queueLine(application: QueuedApplication, now: Date) {
  const { overdue, workingDaysLeft } = timeLeft(application, now);
  return {
    applicationId: application.applicationId,
    itemCode: application.itemCode,
    status: application.status,
    channel: application.channel,
    idNumber: application.idNumberMasked,
    amountFen: amountAsked(application.request),
    acceptedAt: application.acceptedAt,
    committedDeadline: application.committedDeadline,
    committedDeadlineCalendar: application.committedDeadlineCalendar,
    workingDaysLeft,
    overdue,
    reasons: application.reasons ?? [],
  };
}

const listWorkQueue = httpHandler({
  query: z.strictObject({ status: z._default(z.enum(STATUSES), 'review') }),
  handle: async ({ query, caller }) => {
    const city = staffCity(caller);
    const now = new Date();
    const items = await workQueue<QueuedApplication>(city, query.status as ApplicationStatus);
    return {
      status: 200,
      body: { city, status: query.status, applications: items.map((a) => queueLine(a, now)) },
    };
  },
});

const ApplicationPath = z.strictObject({ id: z.string().check(z.regex(/^[A-Z0-9-]{8,64}$/)) });

function notAwaitingReview(status: string): DomainError {
  return new DomainError('NOT_AWAITING_REVIEW', { applicationStatus: status });
}

const decide = httpHandler({
  path: ApplicationPath,
  body: z.strictObject({
    outcome: z.enum(['approve', 'reject']),
    approvedFen: z.optional(fenField),
    /** In words the applicant understands: it is shown to them. */
    reasonZh: z.optional(textField(500)),
    reasonEn: z.optional(textField(500)),
    /** A withdrawal sent back: the retirement age category its account did not record. */
    womanRetirementCategory: z.optional(z.enum(['age55', 'age50'])),
  }),
  handle: async ({ path, body, caller, correlationId }) => {
    const city = staffCity(caller);
    const repository = centreRepository(city);
    const withdrawal = path.id.slice(6, 9) === '-W-' ? await getWithdrawal(repository, path.id) : undefined;
    const application = withdrawal ? undefined : await getApplication(repository, path.id);
    const open = withdrawal ?? application;
    if (!open) throw new DomainError('NOT_FOUND');
    if (open.status !== 'review') throw notAwaitingReview(open.status);
    const now = new Date();
    const by = `staff:${caller?.subject}`;
    if (withdrawal) {
      const reviewed = await reviewWithdrawal(repository, withdrawal, {
        outcome: body.outcome,
        by,
        correlationId,
        ...(body.reasonZh
          ? {
              reason: {
                code: 'STAFF_DECISION',
                message: { 'zh-CN': body.reasonZh, en: body.reasonEn ?? body.reasonZh },
              },
            }
          : {}),
        ...(body.womanRetirementCategory ? { womanRetirementCategory: body.womanRetirementCategory } : {}),
      });
      return { status: 200, body: reviewed && queueLine(reviewed, now) };
    }
    if (!application) throw new DomainError('NOT_FOUND');
    const proposed =
      (application.decision?.proposedFen as number | undefined) ?? application.request.requestedFen;
    const reason = body.reasonZh
      ? [{ code: 'STAFF_DECISION', message: { 'zh-CN': body.reasonZh, en: body.reasonEn ?? body.reasonZh } }]
      : [];
    if (body.outcome === 'reject') {
      if (reason.length === 0) {
        throw new DomainError('VALIDATION_FAILED', {
          errors: [
            {
              in: 'body',
              field: 'reasonZh',
              code: 'REQUIRED',
              message: { 'zh-CN': '驳回须说明理由。', en: 'A rejection needs a reason.' },
            },
          ],
        });
      }
      await repository.update(
        transitionItem(application, 'rejected', by, now, { reasons: reason, decidedAt: now.toISOString() }),
      );
    } else {
      const approvedFen = body.approvedFen ?? proposed;
      const index = await repository.get<LoanIndexRecord & Record<string, unknown>>(
        loanIndexKey(application.personKey),
        { consistent: true },
      );
      if (indexForDecision(application, index).activeLoans > 0) {
        throw new DomainError('OUTSTANDING_HPF_LOAN');
      }
      try {
        await repository.transactWrite([
          {
            Update: transitionItem(application, 'approved', by, now, {
              loanId: loanIdOf(application.applicationId),
              decision: {
                ...(application.decision ?? {}),
                outcome: 'approved',
                approvedFen,
                decidedAt: now.toISOString(),
                decidedBy: by,
              },
              reasons: [...(application.reasons ?? []), ...reason],
            }),
          },
          reservationItem(application, index, now),
        ]);
      } catch (error) {
        if (!cancellationReasons(error)) throw error;
        throw new DomainError('APPLICATION_CHANGED');
      }
    }
    const updated = await getApplication(repository, path.id);
    return { status: 200, body: updated && queueLine(updated, now) };
  },
});

const disburse = httpHandler({
  path: z.strictObject({ loanId: z.string().check(z.regex(/^[A-Z0-9-]{8,64}$/)) }),
  handle: async ({ path, caller }) => {
    const city = staffCity(caller);
    if (path.loanId.slice(0, 6) !== city) throw new DomainError('NOT_FOUND');
    const loan = await disburseLoan(centreRepository(city), path.loanId, `staff:${caller?.subject}`);
    const { PK: _pk, SK: _sk, GSI1PK: _g, GSI1SK: _s, personKey: _key, ...view } = loan;
    return {
      status: 201,
      body: {
        ...view,
        applicationToDisbursementMinutes: Math.round(loan.applicationToDisbursementMs / 60_000),
      },
    };
  },
});

const regionalStats = httpHandler({
  handle: async ({ caller }) => {
    staffCity(caller);
    const page = await dynamoDocumentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :stats',
        ExpressionAttributeValues: { ':stats': REGIONAL_LOAN_STATS_PK },
      }),
    );
    const cells = (page.Items ?? []).map((item) => ({
      lendingCity: item.lendingCity as string,
      depositCity: item.depositCity as string,
      loanCount: Number(item.loanCount ?? 0),
      amountFen: Number(item.amountFen ?? 0),
      demo: item.demo === true,
    }));
    const byLendingCity = new Map<
      string,
      { lendingCity: string; nameZh: string; loanCount: number; amountFen: number }
    >();
    for (const cell of cells) {
      const entry = byLendingCity.get(cell.lendingCity) ?? {
        lendingCity: cell.lendingCity,
        nameZh: isCityCode(cell.lendingCity) ? CITIES[cell.lendingCity].nameZh : cell.lendingCity,
        loanCount: 0,
        amountFen: 0,
      };
      entry.loanCount += cell.loanCount;
      entry.amountFen += cell.amountFen;
      byLendingCity.set(cell.lendingCity, entry);
    }
    return {
      status: 200,
      body: {
        cells,
        byLendingCity: [...byLendingCity.values()],
        total: {
          loanCount: cells.reduce((n, c) => n + c.loanCount, 0),
          amountFen: cells.reduce((n, c) => n + c.amountFen, 0),
        },
      },
    };
  },
});

export const handler = byRoute({
  'GET /v1/staff/applications': listWorkQueue,
  'POST /v1/staff/applications/{id}/decision': decide,
  'POST /v1/staff/loans/{loanId}/disbursement': disburse,
  'GET /v1/stats/regional-loans': regionalStats,
});
