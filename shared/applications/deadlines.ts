/**
 * Recomputing provisional committed deadlines (承诺办结时限). A deadline that reached a year
 * without a State Council holiday notice was counted on the statutory holidays alone and marked
 * provisional; once the notice is committed, every open application's deadline is counted again
 * from its acceptance, on the same number of working days, and the change goes on its timeline
 * (who: the calendar; what: the old and the new deadline) and into its work-queue position.
 * Run daily by the `deadline-recompute` job and by `npm run recompute-deadlines`; a second run
 * changes nothing.
 */
import { type WorkingCalendar, workingCalendar } from '../calendar/working-days.js';
import { catalogueItem } from '../catalogue/catalogue.js';
import type { CityCode } from '../config/cities.js';
import { logger } from '../observability/logger.js';
import type { CentreRepository } from '../persistence/centre-repository.js';
import { withOptimisticRetry } from '../persistence/transactions.js';
import { applicationUpdate } from './kernel.js';
import { type ApplicationBase, OPEN_STATUSES, workQueue } from './records.js';

/** The timeline's author of a recomputed deadline: no person acted. */
export const CALENDAR_ACTOR = 'system:calendar';

export interface DeadlineChange {
  city: CityCode;
  applicationId: string;
  itemCode: string;
  previousDeadline: string;
  committedDeadline: string;
  calendar: ApplicationBase['committedDeadlineCalendar'];
  /** A notice that makes a weekend a working day can shorten a deadline: staff should know. */
  movedEarlier: boolean;
}

export interface RecomputeReport {
  city: CityCode;
  /** Open applications whose deadline was provisional. */
  provisional: number;
  changed: DeadlineChange[];
  /** Applications that could not be recomputed this run (left as they were, logged; the next run tries again). */
  failed: string[];
}

/** Recomputes one application, read again and guarded by its version; undefined when nothing changes. */
async function recomputeOne(
  repository: CentreRepository,
  key: { PK: string; SK: string },
  calendar: WorkingCalendar,
  now: Date,
): Promise<DeadlineChange | undefined> {
  // The application moved on meanwhile (an answer, a decision): read it again.
  return withOptimisticRetry(async () => {
    const application = await repository.get<ApplicationBase & Record<string, unknown>>(key, {
      consistent: true,
    });
    if (
      !application ||
      !OPEN_STATUSES.includes(application.status) ||
      application.committedDeadlineCalendar !== 'provisional'
    ) {
      return undefined;
    }
    const workingDays =
      application.committedWorkingDays ?? catalogueItem(application.itemCode).committedWorkingDays;
    const next = calendar.committedDeadline(application.acceptedAt, workingDays);
    if (next.deadline === application.committedDeadline && next.calendar === 'provisional') return undefined;
    const year = next.deadline.slice(0, 4);
    await repository.update(
      applicationUpdate(application, {
        by: CALENDAR_ACTOR,
        at: now,
        note:
          next.calendar === 'official'
            ? `承诺办结时限已按${year}年国务院节假日安排重新计算 / committed deadline recomputed on the State Council's ${year} holiday notice`
            : '承诺办结时限已按法定节假日重新计算（暂定） / committed deadline recomputed on the statutory holidays (provisional)',
        entry: {
          event: 'deadline-recomputed',
          previousDeadline: application.committedDeadline,
          committedDeadline: next.deadline,
        },
        sets: {
          committedDeadline: next.deadline,
          committedDeadlineCalendar: next.calendar,
          committedWorkingDays: workingDays,
          GSI1SK: `${next.deadline}#${application.applicationId}`,
        },
      }),
    );
    return {
      city: repository.city,
      applicationId: application.applicationId,
      itemCode: application.itemCode,
      previousDeadline: application.committedDeadline,
      committedDeadline: next.deadline,
      calendar: next.calendar,
      movedEarlier: next.deadline < application.committedDeadline,
    };
  });
}

/** Recomputes the provisional deadlines of a centre's open applications on the calendar in force. */
export async function recomputeProvisionalDeadlines(
  repository: CentreRepository,
  options: { now?: Date; calendar?: WorkingCalendar } = {},
): Promise<RecomputeReport> {
  const now = options.now ?? new Date();
  const calendar = options.calendar ?? workingCalendar;
  const report: RecomputeReport = { city: repository.city, provisional: 0, changed: [], failed: [] };
  for (const status of OPEN_STATUSES) {
    for (const entry of await workQueue(repository.city, status)) {
      if (entry.committedDeadlineCalendar !== 'provisional') continue;
      report.provisional += 1;
      try {
        const change = await recomputeOne(repository, { PK: entry.PK, SK: entry.SK }, calendar, now);
        if (change) report.changed.push(change);
      } catch (error) {
        // One application that cannot be recomputed must not hold up the others.
        report.failed.push(entry.applicationId);
        logger.error('deadline not recomputed', {
          applicationId: entry.applicationId,
          error: error as Error,
        });
      }
    }
  }
  const earlier = report.changed.filter((c) => c.movedEarlier).map((c) => c.applicationId);
  if (earlier.length > 0)
    logger.warn('committed deadlines moved earlier by a notice', { city: repository.city, earlier });
  if (report.changed.length > 0) {
    logger.info('provisional deadlines recomputed', {
      city: repository.city,
      provisional: report.provisional,
      changed: report.changed.length,
    });
  }
  return report;
}
