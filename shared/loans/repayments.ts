/**
 * Monthly repayments (月还款): each running loan pays the instalment due in the month, once
 * (the repayment record is its own guard). A loan contracted in an earlier year reprices on
 * 1 January after a rate change: the instalment of a new year is computed at the rate in force
 * on 1 January, and the rest of the schedule is recomputed from the outstanding principal.
 * The last instalment repays the loan; it leaves the regional loan index (counted as repaid).
 */
import { monthOf } from '../calendar/dates.js';
import { toBeijingDate } from '../calendar/working-days.js';
import { logger } from '../observability/logger.js';
import type { CentreRepository, TransactItem } from '../persistence/centre-repository.js';
import { centreKey } from '../persistence/table.js';
import { withOptimisticRetry } from '../persistence/transactions.js';
import { rateForInstalment } from './decision-rule.js';
import { getLoan } from './disburse.js';
import { repaymentSchedule } from './schedule.js';
import { type LoanRecord, loanKey, loanRepaidItems } from './store.js';

export interface RepaymentReport {
  city: string;
  month: string;
  posted: number;
  alreadyPosted: number;
  repriced: number;
  repaid: number;
}

/** The schedule for the month's instalment at the rate it carries (repriced on 1 January). */
export function scheduleFor(
  loan: LoanRecord,
  month: string,
): { schedule: LoanRecord['schedule']; rate: number; ruleVersion: string; repriced: boolean } {
  const rate = rateForInstalment({
    contractDate: loan.contractDate,
    homeOrder: loan.homeOrder,
    // The band is the contract's, whatever prepayments have shortened since.
    termMonths: loan.contractTermMonths,
    dueMonth: month,
  });
  if (rate.annualRateHundredthsBp === loan.annualRateHundredthsBp) {
    return {
      schedule: loan.schedule,
      rate: loan.annualRateHundredthsBp,
      ruleVersion: loan.rateRuleVersion,
      repriced: false,
    };
  }
  const paid = loan.schedule.filter((i) => i.number <= loan.paidInstalments);
  const rest = repaymentSchedule({
    principalFen: loan.outstandingPrincipalFen,
    annualRateHundredthsBp: rate.annualRateHundredthsBp,
    termMonths: loan.termMonths - loan.paidInstalments,
    method: loan.method,
    firstDueMonth: month,
  }).instalments.map((i) => ({ ...i, number: i.number + loan.paidInstalments }));
  return {
    schedule: [...paid, ...rest],
    rate: rate.annualRateHundredthsBp,
    ruleVersion: rate.ruleVersion,
    repriced: true,
  };
}

/**
 * Posts the loan's next unpaid instalment if it is due by `month`. Instalments are posted in order:
 * one the job missed (it did not run that month) is posted before a later one, and an earlier month
 * asked for after a later one finds it already paid.
 */
