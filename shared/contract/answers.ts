/**
 * The pieces many answers share (应答), written once for the OpenAPI document: money in fen,
 * dates, city codes, the centre, masked identifiers, reasons, a loan and its schedule, an account,
 * a page with its cursor. Schemas only, like route-contract.ts: no handler validates its answer
 * with them; the integration suite checks every answer it receives against the document.
 *
 * Objects are loose (a member added later is not a contradiction) but their members are required
 * where every answer has them, so a member renamed or dropped is caught.
 */
import * as z from 'zod/mini';
import { APPLICATION_STATUSES } from '../applications/statuses.js';
import { CITY_CODES } from '../config/cities.js';
import { REPAYMENT_METHODS } from '../loans/schedule.js';
import { SERVICE_ITEM_CODES } from '../services/declaration.js';

/** Money (金额) in integer fen (分); never negative. */
export const fen = z
  .int()
  .check(z.minimum(0), z.describe('Integer fen (分), 100 fen = 1 yuan'))
  .register(z.globalRegistry, { id: 'Fen' });
/** A movement of money in fen: credits positive, debits negative. */
export const signedFen = z.int().check(z.describe('Integer fen (分), signed: credit > 0, debit < 0'));
export const basisPoints = z
  .int()
  .check(z.minimum(0), z.maximum(10_000), z.describe('Basis points (1% = 100)'));
/** A Beijing calendar date `YYYY-MM-DD`. */
export const isoDate = z.iso.date().register(z.globalRegistry, { id: 'Date' });
/** An instant, ISO 8601 UTC (`…Z`). */
export const isoDateTime = z.iso.datetime({ offset: true }).register(z.globalRegistry, { id: 'DateTime' });
/** A calendar month `YYYY-MM`. */
export const yearMonth = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/));
/** One of the ten centres, by its 6-digit administrative code (行政区划代码). */
export const cityCode = z.enum(CITY_CODES).register(z.globalRegistry, { id: 'CityCode' });
export const itemCode = z.enum(SERVICE_ITEM_CODES);
/** What a work queue holds: the catalogue's items and the centre's enforcement records (执法记录). */
export const queueItemCode = z.enum([...SERVICE_ITEM_CODES, 'ENFORCEMENT']);
export const applicationStatus = z.enum(APPLICATION_STATUSES);
/** 个人账户号: 16 digits, the centre's city code first. */
export const personalAccountNo = z.string().check(z.regex(/^\d{16}$/));
/** The id of an application, loan, payout or record: its centre's city code first (e.g. `320300-L-…`). */
export const recordId = z.string().check(z.regex(/^[A-Z0-9-]{8,64}$/));
/** 单位账号: 14 digits, the centre's city code first. */
export const employerAccountNo = z.string().check(z.regex(/^\d{14}$/));

/** 居民身份证号, masked (脱敏): first 4 and last 4 (`3203**********1234`); a clear number fails. */
export const maskedIdNumber = z
  .string()
  .check(z.regex(/^\*+$|^[0-9]{4}\*{10}[0-9X]{4}$/), z.describe('ID number masked: 3203**********1234'));
/** 统一社会信用代码, masked: first 2 and last 4 (`91************0Y43`). */
export const maskedUscc = z.string().check(z.regex(/^\*+$|^[0-9A-Z]{2}\*{12}[0-9A-Z]{4}$/));
/** A name masked: only its last character shows (`**明`). */
export const maskedName = z.string().check(z.regex(/^\*+[^*]?$/u));

export const localisedMessage = z
  .looseObject({ 'zh-CN': z.string(), en: z.string() })
  .register(z.globalRegistry, { id: 'LocalisedMessage' });
/** Why (理由): a stable code and the words the applicant reads. */
export const reason = z
  .looseObject({ code: z.string(), message: localisedMessage })
  .register(z.globalRegistry, { id: 'Reason' });
export const calendarStatus = z.enum(['official', 'provisional']);

