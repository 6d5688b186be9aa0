/**
 * The application kernel (DESIGN.md §4 "One path to every decision"): the status machine and its
 * timeline, the automatic decision the worker runs, and the staff actions, for every kind of
 * application alike. An item (loan, withdrawal…) supplies only its rule (`evaluate`) and how an
 * outcome is carried out; the worker, the staff desk and a retry all go through the functions here,
 * so no entry point can approve what the rule would refuse.
 *
 * Staff authority is bounded and shared: a staff member may approve at most the ceiling the rule
 * computes from the facts on record (never above the city cap; none when a centre never answered),
 * may always refuse or reduce with a reason, and any staff decision on a referred application takes
 * effect only when a second staff member of the same centre confirms it (复核, four eyes). Every
 * staff action is audited in the same transaction as the change it makes.
 */
import { DomainError } from '../errors/domain-error.js';
import { parseEnvelope, reissue } from '../messaging/envelope.js';
import { logger } from '../observability/logger.js';
import type { CentreRepository, TransactItem } from '../persistence/centre-repository.js';
import { withOptimisticRetry } from '../persistence/transactions.js';
import { auditItem, type StaffAction } from './audit.js';
import { relayUnsent } from './outbox.js';
import {
  type ApplicationBase,
  type ApplicationStatus,
  type Reason,
  type TimelineEntry,
  workQueueKey,
} from './records.js';

/** Which status may follow which: anything else is a bug or a race, refused. */
export const TRANSITIONS: Readonly<Record<ApplicationStatus, readonly ApplicationStatus[]>> = {
  awaiting_facts: ['review', 'approved', 'rejected', 'paid', 'withdrawn'],
  review: ['pending_confirmation', 'awaiting_facts', 'withdrawn'],
  pending_confirmation: ['approved', 'rejected', 'paid', 'review', 'withdrawn'],
  // paid: an approved back-pay once credited
  approved: ['disbursed', 'paid', 'withdrawn'],
  rejected: [],
  disbursed: [],
  paid: [],
  withdrawn: [],
};

