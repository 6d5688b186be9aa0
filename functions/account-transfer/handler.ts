/**
 * ACCOUNT_TRANSFER 转移接续: the receiving centre (转入地) accepts, and the two centres settle it over
 * their inboxes (shared/transfers/):
 *  POST /v1/me/transfers                      from a sealed account to the person's open account in another city
 *  POST /v1/agent/transfers                   a branch of the receiving centre accepts for a present citizen
 *  GET  /v1/me/transfers                     my transfers, newest first, a page at a time
 *  GET  /v1/me/transfers/{id}                 status, timeline, amount moved, interest settled, reasons
 *  POST /v1/me/transfers/{id}/cancellation    while no debit has reached the receiving centre
 */
import type * as z from 'zod/mini';
import { applicantView } from '../../shared/applications/records.js';
import { getPersonalAccount, openAccountOfPerson } from '../../shared/deposits/store.js';
import { DomainError } from '../../shared/errors/domain-error.js';
import { byRoute, httpHandler } from '../../shared/http/handler.js';
import type { IdempotencyScope } from '../../shared/http/idempotency.js';
import { cityOf, ownRecordOr404 } from '../../shared/http/ownership.js';
import { personListHandler } from '../../shared/http/person-list.js';
import { maskIdNumber } from '../../shared/identity/mask.js';
import { personKey } from '../../shared/identity/person-key.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { cancelTransfer, submitTransfer } from '../../shared/transfers/flows.js';
import { getTransfer, receivingStateOf, type TransferApplication } from '../../shared/transfers/store.js';
import { AgentTransferBody, CitizenTransferBody, TransferPath } from './contract.js';

/** What the applicant (or the accepting agent) sees, with the saga's state. */
function transferView(transfer: TransferApplication) {
  const { resultMessage: _r, cancellationMessage: _c, ...rest } = transfer;
  return {
    ...applicantView(rest as TransferApplication, new Date()),
    transferState: receivingStateOf(transfer),
  };
}

const apply = (channel: 'online' | 'agent') =>
  httpHandler({
    role: channel === 'agent' ? 'agent' : 'citizen',
    body: channel === 'agent' ? AgentTransferBody : CitizenTransferBody,
    handle: async ({ body, caller, correlationId, idempotency }) => {
      const idNumber =
        caller.role === 'citizen' ? caller.idNumber : (body as z.output<typeof AgentTransferBody>).idNumber;
      const from = cityOf(body.personalAccountNo);
      // A branch accepts for its own centre, the receiving one (线下受理、线上审批).
      if (caller.role === 'agent' && body.toCity !== caller.city) throw new DomainError('FORBIDDEN');
      const key = await personKey(idNumber);
      const sendingAccount = await getPersonalAccount(centreRepository(from), body.personalAccountNo);
      if (!sendingAccount || sendingAccount.personKey !== key) throw new DomainError('NOT_FOUND');
      if (from === body.toCity) throw new DomainError('TRANSFER_SAME_CITY', { toCity: body.toCity });
      const repository = centreRepository(body.toCity);
      const receivingNo = await openAccountOfPerson(repository, key);
      const receivingAccount = receivingNo ? await getPersonalAccount(repository, receivingNo) : undefined;
      if (!receivingAccount || receivingAccount.status === 'closed') {
        throw new DomainError('TRANSFER_NO_RECEIVING_ACCOUNT', { toCity: body.toCity });
      }
      const { transfer } = await submitTransfer(repository, {
        sendingAccount,
        receivingAccount,
        idempotencySeed: (idempotency as IdempotencyScope).seed,
        idNumberMasked: maskIdNumber(idNumber),
        channel,
        ...(caller.role === 'agent' ? { agentOrgId: caller.agentOrgId } : {}),
        acceptedBy: caller.role === 'agent' ? `${caller.agentOrgId}/${caller.subject}` : caller.subject,
        correlationId,
      });
      return {
        status: 202,
        headers: { location: `/v1/me/transfers/${transfer.applicationId}` },
        body: transferView(transfer),
      };
    },
  });

const show = httpHandler({
  role: 'citizen',
  path: TransferPath,
  handle: async ({ path, caller }) => {
    const transfer = await ownRecordOr404(
      await getTransfer(centreRepository(cityOf(path.id)), path.id),
      caller,
    );
    return { status: 200, body: transferView(transfer) };
  },
});

const list = personListHandler<TransferApplication>('TRANSFER', 'transfers', (transfer) => ({
  fromCity: transfer.fromCity,
  transferState: receivingStateOf(transfer),
  amountFen: transfer.amountFen ?? null,
}));

const cancel = httpHandler({
  role: 'citizen',
  path: TransferPath,
  handle: async ({ path, caller }) => {
    const repository = centreRepository(cityOf(path.id));
    await ownRecordOr404(await getTransfer(repository, path.id), caller);
    const transfer = await cancelTransfer(repository, path.id, caller.subject, new Date());
    return { status: 200, body: transferView(transfer) };
  },
});

export const handler = byRoute({
  'POST /v1/me/transfers': apply('online'),
  'POST /v1/agent/transfers': apply('agent'),
  'GET /v1/me/transfers': list,
  'GET /v1/me/transfers/{id}': show,
  'POST /v1/me/transfers/{id}/cancellation': cancel,
});
