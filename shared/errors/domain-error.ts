/**
 * Every error a flow or a handler may raise, by a stable code: what kind of failure it is, a
 * title, and a message in Chinese and English. Flows throw `DomainError`s and know nothing of
 * HTTP; the one HTTP boundary (shared/http/problem.ts) turns them into problem+json, the kind
 * choosing the status. Every code a client can meet is listed here, once.
 */

export interface LocalisedMessage {
  'zh-CN': string;
  en: string;
}

/** What went wrong, as the boundary maps it to a status (invalid → 400, refused → 422…). */
export type ErrorKind =
  | 'invalid'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'too-large'
  | 'unsupported-media'
  | 'refused'
  | 'internal'
  | 'not-implemented'
  | 'unavailable'
  | 'too-many-requests'
  | 'timeout';

/** One failed field: where it was (`body`, `path`, `query`, `header`), its dotted path, why. */
export interface FieldError {
  in: 'body' | 'path' | 'query' | 'header';
  field: string;
  code: string;
  message: LocalisedMessage;
}

export const ERROR_TYPES = {
  VALIDATION_FAILED: {
    kind: 'invalid',
    title: 'Validation failed',
    message: {
      'zh-CN': '提交的信息有误，请按提示修改后重新提交。',
      en: 'Some of the information is invalid.',
    },
  },
  MALFORMED_JSON: {
    kind: 'invalid',
    title: 'Malformed JSON',
    message: { 'zh-CN': '请求内容不是有效的 JSON。', en: 'The request body is not valid JSON.' },
  },
  FORBIDDEN: {
    kind: 'forbidden',
    title: 'Forbidden',
    message: { 'zh-CN': '您无权办理此事项。', en: 'You are not allowed to use this service.' },
  },
  NOT_FOUND: {
    kind: 'not-found',
    title: 'Not found',
    message: { 'zh-CN': '未找到相关记录。', en: 'No such record.' },
  },
  PAYLOAD_TOO_LARGE: {
    kind: 'too-large',
    title: 'Payload too large',
    message: { 'zh-CN': '请求内容超过 64 KiB 上限。', en: 'The request body exceeds the 64 KiB limit.' },
  },
  UNSUPPORTED_MEDIA_TYPE: {
    kind: 'unsupported-media',
    title: 'Unsupported media type',
    message: {
      'zh-CN': '请求内容须为 JSON（Content-Type: application/json）。',
      en: 'The request body must be JSON (Content-Type: application/json).',
    },
  },
  NOT_IMPLEMENTED: {
    kind: 'not-implemented',
    title: 'Not implemented',
    message: { 'zh-CN': '该事项暂未开通。', en: 'This service is not available yet.' },
  },
  INTERNAL: {
    kind: 'internal',
    title: 'Internal error',
    message: {
      'zh-CN': '系统繁忙，请稍后再试。如问题持续，请联系公积金中心并提供请求编号。',
      en: 'Something went wrong on our side. Please try again; if it persists, contact the centre with the request id.',
    },
  },
  TOO_MANY_FAILED_LOOKUPS: {
    kind: 'too-many-requests',
    title: 'Too many failed look-ups from this address',
    message: {
      'zh-CN': '您所在网络查验失败次数过多，请稍后再试，或核对证明上的验证码。',
      en: 'Too many failed checks from your network: please try again later, or check the code on the certificate.',
    },
  },
  SERVICE_UNAVAILABLE: {
    kind: 'unavailable',
    title: 'Service unavailable',
    message: { 'zh-CN': '服务暂不可用，请稍后再试。', en: 'The service is temporarily unavailable.' },
  },
  CENTRE_TIMEOUT: {
    kind: 'timeout',
    title: 'Centre did not answer in time',
    message: { 'zh-CN': '对方公积金中心未在时限内答复。', en: 'The other centre did not answer in time.' },
  },
  DEPOSIT_TERMS_OUT_OF_LIMITS: {
    kind: 'refused',
    title: 'Deposit base or rate outside the centre limits',
    message: {
      'zh-CN': '缴存基数或缴存比例超出本中心规定范围。',
      en: "The deposit base or a rate is outside the centre's limits.",
    },
  },
  PERSON_HAS_ACCOUNT_IN_CENTRE: {
    kind: 'conflict',
    title: 'The person already has an account in this centre',
    message: {
      'zh-CN': '该职工在本中心已有个人账户（一人在一个中心只能有一个个人账户）。',
      en: 'This person already has an account in this centre (one per person per centre).',
    },
  },
  ACCOUNT_CLOSED: {
    kind: 'conflict',
    title: 'Account closed',
    message: {
      'zh-CN': '该个人账户已销户，不能变更。',
      en: 'This account is closed and cannot be changed.',
    },
  },
  ACCOUNT_CHANGED_MEANWHILE: {
    kind: 'conflict',
    title: 'Account changed meanwhile',
    message: {
      'zh-CN': '该账户刚被其他操作更新，请刷新后重试。',
      en: 'The account was updated by another operation; reload and try again.',
    },
  },
  EMPLOYER_NOT_YOURS: {
    kind: 'forbidden',
    title: 'Credit code or centre does not match the signed-in employer',
    message: {
      'zh-CN': '只能为本单位（登录所用统一社会信用代码）在登录时所选的公积金中心办理开户。',
      en: 'You can only register your own organisation, in the centre you signed in for.',
    },
  },
  EMPLOYER_ACCOUNT_EXISTS: {
    kind: 'conflict',
    title: 'Employer already registered in this centre',
    message: {
      'zh-CN': '该单位已在本中心开户。',
      en: 'This employer already has an account in this centre.',
    },
  },
  CO_APPLICANT_CONSENT_CLOSED: {
    kind: 'conflict',
    title: 'The application is decided; a co-applicant can no longer confirm',
    message: {
      'zh-CN': '该贷款申请已作出审批决定（或正在复核、已撤回），共同申请人不能再确认。',
      en: 'This loan application has been decided (or is being confirmed, or was withdrawn); a co-applicant can no longer confirm it.',
    },
  },
  CANNOT_WITHDRAW: {
    kind: 'conflict',
    title: 'Application can no longer be withdrawn',
    message: {
      'zh-CN': '该申请已办结（已驳回、已撤回或已放款），不能撤回。',
      en: 'This application is closed (rejected, withdrawn or disbursed) and cannot be withdrawn.',
    },
  },
  CALENDAR_YEAR_OUT_OF_RANGE: {
    kind: 'not-found',
    title: 'Calendar year out of range',
    message: { 'zh-CN': '工作日历不涵盖该年份。', en: 'The working-day calendar does not cover that year.' },
  },
  NOT_AWAITING_REVIEW: {
    kind: 'conflict',
    title: 'Application not waiting for review',
    message: {
      'zh-CN': '该申请不在待人工审核状态。',
      en: 'This application is not waiting for a staff review.',
    },
  },
  OUTSTANDING_HPF_LOAN: {
    kind: 'conflict',
    title: 'The person holds an HPF loan',
    message: {
      'zh-CN': '申请人在区域内已有未结清或正在办理的公积金贷款，不能再批准。',
      en: 'The applicant already holds or is being granted an HPF loan in the region.',
    },
  },
  APPLICATION_CHANGED: {
    kind: 'conflict',
    title: 'Changed meanwhile',
    message: {
      'zh-CN': '该申请或申请人的贷款信息刚被更新，请刷新后重试。',
      en: 'The application or the applicant’s loan record changed meanwhile; reload and try again.',
    },
  },
  BANK_ACCOUNT_NOT_ACCEPTED: {
    kind: 'refused',
    title: 'Bank account not accepted',
    message: {
      'zh-CN': '收款账户须为申请人本人名下的银行账户。',
      en: 'Payouts go only to a bank account in the applicant’s own name.',
    },
  },
  LOAN_NOT_REPAID: {
    kind: 'conflict',
    title: 'Loan not fully repaid',
    message: {
      'zh-CN': '该笔贷款尚未全部还清，暂不能开具贷款结清证明。还清后即可申请。',
      en: 'This loan is not fully repaid yet, so no payoff certificate can be issued. Apply again once it is repaid.',
    },
  },
  IDEMPOTENCY_KEY_REUSED: {
    kind: 'refused',
    title: 'Idempotency key reused',
    message: {
      'zh-CN': '该幂等键已用于内容不同的另一笔请求，请为新的请求使用新的幂等键。',
      en: 'This Idempotency-Key was used for a request with another body; use a new key for a new request.',
    },
  },
  REMITTANCE_MONTH_EXISTS: {
    kind: 'conflict',
    title: 'Month already remitted',
    message: {
      'zh-CN': '该月份的汇缴已办理，不能重复汇缴。',
      en: 'The remittance for that month has already been made.',
    },
  },
  REMITTANCE_MONTH_IN_FUTURE: {
    kind: 'refused',
    title: 'Month not yet due',
    message: { 'zh-CN': '不能汇缴未来月份。', en: 'Cannot remit for a future month.' },
  },
  REMITTANCE_MONTH_NOT_REMITTABLE: {
    kind: 'refused',
    title: 'Month outside the remittance window',
    message: {
      'zh-CN': '该月份不在可汇缴的期间内：开始缴存前的月份不能汇缴，已过期限的月份请办理补缴。',
      en: 'That month cannot be remitted: nothing is owed before deposits start, and a month past its deadline is back-pay.',
    },
  },
  BACK_PAY_NOT_ALLOWED: {
    kind: 'refused',
    title: 'Back-pay not allowed for some rows',
    message: {
      'zh-CN':
        '部分账户或月份不能补缴，请按提示修改：开始缴存前的月份、仍可汇缴的月份和已缴存的月份都不能补缴。',
      en: 'Some accounts or months cannot be back-paid: months before deposits start, months still remittable and months already deposited.',
    },
  },
  NOT_A_COLLECTING_BANK: {
    kind: 'forbidden',
    title: 'Not a collecting bank',
    message: {
      'zh-CN': '只有本中心的归集银行可以确认缴存款到账。',
      en: 'Only a collecting bank of the centre can confirm that a payment arrived.',
    },
  },
  LOAN_NOT_APPROVED: {
    kind: 'conflict',
    title: 'Application not approved',
    message: {
      'zh-CN': '该贷款申请尚未审批通过，不能放款。',
      en: 'The application has not been approved; the loan cannot be disbursed.',
    },
  },
  LOAN_NOT_ACTIVE: {
    kind: 'conflict',
    title: 'Loan not active',
    message: {
      'zh-CN': '该笔贷款已结清，无需再提前还款。',
      en: 'The loan has already been repaid; there is nothing left to prepay.',
    },
  },
  PREPAYMENT_COVERS_LOAN: {
    kind: 'refused',
    title: 'Prepayment covers the loan',
    message: {
      'zh-CN': '部分提前还款金额不少于贷款余额，请改为提前结清。',
      en: 'A partial prepayment is not less than the outstanding principal: pay the loan off in full instead.',
    },
  },
  PREPAYMENT_BELOW_MINIMUM: {
    kind: 'refused',
    title: 'Prepayment below the minimum',
    message: { 'zh-CN': '部分提前还款金额低于最低金额。', en: 'A partial prepayment is below the minimum.' },
  },
  APPLICATION_STATUS_CONFLICT: {
    kind: 'conflict',
    title: 'Application in another status',
    message: {
      'zh-CN': '该申请当前状态不允许此操作，请刷新后查看。',
      en: 'The application is in a status that does not allow this; reload it.',
    },
  },
  NO_COMPUTED_LIMIT: {
    kind: 'refused',
    title: 'No limit computed',
    message: {
      'zh-CN': '依据现有信息无法核定可批准额度（规则不予批准或有中心未反馈信息），只能驳回或重新查询。',
      en: 'The rules give no amount that may be approved on the facts on record (refused, or a centre never answered): refuse it or ask again.',
    },
  },
  STAFF_APPROVAL_ABOVE_LIMIT: {
    kind: 'refused',
    title: 'Above the computed limit',
    message: {
      'zh-CN': '批准金额超过依据规则核定的可贷（可提取）额度。',
      en: 'The amount is above the limit the rules compute from the facts on record.',
    },
  },
  NOT_PENDING_CONFIRMATION: {
    kind: 'conflict',
    title: 'Nothing to confirm',
    message: {
      'zh-CN': '该申请没有待复核的决定。',
      en: 'This application has no decision waiting for confirmation.',
    },
  },
  OWN_DECISION: {
    kind: 'forbidden',
    title: 'Own decision',
    message: {
      'zh-CN': '不能复核自己作出的决定，须由本中心另一名工作人员复核。',
      en: 'You cannot confirm your own decision: another staff member of the centre must.',
    },
  },
  IDEMPOTENCY_KEY_IN_USE: {
    kind: 'conflict',
    title: 'Request with this key in progress',
    message: {
      'zh-CN': '使用同一幂等键的请求正在处理中，请稍后重试。',
      en: 'A request with this Idempotency-Key is still being processed; retry shortly.',
    },
  },
  NOTHING_TO_ASK: {
    kind: 'conflict',
    title: 'Every centre answered',
    message: {
      'zh-CN': '各相关中心均已反馈信息，无需重新查询；请作出决定。',
      en: 'Every centre has answered; there is nothing to ask again. Decide the application.',
    },
  },
  STAFF_FACT_NOT_ALLOWED: {
    kind: 'refused',
    title: 'Fact not for staff to record here',
    message: {
      'zh-CN': '该信息已有记录或不适用于此申请，不能由审核人员补录或更改。',
      en: 'This fact is already on record or does not apply to this application: staff cannot record or change it here.',
    },
  },
  PROPERTY_RECORD_EXISTS: {
    kind: 'conflict',
    title: 'Online-signing record exists',
    message: {
      'zh-CN': '该网签备案号已在本市房屋网签备案登记中，不能重复录入。',
      en: 'This online-signing number is already in the city’s property register: it cannot be entered again.',
    },
  },
  PROPERTY_RECORD_CANCELLED: {
    kind: 'conflict',
    title: 'Online-signing record cancelled',
    message: {
      'zh-CN': '该网签备案已撤销。',
      en: 'This online-signing record is already cancelled.',
    },
  },
  WITHDRAWAL_GROUND_NOT_IN_FORCE: {
    kind: 'refused',
    title: 'Withdrawal ground not in force',
    message: {
      'zh-CN': '该提取情形在申请当日施行的《住房公积金管理条例》及本市规定下尚不适用。',
      en: 'This withdrawal ground does not apply under the Regulations and the city rules in force on the day of application.',
    },
  },
  NOT_PROPERTY_CITY_STAFF: {
    kind: 'forbidden',
    title: 'Not the property city',
    message: {
      'zh-CN': '网签备案记录只能由房屋所在城市公积金中心的工作人员录入。',
      en: 'Only staff of the centre of the city where the property is may enter its online-signing record.',
    },
  },
  PAYOUT_NOT_RETURNABLE: {
    kind: 'conflict',
    title: 'Payout not open to a return',
    message: {
      'zh-CN': '该笔支付已登记退票或已退回，不能再次登记。',
      en: 'A return of this payout is already recorded or completed.',
    },
  },
  PAYOUT_RETURN_NOT_SUPPORTED: {
    kind: 'refused',
    title: 'Account closed',
    message: {
      'zh-CN': '该账户已销户（销户提取或其后销户），退票款不能退回该账户，请按中心销户退票流程处理。',
      en: 'The account is closed (a closing withdrawal, or closed since): the returned payout cannot be credited back to it here; handle it under the centre’s own procedure.',
    },
  },
  VOLUNTARY_DEPOSIT_DUPLICATE: {
    kind: 'refused',
    title: 'Deposits already made for the person elsewhere (重复缴存)',
    message: {
      'zh-CN':
        '您在淮海经济区内仍有单位正常缴存的账户（或另一中心的自愿缴存账户），不能重复缴存；请先由原单位办理封存。',
      en: 'An employer still deposits for you in a Huaihai city (or you deposit voluntarily in another centre): deposits may not be made twice; the employer must seal that account first.',
    },
  },
  PAYMENT_ORDER_EXISTS: {
    kind: 'conflict',
    title: 'A payment order for that month is awaiting payment',
    message: {
      'zh-CN': '该月份已有待缴款的缴款单，请按该缴款单缴款，或先撤销它。',
      en: 'A payment order for that month is already awaiting payment: pay it, or cancel it first.',
    },
  },
  PAYMENT_ORDER_ALREADY_PAID: {
    kind: 'conflict',
    title: 'Payment order already paid',
    message: {
      'zh-CN': '该缴款单已确认到账，不能撤销或再次确认为另一笔款项。',
      en: 'This payment order has been confirmed as paid: it cannot be cancelled or confirmed for another payment.',
    },
  },
  PAYMENT_ORDER_CLOSED: {
    kind: 'conflict',
    title: 'Payment order cancelled or expired',
    message: {
      'zh-CN': '该缴款单已撤销或已过缴款期限，不能入账；款项请按原路退回。',
      en: 'This payment order was cancelled or is past its due date: it cannot be credited; return the payment.',
    },
  },
  PAYMENT_AMOUNT_MISMATCH: {
    kind: 'refused',
    title: 'Amount paid differs from the payment order',
    message: {
      'zh-CN': '到账金额与缴款单金额不一致，不能入账。',
      en: 'The amount paid differs from the payment order: it cannot be credited.',
    },
  },
  BANK_REFERENCE_USED: {
    kind: 'conflict',
    title: 'Bank reference already used',
    message: {
      'zh-CN': '该银行流水号已用于确认另一张缴款单。',
      en: 'This bank reference has already confirmed another payment order.',
    },
  },
  // The yearly base adjustment (缴存基数年度调整), shared/base-adjustments/
  BASE_ADJUSTMENT_ROWS_INVALID: {
    kind: 'refused',
    title: 'Base adjustment refused: some rows are wrong',
    message: {
      'zh-CN': '基数调整未办理：以下各行有误（整批未作任何变更），请按提示修改后重新提交整个文件。',
      en: 'The base adjustment was not made: the rows listed are wrong (nothing was changed); correct them and submit the whole file again.',
    },
  },
  BASE_ADJUSTMENT_IN_PROGRESS: {
    kind: 'conflict',
    title: 'A base adjustment is being posted',
    message: {
      'zh-CN': '本单位有一笔缴存基数调整正在入账，请稍后再办理汇缴或新的基数调整。',
      en: 'A base adjustment of this employer is being posted: remit, or adjust again, in a moment.',
    },
  },
  CONCURRENT_UPDATE: {
    kind: 'conflict',
    title: 'Changed meanwhile',
    message: {
      'zh-CN': '该记录正被其他操作同时更新，请稍后重试。',
      en: 'The record kept changing while we tried to update it; please try again.',
    },
  },
  // ACCOUNT_TRANSFER 转移接续
  TRANSFER_SAME_CITY: {
    kind: 'refused',
    title: 'Transfer within one city',
    message: {
      'zh-CN': '转移接续须转入另一区域城市的账户；同一城市内请办理单位变更。',
      en: 'A transfer moves an account to another region city; within one city the employer change is enough.',
    },
  },
  TRANSFER_NO_RECEIVING_ACCOUNT: {
    kind: 'refused',
    title: 'No open account in the receiving city',
    message: {
      'zh-CN': '您在转入城市尚无正常状态的个人住房公积金账户，请先由新单位为您开户。',
      en: 'You have no open personal account in the city you move to: your new employer opens one first.',
    },
  },
  // joint enforcement (shared/enforcement/)
  LOAN_BARRED: {
    kind: 'refused',
    title: 'Borrower barred from HPF loans',
    message: {
      'zh-CN':
        '借款人（或共同借款人）已被记录骗取住房公积金贷款，限制期内不能签订借款合同放款；请驳回该申请。',
      en: 'The borrower (or co-applicant) is recorded for fraudulent borrowing: no loan contract may be made during the bar; refuse the application.',
    },
  },
  ENFORCEMENT_RECORD_NOT_IN_FORCE: {
    kind: 'conflict',
    title: 'Enforcement record not in force',
    message: {
      'zh-CN': '该执法记录未生效或已解除，不能解除。',
      en: 'This enforcement record is not in force (not confirmed, or already lifted): it cannot be lifted.',
    },
  },
  ENFORCEMENT_LIFT_PENDING: {
    kind: 'conflict',
    title: 'Lift already requested',
    message: {
      'zh-CN': '该执法记录的解除申请正在等待复核。',
      en: 'A lift of this enforcement record is already waiting for confirmation.',
    },
  },
  ENFORCEMENT_LOOKUP_CASE_CLOSED: {
    kind: 'conflict',
    title: 'Case not in hand',
    message: {
      'zh-CN': '区域执法信息只能为本中心正在办理的申请查询。',
      en: 'The region-wide records can only be looked up for an application your centre is still handling.',
    },
  },
  ENFORCEMENT_NO_LIFT_PENDING: {
    kind: 'conflict',
    title: 'No lift to confirm',
    message: {
      'zh-CN': '该执法记录没有待复核的解除申请。',
      en: 'No lift of this enforcement record is waiting for confirmation.',
    },
  },
} as const satisfies Record<string, { kind: ErrorKind; title: string; message: LocalisedMessage }>;

export type ErrorCode = keyof typeof ERROR_TYPES;

/** Extension members of a problem: never `type`, `title`, `status`, `detail` or `instance`. */
export interface ErrorDetails {
  /** A message for this instance, in place of the code's general one. */
  message?: LocalisedMessage;
  detail?: string;
  errors?: FieldError[];
  [member: string]: unknown;
}

export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    readonly details: ErrorDetails = {},
  ) {
    super(`${code}: ${(details.message ?? ERROR_TYPES[code].message).en}`);
  }

  get kind(): ErrorKind {
    return ERROR_TYPES[this.code].kind;
  }

  get localised(): LocalisedMessage {
    return this.details.message ?? ERROR_TYPES[this.code].message;
  }
}

/** A validation failure of the request's fields (400). */
export function invalidFields(errors: FieldError[]): DomainError {
  return new DomainError('VALIDATION_FAILED', { errors });
}
