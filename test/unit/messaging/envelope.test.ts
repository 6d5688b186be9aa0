import { describe, expect, it } from '@jest/globals';
import { InvalidEnvelopeError, newMessage, parseEnvelope } from '../../../shared/messaging/envelope.js';

const deadline = new Date('2026-11-26T08:00:10Z');
const now = new Date('2026-11-26T08:00:00Z');

describe('inter-centre envelope', () => {
  it('round-trips a ping and a pong through the schema', () => {
    const ping = newMessage(
      'ping',
      { from: '320300', to: '371300', correlationId: 'c-1', deadline, now },
      { payload: {} },
    );
    expect(parseEnvelope(JSON.stringify(ping))).toEqual(ping);
    expect(ping).toMatchObject({ version: 1, sentAt: now.toISOString(), deadline: deadline.toISOString() });
    const pong = newMessage(
      'pong',
      { from: '371300', to: '320300', correlationId: 'c-1', deadline, now },
      { inReplyTo: ping.requestId, payload: { receivedAt: now.toISOString() } },
    );
    expect(parseEnvelope(JSON.stringify(pong))).toEqual(pong);
    expect(pong.requestId).not.toBe(ping.requestId);
  });

  it.each([
    ['not JSON', 'hello'],
    ['an unknown type', { type: 'gossip' }],
    ['a future version', { version: 2 }],
    ['a city outside the region', { to: '310000' }],
    ['a missing deadline', { deadline: undefined }],
    ['a malformed request id', { requestId: 'not-a-uuid' }],
    ['an extra member', { secret: 'x' }],
  ])('refuses %s', (_label, change) => {
    const ping = newMessage(
      'ping',
      { from: '320300', to: '371300', correlationId: 'c-1', deadline, now },
      { payload: {} },
    );
    const body = typeof change === 'string' ? change : JSON.stringify({ ...ping, ...change });
    expect(() => parseEnvelope(body)).toThrow(InvalidEnvelopeError);
  });

  it('refuses a pong that does not say which ping it answers', () => {
    const pong = newMessage(
      'pong',
      { from: '371300', to: '320300', correlationId: 'c-1', deadline, now },
      { inReplyTo: crypto.randomUUID(), payload: { receivedAt: now.toISOString() } },
    );
    const { inReplyTo: _dropped, ...withoutReply } = pong;
    expect(() => parseEnvelope(JSON.stringify(withoutReply))).toThrow(/inReplyTo/);
  });

  it('carries only what a purchase decision needs of an online-signing record', () => {
    const property = {
      found: true,
      status: 'filed',
      contractDate: '2026-10-01',
      registeredPriceFen: 150_000_000,
      applicantIsBuyer: true,
      buyerCount: 2,
    } as const;
    const reply = newMessage(
      'property-facts-reply',
      { from: '320300', to: '371300', correlationId: 'c-2', deadline, now },
      {
        inReplyTo: crypto.randomUUID(),
        payload: { applicationId: '371300-W-0123456789ABCDEF', onlineSigningNo: 'XZ2026-001234', property },
      },
    );
    expect(parseEnvelope(JSON.stringify(reply))).toEqual(reply);
    const notFound = { ...reply, payload: { ...reply.payload, property: { found: false } } };
    expect(parseEnvelope(JSON.stringify(notFound))).toEqual(notFound);
    // The buyers themselves never travel: a reply naming them is not a valid envelope.
    const leaky = { ...reply, payload: { ...reply.payload, property: { ...property, buyers: ['k'] } } };
    expect(() => parseEnvelope(JSON.stringify(leaky))).toThrow(InvalidEnvelopeError);
    // Nor does a register number in lower case: the requester normalises it.
    const lower = { ...reply, payload: { ...reply.payload, onlineSigningNo: 'xz2026-001234' } };
    expect(() => parseEnvelope(JSON.stringify(lower))).toThrow(InvalidEnvelopeError);
  });
});

describe('deposit facts about a spouse', () => {
  const personKey = 'a'.repeat(43);
  const request = (purpose: string) => ({
    ...newMessage(
      'deposit-facts-request',
      { from: '320300', to: '371300', correlationId: 'c-2', deadline, now },
      { payload: { applicationId: '320300-20261126-ABCDEF1234', personKey, purpose: 'loan-application' } },
    ),
    payload: { applicationId: '320300-20261126-ABCDEF1234', personKey, purpose },
  });

  it('a request states whom it is about by its purpose; an unknown purpose is refused', () => {
    for (const purpose of ['loan-application', 'loan-application-spouse', 'loan-application-co-applicant']) {
      expect(parseEnvelope(JSON.stringify(request(purpose))).type).toBe('deposit-facts-request');
    }
    expect(() => parseEnvelope(JSON.stringify(request('curiosity')))).toThrow(InvalidEnvelopeError);
  });

  it('a spouse’s reply carries their HPF loans alone; anything more than the loans or the full facts is refused', () => {
    const reply = (facts: unknown) =>
      JSON.stringify(
        newMessage(
          'deposit-facts-reply',
          { from: '371300', to: '320300', correlationId: 'c-2', deadline, now },
          {
            inReplyTo: crypto.randomUUID(),
            payload: { applicationId: '320300-20261126-ABCDEF1234', facts: facts as never },
          },
        ),
      );
    expect(parseEnvelope(reply({ outstandingHpfLoans: 1 })).type).toBe('deposit-facts-reply');
    expect(() => parseEnvelope(reply({ outstandingHpfLoans: 1, balanceFen: 100 }))).toThrow(
      InvalidEnvelopeError,
    );
  });
});
