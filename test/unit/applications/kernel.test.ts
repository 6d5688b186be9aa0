/**
 * The application kernel without AWS: the status machine, the one update that moves an
 * application (guarded, one timeline entry, work queue, version), and the automatic decision
 * when the rule throws — the one place a fake repository is used, to inject the fault.
 */
import { describe, expect, it } from '@jest/globals';
import {
  type ApplicationItem,
  applicationUpdate,
  canTransition,
  decideAutomatically,
  TRANSITIONS,
  transitionItem,
} from '../../../shared/applications/kernel.js';
import {
  APPLICATION_STATUSES,
  type ApplicationBase,
  type ApplicationStatus,
  workQueueKey,
} from '../../../shared/applications/records.js';
import { DomainError } from '../../../shared/errors/domain-error.js';
import type { CentreRepository } from '../../../shared/persistence/centre-repository.js';

const NOW = new Date('2026-03-10T02:00:00.000Z');

function application(status: ApplicationStatus, overrides: Partial<ApplicationBase> = {}): ApplicationBase {
  return {
    PK: 'C#320300#APP#320300-TEST-0001',
    SK: 'APP',
    GSI1PK: workQueueKey('320300', status),
    GSI1SK: '2026-03-20T09:00:00.000Z#320300-TEST-0001',
    applicationId: '320300-TEST-0001',
    itemCode: 'OFFSITE_LOAN',
    city: '320300',
    channel: 'online',
    acceptedBy: 'citizen-1',
    personKey: 'person-key',
    idNumberMasked: '3203**********1234',
    status,
    timeline: [{ status: 'awaiting_facts', at: '2026-03-09T02:00:00.000Z', by: 'citizen-1' }],
    acceptedAt: '2026-03-09T02:00:00.000Z',
    committedDeadline: '2026-03-20T09:00:00.000Z',
    committedDeadlineCalendar: 'official',
    factsDeadline: '2026-03-12T02:00:00.000Z',
    requests: {
      '371300': {
        requestId: 'req-1',
        message: '{}',
        sentAt: '2026-03-09T02:00:01.000Z',
        answeredAt: NOW.toISOString(),
      },
    },
    facts: { '371300': { accountStatus: 'normal' } },
    version: 3,
    ...overrides,
  };
}

const TERMINAL: ApplicationStatus[] = ['rejected', 'disbursed', 'paid', 'withdrawn'];

describe('the status machine', () => {
  it('lists every status', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...APPLICATION_STATUSES].sort());
  });

  it.each(TERMINAL)('has no way out of %s', (terminal) => {
    expect(TRANSITIONS[terminal]).toEqual([]);
    for (const to of APPLICATION_STATUSES) expect(canTransition(terminal, to)).toBe(false);
  });

  it('decides a referred application only through a confirmation', () => {
    expect(canTransition('review', 'pending_confirmation')).toBe(true);
    expect(canTransition('review', 'approved')).toBe(false);
    expect(canTransition('review', 'rejected')).toBe(false);
    expect(canTransition('review', 'paid')).toBe(false);
  });

  it('carries out or returns a pending decision', () => {
    for (const to of ['approved', 'rejected', 'paid', 'review'] as const) {
      expect(canTransition('pending_confirmation', to)).toBe(true);
    }
    expect(canTransition('pending_confirmation', 'disbursed')).toBe(false);
  });

  it('never goes back to waiting for facts once decided', () => {
    for (const from of APPLICATION_STATUSES.filter((s) => s !== 'review')) {
      expect(canTransition(from, 'awaiting_facts')).toBe(false);
    }
  });
});