async function postNextInstalment(
  repository: CentreRepository,
  loanId: string,
  month: string,
  now: Date,
): Promise<'alreadyPosted' | 'notDue' | { repriced: boolean; repaid: boolean }> {
  return withOptimisticRetry(async () => {
    const loan = await getLoan(repository, loanId);
    if (loan?.status !== 'active') return 'notDue';
    const next = loan.schedule.find((i) => i.number === loan.paidInstalments + 1);
    if (!next || next.dueMonth > month) {
      const asked = loan.schedule.find((i) => i.dueMonth === month);
      return asked && asked.number <= loan.paidInstalments ? 'alreadyPosted' : 'notDue';
    }
    const dueMonth = next.dueMonth;
    const { schedule, rate, ruleVersion, repriced } = scheduleFor(loan, dueMonth);
    const instalment = schedule.find((i) => i.dueMonth === dueMonth);
    if (!instalment) return 'notDue';
    const outstanding = loan.outstandingPrincipalFen - instalment.principalFen;
    const repaid = outstanding === 0;
    const items: TransactItem[] = [
      {
        Update: {
          Key: loanKey(repository.city, loanId),
          UpdateExpression:
            'SET outstandingPrincipalFen = :outstanding, paidInstalments = :paid, lastPaidMonth = :month, ' +
            '#schedule = :schedule, annualRateHundredthsBp = :rate, rateRuleVersion = :ruleVersion, ' +
            `#status = :status, #version = :next${repaid ? ', repaidOn = :repaidOn' : ''}`,
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#schedule': 'schedule', '#status': 'status', '#version': 'version' },
          ExpressionAttributeValues: {
            ':outstanding': outstanding,
            ':paid': instalment.number,
            ':month': dueMonth,
            ':schedule': schedule,
            ':rate': rate,
            ':ruleVersion': ruleVersion,
            ':status': repaid ? 'repaid' : 'active',
            ...(repaid ? { ':repaidOn': toBeijingDate(now) } : {}),
            ':version': loan.version,
            ':next': loan.version + 1,
          },
        },
      },
      {
        Put: {
          Item: {
            ...loanKey(repository.city, loanId),
            SK: `REPAYMENT#${dueMonth}`,
            ...instalment,
            annualRateHundredthsBp: rate,
            postedAt: now.toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    ];
    if (repaid) items.push(...loanRepaidItems(loan, now.toISOString()));
    await repository.transactWrite(items);
    return { repriced, repaid };
  });
}

/** A month not yet begun (Beijing time) has nothing due: the job, a re-run or a forged chunk is refused. */
export function assertMonthBegun(month: string, now: Date): void {
  if (month > monthOf(toBeijingDate(now)))
    throw new RangeError(`month ${month} has not begun: no instalment is due yet`);
}

function emptyRepaymentReport(city: string, month: string): RepaymentReport {
  return { city, month, posted: 0, alreadyPosted: 0, repriced: 0, repaid: 0 };
}

export function addRepaymentReports(into: RepaymentReport, more: RepaymentReport): RepaymentReport {
  into.posted += more.posted;
  into.alreadyPosted += more.alreadyPosted;
  into.repriced += more.repriced;
  into.repaid += more.repaid;
  return into;
}

/**
 * One page of a centre's running loans: up to `limit` loan ids in order after `after`. `next` is
 * the cursor of the following page, absent on the last (a full page may have an empty one after it).
 */
export async function activeLoansPage(
  repository: CentreRepository,
  page: { after?: string; limit: number },
): Promise<{ loanIds: string[]; next?: string }> {
  const { items } = await repository.query(centreKey(repository.city, 'ACTIVE_LOANS'), {
    ...(page.after === undefined
      ? {}
      : { sortKeyCondition: 'SK > :after', ExpressionAttributeValues: { ':after': page.after } }),
    Limit: page.limit,
    ConsistentRead: true,
  });
  const loanIds = items.map((link) => String(link.loanId));
  const lastLink = items.at(-1);
  return items.length === page.limit && lastLink ? { loanIds, next: String(lastLink.SK) } : { loanIds };
}

/** The month's instalment of each loan, each posted once (its repayment record is the guard). */
export async function postLoans(
  repository: CentreRepository,
  month: string,
  loanIds: readonly string[],
  now: Date,
): Promise<RepaymentReport> {
  assertMonthBegun(month, now);
  const report = emptyRepaymentReport(repository.city, month);
  for (const loanId of loanIds) {
    // every instalment due by the month, in order (missed months first)
    for (let postedNow = 0; ; postedNow++) {
      const outcome = await postNextInstalment(repository, loanId, month, now);
      if (typeof outcome !== 'object') {
        if (outcome === 'alreadyPosted' && postedNow === 0) report.alreadyPosted += 1;
        break;
      }
      report.posted += 1;
      if (outcome.repriced) report.repriced += 1;
      if (outcome.repaid) report.repaid += 1;
    }
  }
  return report;
}

/** A whole centre in this process (tests and one-centre re-runs; the monthly job fans out). */
export async function postCentreRepayments(
  repository: CentreRepository,
  month: string,
  now = new Date(),
): Promise<RepaymentReport> {
  const links = await repository.queryAll(centreKey(repository.city, 'ACTIVE_LOANS'), {
    ConsistentRead: true,
  });
  const report = await postLoans(
    repository,
    month,
    links.map((link) => String(link.loanId)),
    now,
  );
  logger.info('repayments posted', { ...report });
  return report;
}