/** A centre (公积金中心) as answers name it. */
export const centre = z
  .looseObject({
    code: cityCode,
    nameZh: z.string(),
    nameEn: z.string(),
    provinceZh: z.optional(z.string()),
    provinceEn: z.optional(z.string()),
  })
  .register(z.globalRegistry, {
    id: 'Centre',
    examples: [
      { code: '320300', nameZh: '徐州', nameEn: 'Xuzhou', provinceZh: '江苏', provinceEn: 'Jiangsu' },
    ],
  });

/** A page of a list, newest first: `nextCursor` is opaque; null on the last page. */
export const nextCursor = z.nullable(z.string().check(z.describe('Pass as the next request’s cursor')));

/** A bank account (银行账户) as answers show it: the number masked, nothing else (no cipher, no hash). */
export const bankAccountAnswer = z
  .strictObject({
    accountNumber: z.string().check(z.regex(/^\*+$|^\S{4} \*{4} \*{4} \S{4}$/), z.describe('Masked')),
    holderName: z.string(),
    bankName: z.string(),
  })
  .register(z.globalRegistry, { id: 'BankAccount' });

/** A personal account's status: 正常, 封存 (sealed: the job ended), 销户 (closed). */
export const accountStatus = z.enum(['normal', 'sealed', 'closed']);

/** One month of a repayment schedule (还款计划). */
export const instalment = z
  .looseObject({
    number: z.int().check(z.minimum(1)),
    dueMonth: yearMonth,
    paymentFen: fen,
    principalFen: fen,
    interestFen: fen,
    remainingPrincipalFen: fen,
  })
  .register(z.globalRegistry, { id: 'Instalment' });

/** A loan (贷款) as its borrower and staff see it: no person keys. */
export const loanAnswer = z
  .looseObject({
    loanId: recordId,
    applicationId: recordId,
    city: cityCode,
    offsite: z.boolean().check(z.describe('异地贷款: a depositing centre is not the lending centre')),
    principalFen: fen,
    outstandingPrincipalFen: fen,
    annualRateHundredthsBp: z.int().check(z.describe('Annual rate in hundredths of a basis point')),
    rateRuleVersion: z.string(),
    homeOrder: z.enum(['first', 'second']),
    termMonths: z.int(),
    contractTermMonths: z.int(),
    method: z.enum(REPAYMENT_METHODS),
    contractDate: isoDate,
    firstDueMonth: yearMonth,
    status: z.enum(['active', 'repaid']),
    paidInstalments: z.int(),
    disbursedAt: isoDateTime,
  })
  .register(z.globalRegistry, { id: 'Loan' });

/** A ledger entry (明细): one movement of a balance. */
export const ledgerEntry = z
  .looseObject({
    personalAccountNo,
    version: z.int(),
    kind: z.enum([
      'remittance',
      'back-pay',
      'interest',
      'withdrawal',
      'loan-repayment',
      'adjustment',
      'transfer-out',
      'transfer-in',
      'transfer-return',
    ]),
    amountFen: signedFen,
    balanceAfterFen: fen,
    valueDate: isoDate.check(z.describe('起息日: from when it counts for interest')),
    postedAt: isoDateTime,
    reference: z.string(),
    details: z.optional(
      z
        .looseObject({})
        .check(
          z.describe("The movement's own facts (a remittance's month and shares, a withdrawal's ground…)"),
        ),
    ),
  })
  .register(z.globalRegistry, {
    id: 'LedgerEntry',
    examples: [
      {
        personalAccountNo: '3708002000000001',
        version: 2,
        kind: 'remittance',
        amountFen: 133334,
        balanceAfterFen: 266668,
        valueDate: '2026-12-02',
        postedAt: '2026-12-01T18:10:12.227Z',
        reference: 'REMIT#2026-12',
        details: { month: '2026-12', employeeShareFen: 66667, employerShareFen: 66667 },
      },
    ],
  });

/** A step of an application's timeline (办理进度). */
export const timelineEntry = z
  .looseObject({
    status: applicationStatus,
    at: isoDateTime,
    by: z.string(),
    note: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: 'TimelineEntry' });