describe('applicationUpdate', () => {
  it('refuses an illegal transition with APPLICATION_STATUS_CONFLICT', () => {
    const refused = (() => {
      try {
        applicationUpdate(application('review'), { to: 'approved', by: 'staff:s1', at: NOW });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({
      code: 'APPLICATION_STATUS_CONFLICT',
      details: { applicationStatus: 'review', requestedStatus: 'approved' },
    });
    for (const terminal of TERMINAL) {
      expect(() => transitionItem(application(terminal), 'review', 'system', NOW)).toThrow(DomainError);
    }
  });

  it('is guarded by the version and status read, appends one entry, moves the work queue and the version', () => {
    const read = application('awaiting_facts');
    const update = applicationUpdate(read, {
      to: 'review',
      by: 'system',
      at: NOW,
      note: 'sent to staff',
      sets: {
        reasons: [{ code: 'X', message: { 'zh-CN': '甲', en: 'a' } }],
        decision: { outcome: 'review' },
      },
    });
    expect(update.Key).toEqual({ PK: read.PK, SK: read.SK });
    const names = update.ExpressionAttributeNames ?? {};
    const values = update.ExpressionAttributeValues ?? {};
    // The guard: exactly what was read.
    expect(update.ConditionExpression).toBe('#version = :version AND #status = :from');
    expect(names['#version']).toBe('version');
    expect(names['#status']).toBe('status');
    expect(values[':version']).toBe(3);
    expect(values[':from']).toBe('awaiting_facts');

    const expression = update.UpdateExpression ?? '';
    expect(expression).toMatch(/^SET /);
    // SET clauses, split on the commas outside list_append(…)
    const clauses = expression.slice(4).split(/, (?![^(]*\))/);
    expect(clauses).toContain('#status = :to');
    expect(values[':to']).toBe('review');
    expect(clauses).toContain('GSI1PK = :queue');
    expect(values[':queue']).toBe('C#320300#APPS#review');
    expect(clauses).toContain('#version = :next');
    expect(values[':next']).toBe(4);
    // One timeline entry, appended.
    expect(names['#timeline']).toBe('timeline');
    expect(clauses).toContain('#timeline = list_append(#timeline, :entry)');
    expect(values[':entry']).toEqual([
      { status: 'review', at: NOW.toISOString(), by: 'system', note: 'sent to staff' },
    ]);
    expect(expression.match(/list_append/g)).toHaveLength(1);
    // `sets` in the same write, under their own placeholders.
    const setNames = Object.entries(names)
      .filter(([placeholder]) => /^#s\d+$/.test(placeholder))
      .map(([, name]) => name)
      .sort();
    expect(setNames).toEqual(['decision', 'reasons']);
    for (const [placeholder, name] of Object.entries(names).filter(([p]) => /^#s\d+$/.test(p))) {
      const valuePlaceholder = `:${placeholder.slice(1)}`;
      expect(clauses).toContain(`${placeholder} = ${valuePlaceholder}`);
      expect(values[valuePlaceholder]).toEqual(
        name === 'decision' ? { outcome: 'review' } : expect.any(Array),
      );
    }
    // Nothing in the expression is left without its placeholder.
    for (const placeholder of `${expression} ${update.ConditionExpression}`.match(/[#:][a-zA-Z0-9]+/g) ??
      []) {
      expect(placeholder.startsWith('#') ? names : values).toHaveProperty([placeholder]);
    }
  });

  it('keeps the status for an entry that records another change (no `to`)', () => {
    const read = application('review', { version: 7 });
    const update = applicationUpdate(read, {
      by: 'system',
      at: NOW,
      entry: {
        event: 'deadline-recomputed',
        previousDeadline: '2026-03-20T09:00:00.000Z',
        committedDeadline: '2026-03-23T09:00:00.000Z',
      },
      sets: { committedDeadline: '2026-03-23T09:00:00.000Z' },
    });
    const values = update.ExpressionAttributeValues ?? {};
    expect(values[':to']).toBe('review');
    expect(values[':from']).toBe('review');
    expect(values[':queue']).toBe('C#320300#APPS#review');
    expect(values[':version']).toBe(7);
    expect(values[':next']).toBe(8);
    expect(values[':entry']).toEqual([
      {
        status: 'review',
        at: NOW.toISOString(),
        by: 'system',
        event: 'deadline-recomputed',
        previousDeadline: '2026-03-20T09:00:00.000Z',
        committedDeadline: '2026-03-23T09:00:00.000Z',
      },
    ]);
    // Even a closed application may record an event: only a status change is checked.
    expect(() => applicationUpdate(application('paid'), { by: 'system', at: NOW })).not.toThrow();
  });
});

describe('decideAutomatically when the rule fails', () => {
  /** A repository that records the updates it is given; nothing else is expected of it. */
  function fakeRepository() {
    const updates: Parameters<CentreRepository['update']>[0][] = [];
    const transactions: unknown[] = [];
    const repository = {
      city: '320300',
      update: async (input: Parameters<CentreRepository['update']>[0]) => {
        updates.push(input);
        return undefined;
      },
      transactWrite: async (items: unknown) => {
        transactions.push(items);
      },
    } as unknown as CentreRepository;
    return { repository, updates, transactions };
  }

  function failingItem(error: unknown) {
    let evaluations = 0;
    const item: ApplicationItem = {
      load: async () => application('awaiting_facts'),
      evaluate: async () => {
        evaluations++;
        throw error;
      },
    };
    return { item, evaluations: () => evaluations };
  }

  it('sends the application to review with DECISION_FAILED at once on a deterministic failure', async () => {
    const { repository, updates, transactions } = fakeRepository();
    const { item, evaluations } = failingItem(new RangeError('term beyond the retirement age'));
    await expect(decideAutomatically(item, repository, '320300-TEST-0001', NOW)).resolves.toBe('review');
    expect(evaluations()).toBe(1);
    expect(transactions).toEqual([]);
    expect(updates).toHaveLength(1);
    const values = updates[0]?.ExpressionAttributeValues ?? {};
    expect(values[':to']).toBe('review');
    expect(values[':from']).toBe('awaiting_facts');
    expect(values[':queue']).toBe('C#320300#APPS#review');
    const stored = Object.fromEntries(
      Object.entries(updates[0]?.ExpressionAttributeNames ?? {})
        .filter(([placeholder]) => /^#s\d+$/.test(placeholder))
        .map(([placeholder, name]) => [name, values[`:${placeholder.slice(1)}`]]),
    );
    expect(stored.reasons).toEqual([
      expect.objectContaining({
        code: 'DECISION_FAILED',
        message: { 'zh-CN': expect.any(String), en: expect.any(String) },
      }),
    ]);
    expect(stored.decisionFailure).toMatchObject({
      at: NOW.toISOString(),
      error: 'RangeError',
      detail: 'term beyond the retirement age',
    });
  });

  it('leaves an AWS SDK error for redelivery: it rethrows and writes nothing', async () => {
    const { repository, updates, transactions } = fakeRepository();
    const sdkError = Object.assign(new Error('Service unavailable'), {
      name: 'InternalServerError',
      $fault: 'server',
      $metadata: { httpStatusCode: 500, attempts: 3 },
    });
    const { item, evaluations } = failingItem(sdkError);
    await expect(decideAutomatically(item, repository, '320300-TEST-0001', NOW)).rejects.toBe(sdkError);
    expect(evaluations()).toBe(1);
    expect(updates).toEqual([]);
    expect(transactions).toEqual([]);
  });

  it('does nothing for an application that is not waiting for its facts any more', async () => {
    const { repository, updates, transactions } = fakeRepository();
    const item: ApplicationItem = {
      load: async () => application('review'),
      evaluate: async () => {
        throw new Error('must not be called');
      },
    };
    await expect(decideAutomatically(item, repository, '320300-TEST-0001', NOW)).resolves.toBeUndefined();
    expect(updates).toEqual([]);
    expect(transactions).toEqual([]);
  });
});
