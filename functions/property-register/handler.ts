/**
 * The property register's staff desk (网签备案登记), for records the housing authority has no online
 * link for (shared/property/register.ts). Only staff of the property city; four eyes:
 *  POST /v1/staff/property-records                                 enter a record from the paper contract (pending)
 *  GET  /v1/staff/property-records/{onlineSigningNo}               what the confirmer checks against the paper
 *  POST /v1/staff/property-records/{onlineSigningNo}/confirmation  a second staff member files it
 *  POST /v1/staff/property-records/{onlineSigningNo}/cancellation  撤销备案, on the housing authority's notice
 * Buyers' ID numbers are kept only as person keys and masked numbers.
 */
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import { DomainError, invalidFields } from '../../shared/errors/domain-error.js';
import { byRoute, httpHandler } from '../../shared/http/handler.js';
import { maskIdNumber } from '../../shared/identity/mask.js';
import { personKey } from '../../shared/identity/person-key.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import {
  cancelRecord,
  confirmPaperRecord,
  enterPaperRecord,
  getPropertyRecord,
  normaliseOnlineSigningNo,
  type PropertyRecord,
} from '../../shared/property/register.js';
import { PropertyCancellationBody, PropertyRecordBody, PropertyRecordPath } from './contract.js';

/** What staff see: no keys, the buyers masked. */
function recordView(record: PropertyRecord) {
  const { PK: _pk, SK: _sk, buyers, ...view } = record;
  return { ...view, buyers: buyers.map((b) => ({ idNumber: b.idNumberMasked })) };
}

const enter = httpHandler({
  role: 'staff',
  body: PropertyRecordBody,
  handle: async ({ body, caller }) => {
    if (body.city !== caller.city) throw new DomainError('NOT_PROPERTY_CITY_STAFF');
    const now = new Date();
    if (body.contractDate > toBeijingDate(now)) {
      throw invalidFields([
        {
          in: 'body',
          field: 'contractDate',
          code: 'DATE_IN_FUTURE',
          message: {
            'zh-CN': `购房合同的签订日期（${body.contractDate}）晚于今天，请核对后重新填写`,
            en: `The contract date (${body.contractDate}) is after today: please check it.`,
          },
        },
      ]);
    }
    const idNumbers = body.buyers.map((b) => b.idNumber);
    if (new Set(idNumbers).size !== idNumbers.length) {
      throw invalidFields([
        {
          in: 'body',
          field: 'buyers',
          code: 'BUYER_LISTED_TWICE',
          message: { 'zh-CN': '同一购房人被重复填写。', en: 'A buyer is listed twice.' },
        },
      ]);
    }
    const buyers = await Promise.all(
      idNumbers.map(async (idNumber) => ({
        personKey: await personKey(idNumber),
        idNumberMasked: maskIdNumber(idNumber),
      })),
    );
    const record = await enterPaperRecord(
      centreRepository(caller.city),
      {
        onlineSigningNo: body.onlineSigningNo,
        contractDate: body.contractDate,
        registeredPriceFen: body.registeredPriceFen,
        buyers,
        evidenceRef: body.evidenceRef,
      },
      caller,
      now,
    );
    return {
      status: 201,
      headers: {
        location: `/v1/staff/property-records/${record.onlineSigningNo}`,
      },
      body: recordView(record),
    };
  },
});

const show = httpHandler({
  role: 'staff',
  path: PropertyRecordPath,
  handle: async ({ path, caller }) => {
    const record = await getPropertyRecord(centreRepository(caller.city), path.onlineSigningNo);
    if (!record) throw new DomainError('NOT_FOUND');
    return { status: 200, body: recordView(record) };
  },
});

const confirm = httpHandler({
  role: 'staff',
  path: PropertyRecordPath,
  handle: async ({ path, caller }) => {
    const record = await confirmPaperRecord(
      centreRepository(caller.city),
      normaliseOnlineSigningNo(path.onlineSigningNo),
      caller,
      new Date(),
    );
    return { status: 200, body: recordView(record) };
  },
});

const cancel = httpHandler({
  role: 'staff',
  path: PropertyRecordPath,
  body: PropertyCancellationBody,
  handle: async ({ path, body, caller }) => {
    const record = await cancelRecord(
      centreRepository(caller.city),
      normaliseOnlineSigningNo(path.onlineSigningNo),
      { reason: body.reasonZh, evidenceRef: body.evidenceRef },
      caller,
      new Date(),
    );
    return { status: 200, body: recordView(record) };
  },
});

export const handler = byRoute({
  'POST /v1/staff/property-records': enter,
  'GET /v1/staff/property-records/{onlineSigningNo}': show,
  'POST /v1/staff/property-records/{onlineSigningNo}/confirmation': confirm,
  'POST /v1/staff/property-records/{onlineSigningNo}/cancellation': cancel,
});
