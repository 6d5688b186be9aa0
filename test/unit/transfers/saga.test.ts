/**
 * The transfer saga (shared/transfers/saga.ts) driven through random networks: every message may be
 * delivered, duplicated, dropped or delivered out of order, the receiving side may time out, staff
 * may ask again, the applicant may cancel and the receiving account may close. After every step the
 * money is conserved and no side moved money twice; once the network is fair again (the sweeps
 * re-send, nothing is dropped) every saga ends, and both sides agree on where the money is.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  canReceive,
  canSend,
  conserved,
  inTransitFen,
  mayCancel,
  onCancellation,
  onDebit,
  onLetter,
  onRefusal,
  onResult,
  type ReceivingState,
  type SendingState,
} from '../../../shared/transfers/saga.js';
import { receivingStateOf } from '../../../shared/transfers/store.js';

type Message =
  | { type: 'letter'; epoch: number }
  | { type: 'cancellation' }
  | { type: 'answer'; outcome: 'refused' | 'debited'; amountFen: number }
  | { type: 'result'; outcome: 'credited' | 'returned' };

type KernelStatus = 'awaiting_facts' | 'review' | 'withdrawn' | 'rejected' | 'paid';

interface World {
  sealed: boolean;
  loans: number;
  startSendingFen: number;
  startReceivingFen: number;
  interestFen: number;
  sendingFen: number;
  receivingFen: number;
  interestSettledFen: number;
  receivingOpen: boolean;
  app: { status: KernelStatus; creditResult?: 'credited' | 'returned' };
  out?: { state: SendingState; amountFen: number };
  epoch: number;
  network: Message[];
  debits: number;
  credits: number;
  creditBacks: number;
}

function receivingState(world: World): ReceivingState {
  return receivingStateOf(world.app);
}

function setReceiving(world: World, next: Partial<World['app']>) {
  const before = receivingState(world);
  world.app = { ...world.app, ...next };
  const after = receivingState(world);
  if (before !== after && !canReceive(before, after)) throw new Error(`receiving ${before} → ${after}`);
}

function setSending(world: World, state: SendingState, amountFen: number) {
  if (!canSend(world.out?.state ?? 'none', state)) throw new Error(`sending ${world.out?.state} → ${state}`);
  world.out = { state, amountFen };
}

/** What each side does with a message: the saga's functions, with the writes the flows make. */
function handle(world: World, message: Message) {
  switch (message.type) {
    case 'letter': {
      const decision = onLetter(
        world.out?.state,
        { status: world.sealed ? 'sealed' : 'normal', outstandingLoans: world.loans },
        message.epoch < world.epoch,
      );
      if (decision.action === 'refuse') setSending(world, 'refused', 0);
      if (decision.action === 'debit') {
        const amountFen = world.sendingFen + world.interestFen;
        world.interestSettledFen = world.interestFen;
        world.sendingFen = 0;
        world.debits += 1;
        setSending(world, 'in-transit', amountFen);
      }
      const out = world.out as NonNullable<World['out']>;
      const debited = ['in-transit', 'completed', 'returned'].includes(out.state);
      world.network.push({
        type: 'answer',
        outcome: debited ? 'debited' : 'refused',
        amountFen: out.amountFen,
      });
      return;
    }
    case 'cancellation':
      if (onCancellation(world.out?.state) === 'tombstone') setSending(world, 'cancelled', 0);
      return;
    case 'answer': {
      if (message.outcome === 'refused') {
        if (onRefusal(receivingState(world)) === 'refuse') setReceiving(world, { status: 'rejected' });
        return;
      }
      const action = onDebit(receivingState(world), world.receivingOpen);
      if (action === 'credit') {
        world.receivingFen += message.amountFen;
        world.credits += 1;
        setReceiving(world, { status: 'paid', creditResult: 'credited' });
      }
      if (action === 'return') {
        setReceiving(world, {
          creditResult: 'returned',
          ...(world.app.status === 'awaiting_facts' ? { status: 'rejected' as const } : {}),
        });
      }
      world.network.push({ type: 'result', outcome: world.app.creditResult as 'credited' | 'returned' });
      return;
    }
    case 'result': {
      const action = onResult(world.out?.state, message.outcome);
      const amountFen = world.out?.amountFen ?? 0;
      if (action === 'complete') setSending(world, 'completed', amountFen);
      if (action === 'credit-back') {
        world.sendingFen += amountFen;
        world.creditBacks += 1;
        setSending(world, 'returned', amountFen);
      }
    }
  }
}

