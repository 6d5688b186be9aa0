import { applicantView } from '../../shared/applications/records.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import { getPersonalAccount } from '../../shared/deposits/store.js';
import { DomainError, type FieldError, invalidFields } from '../../shared/errors/domain-error.js';
import { byRoute, httpHandler } from '../../shared/http/handler.js';
import type { IdempotencyScope } from '../../shared/http/idempotency.js';
import { cityOf, ownRecordOr404 } from '../../shared/http/ownership.js';
import { personListHandler } from '../../shared/http/person-list.js';
import { bankAccountView, protectBankAccount } from '../../shared/identity/bank-account.js';
import { parseIdNumber } from '../../shared/identity/id-number.js';
import { maskIdNumber } from '../../shared/identity/mask.js';
import { personKey } from '../../shared/identity/person-key.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { centreKey } from '../../shared/persistence/table.js';
import { withdrawalRequestErrors } from '../../shared/withdrawals/edge-checks.js';
import { validateBankAccount } from '../../shared/withdrawals/rules.js';
import {
  getWithdrawal,
  submitWithdrawal,
  type WithdrawalRecord,
} from '../../shared/withdrawals/withdrawals.js';
import {
  AgentApplicationsQuery,
  AgentWithdrawalBody,
  CitizenWithdrawalBody,
  WithdrawalPath,
} from './contract.js';

/** What the applicant (or the accepting agent) sees: the bank account masked, no keys, no messages. */
function withdrawalView(withdrawal: WithdrawalRecord) {
  const { bankAccount, request } = withdrawal;
  return {
    ...applicantView(withdrawal, new Date()),
    // The spouse is shown by the masked number only, never by key.
    ...(request.type === 'rent' && request.spouse
      ? { request: { ...request, spouse: { idNumberMasked: request.spouse.idNumberMasked } } }
      : {}),
    bankAccount: bankAccountView(bankAccount),
  };
}

function bodyErrors(
  errors: readonly { field: string; code: string; message: FieldError['message'] }[],
): FieldError[] {
  return errors.map((e) => ({ in: 'body' as const, ...e }));
}

const apply = (channel: 'online' | 'agent') =>
  httpHandler({
    role: channel === 'agent' ? 'agent' : 'citizen',
    body: channel === 'agent' ? AgentWithdrawalBody : CitizenWithdrawalBody,
    handle: async ({ body, caller, correlationId, idempotency }) => {
      const idNumber =
        caller.role === 'citizen' ? caller.idNumber : (body as unknown as { idNumber: string }).idNumber;
      const city = cityOf(body.personalAccountNo);
      // A branch or sales office accepts for its own centre's accounts (线下受理、线上审批).
      if (caller.role === 'agent' && city !== caller.city) throw new DomainError('FORBIDDEN');
      const repository = centreRepository(city);
      const account = await getPersonalAccount(repository, body.personalAccountNo);
      if (!account || account.personKey !== (await personKey(idNumber))) throw new DomainError('NOT_FOUND');
      if (body.type === 'offsite-repay' && body.loanCity === city) {
        throw invalidFields([
          {
            in: 'body',
            field: 'loanCity',
            code: 'LOAN_CITY_IS_ACCOUNT_CITY',
            message: {
              'zh-CN': '提取偿还异地贷款须为在另一区域城市的公积金贷款；本地贷款请办理本地还贷提取。',
              en: 'This withdrawal repays a loan held in another region city, not in the account’s own city.',
            },
          },
        ]);
      }
      const bank = validateBankAccount(body.bankAccount, account.name);
      if (!bank.ok) {
        throw new DomainError('BANK_ACCOUNT_NOT_ACCEPTED', {
          errors: bodyErrors(bank.errors.map((e) => ({ ...e, field: `bankAccount.${e.field}` }))),
        });
      }
      const id = parseIdNumber(idNumber);
      if (!id.ok) throw new DomainError('FORBIDDEN');
      const {
        personalAccountNo: _no,
        bankAccount: _bank,
        idNumber: _id,
        ...request
      } = body as typeof body & { idNumber?: string };
      if (request.type === 'purchase') {
        request.property = { onlineSigningNo: request.property.onlineSigningNo, city: request.property.city };
      }
      let stored = request as unknown as WithdrawalRecord['request'];
      if (request.type === 'rent') {
        const { spouseIdNumber, ...rent } = request;
        if (spouseIdNumber === id.value.idNumber) {
          throw invalidFields([
            {
              in: 'body',
              field: 'spouseIdNumber',
              code: 'SPOUSE_ID_IS_OWN',
              message: {
                'zh-CN': '配偶身份证号码不能与申请人相同。',
                en: "The spouse's ID number cannot be the applicant's own.",
              },
            },
          ]);
        }
        // Kept by person key and masked number only: the spouse's ID number is never stored in clear.
        stored = spouseIdNumber
          ? {
              ...rent,
              spouse: {
                personKey: await personKey(spouseIdNumber),
                idNumberMasked: maskIdNumber(spouseIdNumber),
              },
            }
          : rent;
      }
      const now = new Date();
      // Input the rules would throw on, or that no rule could accept (a retirement in the future): 400 now.
      const edge = withdrawalRequestErrors(
        stored,
        {
          birthDate: id.value.birthDate,
          sex: id.value.sex,
          ...(account.womanRetirementCategory ? { womanCategory: account.womanRetirementCategory } : {}),
        },
        toBeijingDate(now),
      );
      if (edge.length > 0) throw invalidFields(bodyErrors(edge));
      const { withdrawal } = await submitWithdrawal(repository, {
        account,
        idempotencyScope: (idempotency as IdempotencyScope).seed,
        birthDate: id.value.birthDate,
        sex: id.value.sex,
        idNumberMasked: maskIdNumber(idNumber),
        request: stored,
        bankAccount: await protectBankAccount(
          { ...body.bankAccount, accountNumber: bank.value.accountNumber },
          repository.city,
        ),
        channel,
        ...(caller.role === 'agent' ? { agentOrgId: caller.agentOrgId } : {}),
        acceptedBy: caller.role === 'agent' ? `${caller.agentOrgId}/${caller.subject}` : caller.subject,
        correlationId,
        now,
      });
      return {
        status: 202,
        headers: { location: `/v1/me/withdrawals/${withdrawal.applicationId}` },
        body: withdrawalView(withdrawal),
      };
    },
  });