export function canTransition(from: ApplicationStatus, to: ApplicationStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export interface ApplicationChange {
  /** The new status; absent for an entry that records another change (e.g. a recomputed deadline). */
  to?: ApplicationStatus;
  by: string;
  at: Date;
  note?: string;
  /** More members of the timeline entry (an event name, the deadlines it moved…). */
  entry?: Omit<TimelineEntry, 'status' | 'at' | 'by' | 'note'>;
  /** Attributes set in the same write. */
  sets?: Record<string, unknown>;
}

/**
 * The one update that changes an application: its status and work-queue position, one more
 * timeline entry, the version, and `sets`, guarded by the version and status read.
 */
export function applicationUpdate(
  application: Pick<ApplicationBase, 'PK' | 'SK' | 'city' | 'status' | 'version'>,
  change: ApplicationChange,
): NonNullable<TransactItem['Update']> & { Key: { PK: string; SK: string } } {
  const to = change.to ?? application.status;
  if (change.to !== undefined && !canTransition(application.status, change.to)) {
    throw new DomainError('APPLICATION_STATUS_CONFLICT', {
      applicationStatus: application.status,
      requestedStatus: change.to,
    });
  }
  const entry: TimelineEntry = {
    status: to,
    at: change.at.toISOString(),
    by: change.by,
    ...(change.note ? { note: change.note } : {}),
    ...change.entry,
  };
  const names: Record<string, string> = {
    '#status': 'status',
    '#version': 'version',
    '#timeline': 'timeline',
  };
  const values: Record<string, unknown> = {
    ':to': to,
    ':from': application.status,
    ':queue': workQueueKey(application.city, to),
    ':entry': [entry],
    ':version': application.version,
    ':next': application.version + 1,
  };
  const clauses = [
    '#status = :to',
    'GSI1PK = :queue',
    '#timeline = list_append(#timeline, :entry)',
    '#version = :next',
  ];
  Object.entries(change.sets ?? {}).forEach(([name, value], i) => {
    names[`#s${i}`] = name;
    values[`:s${i}`] = value;
    clauses.push(`#s${i} = :s${i}`);
  });
  // Leaving pending_confirmation (confirmed, returned, withdrawn): the pending decision is done with.
  const settled = application.status === 'pending_confirmation' && to !== application.status;
  return {
    Key: { PK: application.PK, SK: application.SK },
    UpdateExpression: `SET ${clauses.join(', ')}${settled ? ' REMOVE pendingDecision' : ''}`,
    ConditionExpression: '#version = :version AND #status = :from',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** A status change: `applicationUpdate` with the new status. */
export function transitionItem(
  application: Pick<ApplicationBase, 'PK' | 'SK' | 'city' | 'status' | 'version'>,
  to: ApplicationStatus,
  by: string,
  at: Date,
  sets: Record<string, unknown> = {},
  note?: string,
) {
  return applicationUpdate(application, { to, by, at, sets, ...(note ? { note } : {}) });
}

// ------------------------------------------------------------------------------------------------
// What an item supplies

/** A decision to carry out: the rule's own, or a staff member's once confirmed. */
export interface Decision {
  outcome: 'approve' | 'reject';
  /** The amount granted (a loan's principal, a withdrawal's payout); the rule's when absent. */
  amountFen?: number;
  reasons: Reason[];
  by: string;
  /** The second staff member who confirmed it (four eyes). */
  confirmedBy?: string;
}

/** Who the status change is by on the timeline: the confirming staff member, or the decider. */
export function actorOf(decision: Decision): string {
  return decision.confirmedBy ?? decision.by;
}

/** Facts a staff member records while deciding (e.g. the women's retirement age on the account). */
export type StaffFacts = Record<string, string>;

/** What the rule says on the facts on record now, and how to carry out a decision on that state. */
export interface Evaluation {
  outcome: 'approve' | 'reject' | 'review';
  /** What the automatic decision grants (approve) or would grant (review). */
  amountFen?: number;
  /** The most staff may approve: the computed limit; absent when none is computable. */
  ceilingFen?: number;
  /** A staff member may not change the amount (a closing withdrawal pays the whole balance). */
  fixedAmount?: boolean;
  reasons: Reason[];
  ruleVersion?: string;
  /** What the record keeps of this evaluation as its `decision`. */
  record: Record<string, unknown>;
  /** The writes that carry out `decision` on the state this evaluation read (its own status change included). */
  carryOut: (decision: Decision, at: Date) => TransactItem[];
}

export interface ApplicationItem<A extends ApplicationBase = ApplicationBase> {
  load(repository: CentreRepository, applicationId: string): Promise<A | undefined>;
  evaluate(
    repository: CentreRepository,
    application: A,
    now: Date,
    staffFacts?: StaffFacts,
  ): Promise<Evaluation>;
  /**
   * Whether staff may ask a centre that did answer again: its answer can change once staff have
   * acted (a property record entered from paper after the register had none). Default: never.
   */
  mayAskAgain?(application: A, city: string): boolean;
}

// ------------------------------------------------------------------------------------------------
// The automatic decision (the worker, after the last answer; the staff desk after asking again)

/** An error that will fail the same way on every delivery: bad input the rule refused to compute on. */
function isDeterministic(error: unknown): boolean {
  // AWS SDK errors carry $metadata: the network, throttling, a service fault — worth a redelivery.
  if (error instanceof DomainError) return error.kind !== 'conflict';
  return error instanceof Error && !('$metadata' in error);
}

const DECISION_FAILED: Reason = {
  code: 'DECISION_FAILED',
  message: {
    'zh-CN': '自动审核未能完成，已转人工审核。',
    en: 'The automatic decision could not be completed; passed to staff review.',
  },
};

/**
 * Decides an application whose answers are all in, by its item's rule; a no-op when it is not
 * waiting any more. A rule that throws on the facts sends the application to review at once, with
 * the failure recorded, instead of failing every delivery until the sweep notices.
 */
export async function decideAutomatically<A extends ApplicationBase>(
  item: ApplicationItem<A>,
  repository: CentreRepository,
  applicationId: string,
  now: Date,
): Promise<ApplicationStatus | undefined> {
  return withOptimisticRetry(async () => {
    const application = await item.load(repository, applicationId);
    if (application?.status !== 'awaiting_facts') return undefined;
    if (Object.values(application.requests).some((r) => !r?.answeredAt)) return undefined;
    if (application.awaitsConfirmation) return undefined;
    let evaluation: Evaluation;
    let items: TransactItem[] = [];
    try {
      evaluation = await item.evaluate(repository, application, now);
      if (evaluation.outcome !== 'review') {
        items = evaluation.carryOut(
          { outcome: evaluation.outcome, reasons: evaluation.reasons, by: 'system' },
          now,
        );
      }
    } catch (error) {
      if (!isDeterministic(error)) throw error;
      logger.warn('decision failed on its input; sent to review', {
        applicationId,
        itemCode: application.itemCode,
        error: error as Error,
      });
      await repository.update(
        transitionItem(application, 'review', 'system', now, {
          reasons: [DECISION_FAILED],
          decisionFailure: {
            at: now.toISOString(),
            error: (error as Error).name,
            detail: (error as Error).message,
          },
        }),
      );
      return 'review';
    }
    if (evaluation.outcome === 'review') {
      await repository.update(
        transitionItem(application, 'review', 'system', now, {
          decision: {
            ...evaluation.record,
            outcome: 'review',
            decidedAt: now.toISOString(),
            decidedBy: 'system',
          },
          reasons: evaluation.reasons,
          ...(evaluation.ruleVersion ? { ruleVersion: evaluation.ruleVersion } : {}),
        }),
      );
      return 'review';
    }
    await repository.transactWrite(items);
    logger.info('application decided', {
      applicationId,
      itemCode: application.itemCode,
      outcome: evaluation.outcome,
      decisionMs: now.getTime() - Date.parse(application.acceptedAt),
    });
    return evaluation.outcome === 'approve' ? 'approved' : 'rejected';
  });
}

// ------------------------------------------------------------------------------------------------
// Staff actions

export interface Staff {
  subject: string;
  city: string;
}

export function staffActor(staff: Staff): string {
  return `staff:${staff.subject}`;
}

/** A staff decision waiting for a second staff member's confirmation. */
export interface PendingDecision {
  outcome: 'approve' | 'reject';
  amountFen?: number;
  reasons: Reason[];
  staffFacts?: StaffFacts;
  decidedBy: string;
  decidedAt: string;
  /** What the rule itself said when the decision was taken (`failed`: it could not decide on the facts). */
  automatic: { outcome: Evaluation['outcome'] | 'failed'; amountFen?: number; ceilingFen?: number };
}

export interface StaffDecisionInput {
  outcome: 'approve' | 'reject';
  amountFen?: number;
  /** Required for a refusal or a reduction: the applicant reads it. */
  reason?: Reason;
  staffFacts?: StaffFacts;
}

function reasonRequired(): DomainError {
  return new DomainError('VALIDATION_FAILED', {
    errors: [
      {
        in: 'body',
        field: 'reasonZh',
        code: 'REQUIRED',
        message: { 'zh-CN': '驳回或核减须说明理由。', en: 'A refusal or a reduction needs a reason.' },
      },
    ],
  });
}

/** The rule's evaluation for a staff member; undefined when the rule cannot decide on the facts. */
async function evaluateForStaff<A extends ApplicationBase>(
  item: ApplicationItem<A>,
  repository: CentreRepository,
  application: A,
  now: Date,
  staffFacts: StaffFacts | undefined,
): Promise<Evaluation | undefined> {
  try {
    return await item.evaluate(repository, application, now, staffFacts);
  } catch (error) {
    if (error instanceof DomainError || !isDeterministic(error)) throw error;
    return undefined;
  }
}

/** The amount a staff approval grants, within the rule's ceiling; throws when it is not allowed. */
function boundedAmount(evaluation: Evaluation, asked: number | undefined): number | undefined {
  if (evaluation.outcome === 'reject' || evaluation.ceilingFen === undefined) {
    throw new DomainError('NO_COMPUTED_LIMIT', {
      automaticOutcome: evaluation.outcome,
      reasons: evaluation.reasons,
    });
  }
  if (evaluation.fixedAmount) return evaluation.amountFen;
  const amountFen = asked ?? evaluation.amountFen ?? evaluation.ceilingFen;
  if (amountFen < 1) {
    throw new DomainError('VALIDATION_FAILED', {
      errors: [
        {
          in: 'body',
          field: 'approvedFen',
          code: 'AMOUNT_ZERO',
          message: {
            'zh-CN': '批准金额须大于零；不予批准请选择驳回。',
            en: 'An approval grants more than zero; refuse instead.',
          },
        },
      ],
    });
  }
  if (amountFen > evaluation.ceilingFen) {
    throw new DomainError('STAFF_APPROVAL_ABOVE_LIMIT', {
      amountFen,
      ceilingFen: evaluation.ceilingFen,
    });
  }
  return amountFen;
}

async function loadOwn<A extends ApplicationBase>(
  item: ApplicationItem<A>,
  repository: CentreRepository,
  applicationId: string,
): Promise<A> {
  const application = await item.load(repository, applicationId);
  if (!application) throw new DomainError('NOT_FOUND');
  return application;
}

async function loadInReview<A extends ApplicationBase>(
  item: ApplicationItem<A>,
  repository: CentreRepository,
  applicationId: string,
): Promise<A> {
  const application = await loadOwn(item, repository, applicationId);
  if (application.status !== 'review') {
    throw new DomainError('NOT_AWAITING_REVIEW', { applicationStatus: application.status });
  }
  return application;
}

/**
 * A staff member decides a referred application: the decision is bounded by the rule and waits
 * in `pending_confirmation` for a second staff member of the centre. Audited with the change.
 */
export async function staffDecide<A extends ApplicationBase>(
  item: ApplicationItem<A>,
  repository: CentreRepository,
  applicationId: string,
  staff: Staff,
  input: StaffDecisionInput,
  now: Date,
): Promise<A> {
  await withOptimisticRetry(async () => {
    const application = await loadInReview(item, repository, applicationId);
    const evaluation = await evaluateForStaff(item, repository, application, now, input.staffFacts);
    // A rule that cannot decide on the facts leaves nothing to approve, but a refusal stays possible.
    if (input.outcome === 'approve' && !evaluation)
      throw new DomainError('NO_COMPUTED_LIMIT', { automaticOutcome: 'failed' });
    const amountFen =
      input.outcome === 'approve' && evaluation ? boundedAmount(evaluation, input.amountFen) : undefined;
    const reduced =
      amountFen !== undefined && evaluation?.amountFen !== undefined && amountFen < evaluation.amountFen;
    if ((input.outcome === 'reject' || reduced) && !input.reason) throw reasonRequired();
    const pending: PendingDecision = {
      outcome: input.outcome,
      ...(amountFen !== undefined ? { amountFen } : {}),
      reasons: input.reason ? [input.reason] : [],
      ...(input.staffFacts ? { staffFacts: input.staffFacts } : {}),
      decidedBy: staffActor(staff),
      decidedAt: now.toISOString(),
      automatic: {
        outcome: evaluation?.outcome ?? 'failed',
        ...(evaluation?.amountFen !== undefined ? { amountFen: evaluation.amountFen } : {}),
        ...(evaluation?.ceilingFen !== undefined ? { ceilingFen: evaluation.ceilingFen } : {}),
      },
    };
    await repository.transactWrite([
      {
        Update: transitionItem(
          application,
          'pending_confirmation',
          staffActor(staff),
          now,
          { pendingDecision: pending },
          input.outcome === 'approve'
            ? 'staff approval, awaiting confirmation'
            : 'staff refusal, awaiting confirmation',
        ),
      },
      auditItem(repository.city, {
        at: now,
        staff: staff.subject,
        action: 'decide',
        application,
        outcome: input.outcome,
        ...(amountFen !== undefined ? { amountFen } : {}),
        ...(input.reason ? { reason: input.reason.message['zh-CN'] } : {}),
        automaticOutcome: evaluation?.outcome ?? 'failed',
      }),
    ]);
  });
  return loadOwn(item, repository, applicationId);
}

export interface ConfirmationInput {
  confirm: boolean;
  /** Required when the decision is returned. */
  reason?: Reason;
}

/**
 * A second staff member confirms a pending decision (it is then carried out, by the same writes
 * as an automatic one, still within the rule's ceiling on the facts now) or returns it to review
 * with a reason. Nobody confirms their own decision.
 */
export async function staffConfirm<A extends ApplicationBase>(
  item: ApplicationItem<A>,
  repository: CentreRepository,
  applicationId: string,
  staff: Staff,
  input: ConfirmationInput,
  now: Date,
): Promise<A> {
  await withOptimisticRetry(async () => {
    const application = await loadOwn(item, repository, applicationId);
    const pending = (application as ApplicationBase & { pendingDecision?: PendingDecision }).pendingDecision;
    if (application.status !== 'pending_confirmation' || !pending) {
      throw new DomainError('NOT_PENDING_CONFIRMATION', { applicationStatus: application.status });
    }
    if (pending.decidedBy === staffActor(staff)) throw new DomainError('OWN_DECISION');
    const audit = (action: StaffAction, outcome: string) =>
      auditItem(repository.city, {
        at: now,
        staff: staff.subject,
        action,
        application,
        outcome,
        ...(pending.amountFen !== undefined ? { amountFen: pending.amountFen } : {}),
        ...(input.reason ? { reason: input.reason.message['zh-CN'] } : {}),
        decidedBy: pending.decidedBy,
      });
    if (!input.confirm) {
      if (!input.reason) throw reasonRequired();
      await repository.transactWrite([
        {
          Update: transitionItem(
            application,
            'review',
            staffActor(staff),
            now,
            { returnedDecision: { ...pending, returnedBy: staffActor(staff), reason: input.reason } },
            'returned to review',
          ),
        },
        audit('return', pending.outcome),
      ]);
      return;
    }
    if (pending.outcome === 'reject') {
      await repository.transactWrite([
        {
          Update: transitionItem(application, 'rejected', staffActor(staff), now, {
            decision: {
              outcome: 'rejected',
              automatic: pending.automatic,
              decidedBy: pending.decidedBy,
              decidedAt: pending.decidedAt,
              confirmedBy: staffActor(staff),
              confirmedAt: now.toISOString(),
            },
            reasons: pending.reasons,
          }),
        },
        audit('confirm', pending.outcome),
      ]);
      return;
    }
    const evaluation = await evaluateForStaff(item, repository, application, now, pending.staffFacts);
    // The facts changed so that the rule cannot decide any more: return it, or refuse.
    if (!evaluation) throw new DomainError('NO_COMPUTED_LIMIT', { automaticOutcome: 'failed' });
    const amountFen = boundedAmount(evaluation, pending.amountFen);
    const decision: Decision = {
      outcome: pending.outcome,
      ...(amountFen !== undefined ? { amountFen } : {}),
      reasons: pending.reasons,
      by: pending.decidedBy,
      confirmedBy: staffActor(staff),
    };
    await repository.transactWrite([
      ...evaluation.carryOut(decision, now),
      audit('confirm', pending.outcome),
    ]);
  });
  return loadOwn(item, repository, applicationId);
}

/**
 * A staff member asks the centres that did not answer once more (a silent centre is no ground to
 * approve): the application waits for their facts again, with a new deadline, and is decided by
 * the rule when they come.
 */
export async function staffAskAgain<A extends ApplicationBase>(
  item: ApplicationItem<A>,
  repository: CentreRepository,
  applicationId: string,
  staff: Staff,
  factsDeadline: Date,
  now: Date,
): Promise<A> {
  await withOptimisticRetry(async () => {
    const application = await loadInReview(item, repository, applicationId);
    const silent = Object.entries(application.requests).filter(
      ([city, r]) => !r?.answeredAt || item.mayAskAgain?.(application, city),
    );
    if (silent.length === 0) throw new DomainError('NOTHING_TO_ASK');
    // New request ids: a centre that answered the old one late (answer dropped) answers again.
    const requests = { ...application.requests };
    for (const [city, request] of silent) {
      const message = reissue(parseEnvelope(request?.message ?? ''), factsDeadline, now);
      requests[city as keyof typeof requests] = {
        requestId: message.requestId,
        message: JSON.stringify(message),
      };
    }
    await repository.transactWrite([
      {
        Update: transitionItem(
          application,
          'awaiting_facts',
          staffActor(staff),
          now,
          { factsDeadline: factsDeadline.toISOString(), reasons: [], requests },
          'asked again',
        ),
      },
      auditItem(repository.city, { at: now, staff: staff.subject, action: 'ask-again', application }),
    ]);
  });
  const reopened = await loadOwn(item, repository, applicationId);
  // resendBefore = now: every unanswered request goes again at once.
  await relayUnsent(repository, reopened, now, now);
  return loadOwn(item, repository, applicationId);
}