type Step =
  | { kind: 'deliver' | 'duplicate' | 'drop'; at: number }
  | { kind: 'timeout' | 'askAgain' | 'cancel' | 'closeReceiving' | 'sweepSender' | 'sweepReceiver' };

/** The receiving side's sweep re-sends the letter while it waits; the sending side's its debit while in transit. */
function sweep(world: World, side: 'sender' | 'receiver') {
  if (side === 'receiver' && world.app.status === 'awaiting_facts') {
    world.network.push({ type: 'letter', epoch: world.epoch });
  }
  if (side === 'sender' && world.out?.state === 'in-transit') {
    world.network.push({ type: 'answer', outcome: 'debited', amountFen: world.out.amountFen });
  }
}

function apply(world: World, step: Step) {
  const n = world.network.length;
  switch (step.kind) {
    case 'deliver':
      if (n > 0) handle(world, world.network.splice(step.at % n, 1)[0] as Message);
      return;
    case 'duplicate':
      if (n > 0) world.network.push(world.network[step.at % n] as Message);
      return;
    case 'drop':
      if (n > 0) world.network.splice(step.at % n, 1);
      return;
    case 'timeout':
      // The facts deadline: to staff; letters sent before it are expired.
      if (world.app.status === 'awaiting_facts') {
        setReceiving(world, { status: 'review' });
        world.epoch += 1;
      }
      return;
    case 'askAgain':
      if (world.app.status === 'review' && !world.app.creditResult) {
        setReceiving(world, { status: 'awaiting_facts' });
        world.network.push({ type: 'letter', epoch: world.epoch });
      }
      return;
    case 'cancel':
      if (mayCancel(receivingState(world))) {
        setReceiving(world, { status: 'withdrawn' });
        world.network.push({ type: 'cancellation' });
      }
      return;
    case 'closeReceiving':
      world.receivingOpen = false;
      return;
    case 'sweepSender':
      sweep(world, 'sender');
      return;
    case 'sweepReceiver':
      sweep(world, 'receiver');
  }
}

function assertInvariants(world: World) {
  const transit = inTransitFen(
    { state: world.out?.state, amountFen: world.out?.amountFen ?? 0 },
    receivingState(world),
  );
  expect(
    conserved({
      startTotalFen: world.startSendingFen + world.startReceivingFen,
      interestSettledFen: world.interestSettledFen,
      sendingBalanceFen: world.sendingFen,
      receivingBalanceFen: world.receivingFen,
      inTransitFen: transit,
    }),
  ).toBe(true);
  expect(world.debits).toBeLessThanOrEqual(1);
  expect(world.credits + world.creditBacks).toBeLessThanOrEqual(1);
}

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constantFrom('deliver' as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constantFrom('duplicate' as const, 'drop' as const), at: fc.nat() }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'timeout' as const,
        'askAgain' as const,
        'cancel' as const,
        'closeReceiving' as const,
        'sweepSender' as const,
        'sweepReceiver' as const,
      ),
    }),
  },
);