const show = httpHandler({
  role: 'citizen',
  path: WithdrawalPath,
  handle: async ({ path, caller }) => {
    const withdrawal = await ownRecordOr404(
      await getWithdrawal(centreRepository(cityOf(path.id)), path.id),
      caller,
    );
    return { status: 200, body: withdrawalView(withdrawal) };
  },
});

const list = personListHandler<WithdrawalRecord>('WITHDRAWAL', 'withdrawals', (withdrawal) => ({
  type: withdrawal.type,
  payoutFen: withdrawal.payoutFen ?? null,
  payoutReturned: withdrawal.payoutReturned ?? null,
}));

/** The newest submissions first; `before` is the previous page's `nextCursor`. */
const agentList = httpHandler({
  role: 'agent',
  query: AgentApplicationsQuery,
  handle: async ({ caller, query }) => {
    const repository = centreRepository(caller.city);
    const before = query.before && Buffer.from(query.before, 'base64url').toString('utf8');
    const submitted = await repository.queryAll(centreKey(caller.city, 'AGENT', caller.agentOrgId), {
      ...(before
        ? { sortKeyCondition: 'SK < :before', ExpressionAttributeValues: { ':before': before } }
        : {}),
      ScanIndexForward: false,
      limit: query.limit + 1,
      ConsistentRead: true,
    });
    const page = { items: submitted.slice(0, query.limit) };
    const last = page.items.at(-1);
    const nextCursor =
      submitted.length > query.limit && last ? Buffer.from(last.SK, 'utf8').toString('base64url') : null;
    const applications = await repository.batchGet(
      page.items.map((item) => item.applicationKey as { PK: string; SK: string }),
    );
    const statusOf = new Map(applications.map((a) => [String(a.applicationId), a]));
    return {
      status: 200,
      body: {
        agentOrgId: caller.agentOrgId,
        nextCursor,
        applications: page.items.map((item) => {
          const current = statusOf.get(String(item.applicationId));
          return {
            applicationId: item.applicationId,
            itemCode: item.itemCode,
            acceptedAt: item.acceptedAt,
            acceptedBy: item.acceptedBy,
            status: current?.status ?? null,
            committedDeadline: current?.committedDeadline ?? null,
            idNumber: current?.idNumberMasked ?? null,
          };
        }),
      },
    };
  },
});

export const handler = byRoute({
  'POST /v1/me/withdrawals': apply('online'),
  'POST /v1/agent/withdrawals': apply('agent'),
  'GET /v1/me/withdrawals': list,
  'GET /v1/me/withdrawals/{id}': show,
  'GET /v1/agent/applications': agentList,
});