/**
 * An application as its applicant (or the accepting agent) sees it (shared/applications/records.ts
 * applicantView): the members every item has, more allowed (an item's own request and decision).
 * No person key, the ID number masked, staff named by their role.
 */
export const applicationAnswer = z
  .looseObject({
    applicationId: recordId,
    itemCode,
    city: cityCode,
    channel: z.enum(['online', 'agent']),
    acceptedBy: z.string(),
    /** Empty for an employer's own application (a back-pay, 补缴). */
    idNumberMasked: z.union([maskedIdNumber, z.literal('')]),
    status: applicationStatus,
    acceptedAt: isoDateTime,
    committedDeadline: isoDateTime,
    committedDeadlineCalendar: calendarStatus,
    timeline: z.array(timelineEntry),
    /** What the application asked of each centre (by city code, or `property:<city>`…), and when it was answered. */
    requests: z.record(
      z.string(),
      z.looseObject({ sentAt: z.nullable(isoDateTime), answeredAt: z.nullable(isoDateTime) }),
    ),
    reasons: z.optional(z.array(reason)),
    timeLeft: z.looseObject({
      overdue: z.boolean(),
      /** Working days to the committed deadline while the decision is awaited; else null. */
      workingDaysLeft: z.optional(z.nullable(z.int())),
    }),
  })
  .register(z.globalRegistry, { id: 'Application' });

/** An application of an item: the common members and the item's own. */
export function applicationAnswerOf(members: Record<string, z.ZodMiniType>) {
  return z.extend(applicationAnswer, members);
}

/**
 * A certificate (证明) as anyone holding its code sees it: the JSON record is the certificate. Its
 * `status` is as of now (revoked wins over expired); the holder masked; the facts as certified.
 */
export const CertificateAnswer = z
  .looseObject({
    verificationCode: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/)),
    status: z.enum(['valid', 'expired', 'revoked']),
    /** 缴存使用证明 (DEPOSIT_CERT) or 贷款结清证明 (PAYOFF_CERT). */
    kind: z.enum(['deposit-usage', 'loan-payoff']),
    itemCode: z.enum(['DEPOSIT_CERT', 'PAYOFF_CERT']),
    issuingCentre: centre,
    issuedAt: isoDateTime,
    /** Null for a payoff certificate: it never expires. */
    validUntil: z.nullable(isoDateTime),
    validity: localisedMessage,
    revokedAt: z.optional(z.nullable(isoDateTime)),
    holder: z.strictObject({ nameMasked: maskedName, idNumberMasked: maskedIdNumber }),
    facts: z.union([
      z.looseObject({
        accountStatus: z.enum(['normal', 'sealed', 'closed', 'none']),
        personalAccountNoMasked: z.string().check(z.regex(/^\d{4}\*{8}\d{4}$/)),
        depositCentre: centre,
        continuousDepositMonths: z.int(),
        balanceFen: fen,
        monthlyDepositFen: fen,
        monthlyDepositBaseFen: fen,
        outstandingHpfLoans: z.int(),
        onViolationList: z.boolean(),
        asOf: isoDate,
      }),
      z.looseObject({
        loanId: recordId,
        lendingCentre: centre,
        principalFen: fen,
        contractDate: isoDate,
        repaidOn: z.nullable(z.string()),
        outstandingPrincipalFen: z.literal(0),
      }),
    ]),
  })
  .register(z.globalRegistry, { id: 'Certificate' });

/** An application in its applicant's own list (我的办件, GET /v1/me/withdrawals…): the follow page has the rest. */
export const applicationListed = z
  .looseObject({
    applicationId: recordId,
    itemCode,
    city: cityCode,
    channel: z.enum(['online', 'agent']),
    idNumberMasked: maskedIdNumber,
    status: applicationStatus,
    acceptedAt: isoDateTime,
    committedDeadline: isoDateTime,
    committedDeadlineCalendar: calendarStatus,
    reasons: z.array(reason),
    timeLeft: z.looseObject({ overdue: z.boolean(), workingDaysLeft: z.nullable(z.int()) }),
  })
  .register(z.globalRegistry, { id: 'ApplicationListed' });