describe('the transfer saga over a random network', () => {
  it('conserves money in every state, moves each side once, and ends with both sides agreeing', () => {
    fc.assert(
      fc.property(
        fc.record({
          sealed: fc.boolean(),
          loans: fc.constantFrom(0, 0, 0, 1),
          sendingFen: fc.integer({ min: 0, max: 10_000_000 }),
          receivingFen: fc.integer({ min: 0, max: 10_000_000 }),
          interestFen: fc.integer({ min: 0, max: 50_000 }),
        }),
        fc.array(step, { maxLength: 60 }),
        (start, steps) => {
          const world: World = {
            sealed: start.sealed,
            loans: start.loans,
            startSendingFen: start.sendingFen,
            startReceivingFen: start.receivingFen,
            interestFen: start.interestFen,
            sendingFen: start.sendingFen,
            receivingFen: start.receivingFen,
            interestSettledFen: 0,
            receivingOpen: true,
            app: { status: 'awaiting_facts' },
            epoch: 0,
            network: [{ type: 'letter', epoch: 0 }],
            debits: 0,
            credits: 0,
            creditBacks: 0,
          };
          for (const s of steps) {
            apply(world, s);
            assertInvariants(world);
          }
          // A fair network from here on: staff ask again for what waits with them, the sweeps run,
          // and every message is delivered.
          for (let round = 0; round < 20; round++) {
            if (world.app.status === 'review' && !world.app.creditResult) apply(world, { kind: 'askAgain' });
            sweep(world, 'receiver');
            sweep(world, 'sender');
            while (world.network.length > 0) {
              handle(world, world.network.shift() as Message);
              assertInvariants(world);
            }
          }
          expect(world.app.status).not.toBe('awaiting_facts');
          expect(world.out?.state).not.toBe('in-transit');
          if (world.debits === 1) {
            // The money is on exactly one side, and both sides' records say which.
            expect(world.out?.state).toBe(world.app.creditResult === 'credited' ? 'completed' : 'returned');
            expect(world.receivingFen + world.sendingFen).toBe(
              start.sendingFen + start.receivingFen + start.interestFen,
            );
          } else {
            expect(world.app.creditResult).toBeUndefined();
            expect([world.sendingFen, world.receivingFen]).toEqual([start.sendingFen, start.receivingFen]);
          }
          if (!start.sealed || start.loans > 0) expect(world.debits).toBe(0);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('the saga’s rules', () => {
  it('refuses a letter with the reason, and repeats its first answer to every later letter', () => {
    expect(onLetter(undefined, { status: 'normal', outstandingLoans: 0 }, false)).toEqual({
      action: 'refuse',
      code: 'TRANSFER_ACCOUNT_NOT_SEALED',
    });
    expect(onLetter(undefined, { status: 'sealed', outstandingLoans: 1 }, false)).toEqual({
      action: 'refuse',
      code: 'TRANSFER_LOAN_OUTSTANDING',
    });
    expect(onLetter(undefined, { status: 'closed', outstandingLoans: 0 }, false)).toMatchObject({
      code: 'TRANSFER_ACCOUNT_CLOSED',
    });
    expect(onLetter(undefined, { status: 'sealed', outstandingLoans: 0 }, true)).toMatchObject({
      code: 'TRANSFER_LETTER_EXPIRED',
    });
    expect(onLetter(undefined, { status: 'sealed', outstandingLoans: 0 }, false)).toEqual({
      action: 'debit',
    });
    for (const state of ['in-transit', 'refused', 'cancelled', 'completed', 'returned'] as const) {
      expect(onLetter(state, { status: 'sealed', outstandingLoans: 0 }, false)).toEqual({ action: 'repeat' });
    }
  });

  it('credits a debit only while the saga waits and the account is open; otherwise it goes back, once', () => {
    expect(onDebit('letter-sent', true)).toBe('credit');
    expect(onDebit('letter-sent', false)).toBe('return');
    for (const state of ['cancelled', 'no-answer', 'refused'] as const)
      expect(onDebit(state, true)).toBe('return');
    for (const state of ['credited', 'returned'] as const) expect(onDebit(state, true)).toBe('repeat');
    expect(onResult('in-transit', 'credited')).toBe('complete');
    expect(onResult('in-transit', 'returned')).toBe('credit-back');
    expect(onResult('completed', 'returned')).toBe('ignore');
    expect(onResult(undefined, 'credited')).toBe('ignore');
  });

  it('has terminal states that nothing leaves', () => {
    for (const state of ['credited', 'returned'] as const) {
      for (const to of [
        'letter-sent',
        'refused',
        'cancelled',
        'no-answer',
        'credited',
        'returned',
      ] as const) {
        expect(canReceive(state, to)).toBe(false);
      }
    }
    expect(canSend('completed', 'returned')).toBe(false);
    expect(canSend('in-transit', 'in-transit')).toBe(false);
    expect(mayCancel('credited')).toBe(false);
  });

  it('counts in transit only what is debited and neither credited nor credited back', () => {
    expect(inTransitFen({ state: 'in-transit', amountFen: 500 }, 'letter-sent')).toBe(500);
    expect(inTransitFen({ state: 'in-transit', amountFen: 500 }, 'returned')).toBe(500);
    expect(inTransitFen({ state: 'in-transit', amountFen: 500 }, 'credited')).toBe(0);
    expect(inTransitFen({ state: 'returned', amountFen: 500 }, 'returned')).toBe(0);
    expect(inTransitFen({ state: 'refused', amountFen: 0 }, 'refused')).toBe(0);
  });
});
