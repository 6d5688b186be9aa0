/**
 * The regional service catalogue (淮海经济区住房公积金政务服务事项清单): one standard for each item across
 * the ten centres (DESIGN.md §3). `GET /v1/services` publishes it as is.
 */
import { SERVICE_ITEM_CODES, type ServiceItemCode } from '../services/declaration.js';

export interface Bilingual {
  zh: string;
  en: string;
}

/** 全程网办 | 两地联办 | 代收代办 (accepted here, handled by the other centre). */
export type HandlingMode = 'online' | 'joint' | 'proxy';

export const HANDLING_MODE_NAMES: Readonly<Record<HandlingMode, Bilingual>> = {
  online: { zh: '全程网办', en: 'Online end to end' },
  joint: { zh: '两地联办', en: 'Handled jointly by the two centres' },
  proxy: { zh: '代收代办', en: 'Accepted here on behalf of the responsible centre' },
};

/** 跨省通办 (the eight national cross-province items) | 淮海经济区通办 (added by the regional agreement). */
export type CatalogueScope = 'crossProvince' | 'regional';

export const SCOPE_NAMES: Readonly<Record<CatalogueScope, Bilingual>> = {
  crossProvince: { zh: '跨省通办', en: 'Cross-province service' },
  regional: { zh: '淮海经济区通办', en: 'Huaihai regional service' },
};

export interface RequiredMaterial {
  nameZh: string;
  nameEn: string;
  /** True: the platform obtains it online (免提交); false: the applicant provides it. */
  fetchedByPlatform: boolean;
  /** Set when only some applicants need it (e.g. only when a spouse applies). */
  condition?: Bilingual;
}

/** Which regulation time limit (《住房公积金管理条例》) bounds the item's committed time, if any. */
export type StatutoryTimeLimit = 'withdrawal' | 'loan';

export interface CatalogueItem {
  code: ServiceItemCode;
  nameZh: string;
  nameEn: string;
  scope: CatalogueScope;
  /** 受理条件: who may apply. */
  acceptanceStandard: Bilingual;
  /** 申请材料. */
  materials: readonly RequiredMaterial[];
  /** 办理方式. */
  handlingModes: readonly HandlingMode[];
  /** 办事指南: the steps in order. */
  guideSteps: readonly Bilingual[];
  /**
   * 承诺办结时限, the same in all ten cities, in working days after acceptance on the official
   * holiday calendar (shared/calendar/working-days.ts `committedDeadline`). 0 means 即时办结: done by the
   * end of the day of acceptance (or of the next working day when accepted on a non-working day).
   */
  committedWorkingDays: number;
  statutoryTimeLimit?: StatutoryTimeLimit;
  /** False while the item is listed but not yet open; `note` says what to do meanwhile. */
  available: boolean;
  note?: Bilingual;
  /** The API routes citizens, employers or agents use (informative; the service declaration is authoritative). */
  routes: readonly string[];
}

const IDENTITY: RequiredMaterial = {
  nameZh: '申请人身份信息（实名认证核验）',
  nameEn: "Applicant's identity (checked by real-name authentication)",
  fetchedByPlatform: true,
};
const OWN_BANK_ACCOUNT: RequiredMaterial = {
  nameZh: '本人名下银行借记卡账户信息',
  nameEn: "Debit card account in the applicant's own name",
  fetchedByPlatform: false,
};
const LOAN_SETTLEMENT: RequiredMaterial = {
  nameZh: '住房公积金贷款结清情况（区域贷款信息在线核验）',
  nameEn: 'Whether any HPF loan is outstanding (checked online in the regional loan index)',
  fetchedByPlatform: true,
};
const MARRIAGE_CERTIFICATE: RequiredMaterial = {
  nameZh: '结婚证',
  nameEn: 'Marriage certificate',
  fetchedByPlatform: false,
  condition: { zh: '配偶申请的', en: "when the applicant's spouse applies" },
};

/** The home on the register: its record names the applicant as a buyer (装修, 物业费). */
const OWN_HOME_RECORD: RequiredMaterial = {
  nameZh: '自住住房网签备案信息（购房人、备案状态，由住房所在城市登记调取）',
  nameEn:
    "The home's online-signing record (buyers, status; fetched from the register of the city where it is)",
  fetchedByPlatform: true,
};

const WITHDRAWAL_ROUTES = [
  'POST /v1/me/withdrawals',
  'GET /v1/me/withdrawals/{id}',
  'POST /v1/agent/withdrawals',
];

const ITEMS: Readonly<Record<ServiceItemCode, Omit<CatalogueItem, 'code'>>> = {
  EMPLOYER_OPEN: {
    nameZh: '单位登记开户',
    nameEn: 'Employer registration and account opening',
    scope: 'crossProvince',
    acceptanceStandard: {
      zh: '在淮海经济区十市依法设立的机关、事业单位、企业、民办非企业单位、社会团体等单位，应当自设立之日起30日内办理住房公积金缴存登记，并为本单位职工办理个人账户设立手续。单位可在区域内任一城市住房公积金管理中心申请，由单位所在地中心办理。',
      en: 'Any employer lawfully established in one of the ten Huaihai cities (government body, public institution, enterprise, private non-enterprise unit, social organisation…) registers for HPF deposits within 30 days of its establishment and opens personal accounts for its employees. It may apply to any centre of the region; the centre of its own city handles the registration.',
    },
    materials: [
      {
        nameZh: '单位登记证照信息（统一社会信用代码）',
        nameEn: 'Registration of the employer (unified social credit code)',
        fetchedByPlatform: true,
      },
      {
        nameZh: '法定代表人（负责人）身份信息',
        nameEn: 'Identity of the legal representative (or person in charge)',
        fetchedByPlatform: true,
      },
      {
        nameZh: '单位授权委托书及经办人身份证件',
        nameEn: "The employer's letter of authorisation and the agent's identity document",
        fetchedByPlatform: false,
        condition: { zh: '委托经办人办理的', en: 'when an agent applies for the employer' },
      },
      {
        nameZh: '住房公积金单位登记信息（在线填写）',
        nameEn: 'HPF employer registration details (filled in online)',
        fetchedByPlatform: false,
      },
    ],
    handlingModes: ['online', 'proxy'],
    guideSteps: [
      {
        zh: '单位通过平台或区域内任一中心服务网点提交缴存登记申请，填写单位登记信息。',
        en: 'The employer applies online or at a service point of any centre in the region and fills in its registration details.',
      },
      {
        zh: '平台在线核验单位登记证照和法定代表人身份信息。',
        en: "The platform checks the employer's registration and the legal representative's identity online.",
      },
      {
        zh: '单位所在地中心审核通过后设立单位住房公积金账户，告知单位账号。',
        en: "The centre of the employer's city reviews the application, opens the employer account and gives its number.",
      },
      {
        zh: '单位为职工设立个人住房公积金账户，按月汇缴住房公积金。',
        en: 'The employer opens a personal HPF account for each employee and remits deposits every month.',
      },
    ],
    committedWorkingDays: 1,
    available: true,
    routes: ['POST /v1/employers', 'POST /v1/employers/{employerAccountNo}/employees'],
  },

  DEPOSIT_CHANGE: {
    nameZh: '单位及个人缴存信息变更',
    nameEn: 'Change of employer or employee deposit information',
    scope: 'crossProvince',
    acceptanceStandard: {
      zh: '已在淮海经济区十市住房公积金管理中心办理缴存登记的单位，单位名称、地址、经办人等登记信息发生变化，或职工缴存基数、缴存比例等个人缴存信息需要调整的，由单位申请变更。缴存基数应当在所在城市公布的上下限之内，单位和职工缴存比例均应当在5%至12%之间。',
      en: "An employer registered with a Huaihai centre applies when its own details (name, address, contact person…) change or when an employee's deposit base or deposit rates must be adjusted. The base must lie within the floor and ceiling published by the city, and the employer's and the employee's rates each between 5% and 12%.",
    },
    materials: [
      {
        nameZh: '缴存信息变更申请（在线填写）',
        nameEn: 'Change request (filled in online)',
        fetchedByPlatform: false,
      },
      {
        nameZh: '单位变更登记信息',
        nameEn: "The employer's amended registration",
        fetchedByPlatform: true,
        condition: { zh: '单位名称等登记事项变更的', en: "when the employer's registered details change" },
      },
      {
        nameZh: '职工上年度月平均工资情况',
        nameEn: "The employee's average monthly wage of the previous year",
        fetchedByPlatform: false,
        condition: { zh: '调整缴存基数的', en: 'when the deposit base changes' },
      },
      IDENTITY,
    ],
    handlingModes: ['online', 'proxy'],
    guideSteps: [
      {
        zh: '单位通过平台或区域内任一中心服务网点提交变更申请。',
        en: 'The employer applies online or at a service point of any centre in the region.',
      },
      {
        zh: '平台校验缴存基数是否在所在城市上下限之内、缴存比例是否在规定范围之内。',
        en: "The platform checks the base against the city's floor and ceiling and the rates against the permitted range.",
      },
      {
        zh: '单位所在地中心审核并完成变更，自下一缴存月起按变更后的信息汇缴。',
        en: "The centre of the employer's city reviews and records the change; remittances follow it from the next deposit month.",
      },
      {
        zh: '年度调整缴存基数时，单位可一次提交全部职工（CSV 或 JSON）：逐行校验，全部无误才整批变更，有误则列明行号和原因、不作任何变更。',
        en: 'For the yearly base adjustment the employer files all employees at once (CSV or JSON): every row is checked, and the batch is changed only when all rows are right; otherwise each wrong row is named and nothing changes.',
      },
    ],
    committedWorkingDays: 1,
    available: true,
    routes: [
      'PATCH /v1/employers/{employerAccountNo}/employees/{personalAccountNo}',
      'POST /v1/employers/{employerAccountNo}/base-adjustments',
    ],
  },

  INFO_QUERY: {
    nameZh: '个人缴存贷款等信息查询',
    nameEn: 'Personal deposit and loan information query',
    scope: 'crossProvince',
    acceptanceStandard: {
      zh: '在淮海经济区任一城市缴存住房公积金或办理住房公积金贷款的职工，经实名认证后，可查询本人在十市的账户余额、缴存明细、贷款及还款信息。仅可查询本人信息。',
      en: "Anyone who deposits with, or borrows from, a Huaihai centre may, after real-name authentication, look up his or her balances, deposit history, loans and repayments in all ten cities. Only one's own records can be seen.",
    },
    materials: [IDENTITY],
    handlingModes: ['online'],
    guideSteps: [
      {
        zh: '登录平台，完成实名认证。',
        en: 'Sign in to the platform with real-name authentication.',
      },
      {
        zh: '平台汇集本人在十市住房公积金管理中心的账户和贷款信息。',
        en: "The platform gathers the person's accounts and loans from the ten centres.",
      },
      {
        zh: '即时查看账户余额、缴存明细和贷款还款信息。',
        en: 'Balances, deposit history, loans and repayments are shown at once.',
      },
    ],
    committedWorkingDays: 0,
    available: true,
    routes: [
      'GET /v1/me/accounts',
      'GET /v1/me/accounts/{personalAccountNo}/ledger',
      'GET /v1/me/loans',
      'GET /v1/me/loans/{loanId}',
    ],
  },

  DEPOSIT_CERT: {
    nameZh: '出具贷款职工缴存使用证明',
    nameEn: 'Certificate of deposits and their use for a loan applicant',
    scope: 'crossProvince',
    acceptanceStandard: {
      zh: '在淮海经济区任一城市缴存住房公积金、拟在异地申请住房公积金贷款的职工，可申请出具本人住房公积金缴存使用证明。在区域内其他城市申请贷款的，贷款城市中心在线获取缴存信息，无需出具本证明。',
      en: 'A depositor of a Huaihai centre who intends to apply for an HPF loan elsewhere may obtain a certificate of his or her deposits and their use. For a loan in another region city no certificate is needed: the lending centre fetches the deposit facts online.',
    },
    materials: [
      IDENTITY,
      {
        nameZh: '住房公积金缴存、提取及贷款记录（由缴存地中心在线提供）',
        nameEn: 'Deposit, withdrawal and loan records (provided online by the deposit centre)',
        fetchedByPlatform: true,
      },
    ],
    handlingModes: ['online'],
    guideSteps: [
      {
        zh: '登录平台，选择出具缴存使用证明。',
        en: 'Sign in and ask for the certificate of deposits and their use.',
      },
      {
        zh: '缴存地中心在线出具电子证明，证明附唯一验证码。',
        en: 'The deposit centre issues an electronic certificate carrying a unique verification code.',
      },
      {
        zh: '申请人下载证明，贷款城市中心可凭验证码在线核验真伪。',
        en: 'The applicant downloads it; the lending centre checks it online with the verification code.',
      },
    ],
    committedWorkingDays: 0,
    available: true,
    routes: ['POST /v1/me/certificates'],
  },

  RETIRE_WITHDRAW: {
    nameZh: '正常退休提取',
    nameEn: 'Withdrawal on normal retirement',
    scope: 'crossProvince',
    acceptanceStandard: {
      zh: '在淮海经济区任一城市缴存住房公积金的职工，达到法定退休年龄（按渐进式延迟法定退休年龄规定确定）或依法办理退休手续的，可申请提取本人住房公积金账户全部余额并销户。有未结清住房公积金贷款的，应当先结清贷款，或以账户余额偿还。',
      en: 'A depositor of a Huaihai centre who has reached the statutory retirement age (as set by the gradual retirement-age reform) or has retired under the rules may withdraw the whole balance and close the account. An HPF loan still owing is settled first, or repaid from the balance.',
    },
    materials: [
      IDENTITY,
      {
        nameZh: '退休审批表或退休证',
        nameEn: 'Retirement approval or retirement certificate',
        fetchedByPlatform: false,
        condition: {
          zh: '未达到按身份证号码计算的法定退休年龄、已依法提前退休的',
          en: 'when retired before the statutory age computed from the ID number',
        },
      },
      LOAN_SETTLEMENT,
      OWN_BANK_ACCOUNT,
    ],
    handlingModes: ['online', 'proxy'],
    guideSteps: [
      {
        zh: '通过平台或区域内任一中心服务网点、受托银行网点提交申请，填写本人名下银行账户。',
        en: "Apply online, at a service point of any centre in the region or at an agent bank branch, giving a bank account in the applicant's own name.",
      },
      {
        zh: '平台核验退休年龄和住房公积金贷款结清情况。',
        en: 'The platform checks the retirement age and whether any HPF loan is outstanding.',
      },
      {
        zh: '缴存地中心审核并作出准予提取或者不准提取的决定。',
        en: 'The deposit centre reviews the application and decides whether to allow the withdrawal.',
      },
      {
        zh: '准予提取的，资金转入本人银行账户，住房公积金账户销户。',
        en: "If allowed, the balance is paid into the applicant's bank account and the HPF account is closed.",
      },
    ],
    committedWorkingDays: 1,
    statutoryTimeLimit: 'withdrawal',
    available: true,
    routes: WITHDRAWAL_ROUTES,
  },

  PURCHASE_WITHDRAW: {
    nameZh: '购房提取',
    nameEn: 'Withdrawal for a home purchase',
    scope: 'crossProvince',
    acceptanceStandard: {
      zh: '在淮海经济区任一城市缴存住房公积金的职工，作为购房人购买自住住房（新建商品住房或存量住房）并完成购房合同网签备案的，可在缴存地中心规定的期限内（自合同签订之日起）申请提取住房公积金账户余额。网签备案信息由平台向住房所在城市的登记调取；同一套住房所有购房人提取总额不超过网签备案价，提取资金仅转入申请人本人名下银行账户。',
      en: "A depositor of a Huaihai centre who is a buyer of a home to live in (new or second-hand) whose purchase contract is registered online may withdraw the balance within the deposit centre's period after the contract date. The platform fetches the online-signing record from the register of the city where the home is; all buyers of one home together withdraw at most its registered price, and the money goes only to a bank account in the applicant's own name.",
    },
    materials: [
      IDENTITY,
      {
        nameZh: '网签备案信息（合同日期、备案价、购房人）',
        nameEn: 'Online-signing record (contract date, registered price, buyers)',
        fetchedByPlatform: true,
      },
      {
        nameZh: '购房合同（住房所在城市登记中无网签备案信息时，由中心工作人员核对录入）',
        nameEn:
          'House purchase contract (only where the register has no online record: staff check and enter it)',
        fetchedByPlatform: false,
      },
      MARRIAGE_CERTIFICATE,
      OWN_BANK_ACCOUNT,
    ],
    handlingModes: ['online', 'joint'],
    guideSteps: [
      {
        zh: '提交申请，填写网签备案号、住房所在城市和本人名下银行账户。',
        en: "Apply with the online-signing number, the city where the home is, and a bank account in the applicant's own name.",
      },
      {
        zh: '平台向住房所在城市调取网签备案信息，核对申请人为购房人、备案未撤销，并按网签备案号核对该套住房已提取金额，确保购房人合计提取不超过备案价。',
        en: 'The platform fetches the online-signing record from the city where the home is, checks that the applicant is a buyer and the record is not cancelled, and checks what has already been withdrawn for the same home, so that all buyers together stay within the registered price.',
      },
      {
        zh: '缴存地中心审核并作出决定；住房不在缴存地的，由住房所在地中心协助核验购房信息（两地联办）。',
        en: "The deposit centre reviews and decides; for a home in another city, that city's centre helps verify the purchase (joint handling).",
      },
      {
        zh: '准予提取的，资金转入本人银行账户。',
        en: "If allowed, the money is paid into the applicant's bank account.",
      },
    ],
    committedWorkingDays: 3,
    statutoryTimeLimit: 'withdrawal',
    available: true,
    routes: WITHDRAWAL_ROUTES,
  },

  PAYOFF_CERT: {
    nameZh: '开具贷款全部还清证明',
    nameEn: 'Certificate that a loan is fully repaid',
    scope: 'crossProvince',
    acceptanceStandard: {
      zh: '在淮海经济区任一城市办理住房公积金贷款且已全部还清本息的借款人，可申请开具贷款全部还清证明，用于办理抵押权注销登记等事项。',
      en: 'A borrower who has fully repaid an HPF loan from a Huaihai centre may obtain a certificate of full repayment, e.g. to have the mortgage released.',
    },
    materials: [
      IDENTITY,
      {
        nameZh: '住房公积金贷款结清记录（由贷款地中心在线提供）',
        nameEn: 'Loan repayment record (provided online by the lending centre)',
        fetchedByPlatform: true,
      },
    ],
    handlingModes: ['online'],
    guideSteps: [
      {
        zh: '登录平台，选择开具贷款全部还清证明。',
        en: 'Sign in and ask for the certificate of full repayment.',
      },
      {
        zh: '贷款地中心核对结清记录，在线出具附唯一验证码的电子证明。',
        en: 'The lending centre checks the repayment record and issues an electronic certificate with a unique verification code.',
      },
      {
        zh: '申请人下载证明，不动产登记等机构可凭验证码核验真伪。',
        en: 'The applicant downloads it; the property registry or anyone else can check it with the verification code.',
      },
    ],
    committedWorkingDays: 0,
    available: true,
    routes: ['POST /v1/me/certificates'],
  },

  EARLY_PAYOFF: {
    nameZh: '提前还清贷款',
    nameEn: 'Early repayment of a loan',
    scope: 'crossProvince',
    acceptanceStandard: {
      zh: '在淮海经济区任一城市办理住房公积金贷款、无逾期欠款（或已还清逾期欠款）的借款人，可申请提前偿还全部或部分贷款本金。提前还款当期利息按实际占用天数计收。',
      en: 'A borrower with an HPF loan from a Huaihai centre and no arrears (or arrears already paid) may repay all or part of the principal early. Interest for the current period is charged for the days actually used.',
    },
    materials: [
      IDENTITY,
      {
        nameZh: '住房公积金贷款信息（由贷款地中心在线提供）',
        nameEn: 'Loan details (provided online by the lending centre)',
        fetchedByPlatform: true,
      },
      {
        nameZh: '还款资金账户信息',
        nameEn: 'The account the repayment is paid from',
        fetchedByPlatform: false,
      },
    ],
    handlingModes: ['online', 'proxy'],
    guideSteps: [
      {
        zh: '提交申请，选择全部或部分提前还款。',
        en: 'Apply and choose full or partial early repayment.',
      },
      {
        zh: '平台计算应还本金和当期利息。',
        en: 'The platform computes the principal and the interest due.',
      },
      {
        zh: '贷款地中心扣收还款资金并完成结算；部分提前还款的，重新生成还款计划。',
        en: 'The lending centre collects the money and settles the loan; after a partial repayment it draws up a new schedule.',
      },
      {
        zh: '全部还清的，可申请开具贷款全部还清证明。',
        en: 'After full repayment, a certificate of full repayment can be requested.',
      },
    ],
    committedWorkingDays: 1,
    available: true,
    routes: ['POST /v1/me/loans/{loanId}/prepayments'],
  },

  OFFSITE_LOAN: {
    nameZh: '异地贷款（缴存信息在线获取）',
    nameEn: 'Loan in another region city (deposit facts fetched online)',
    scope: 'regional',
    acceptanceStandard: {
      zh: '在淮海经济区任一城市正常缴存住房公积金、连续足额缴存时间符合贷款城市规定的职工，在区域内其他城市购买自住住房的，可向住房所在地中心申请住房公积金贷款，与当地缴存职工执行同等贷款政策。缴存信息由平台在线获取，无需出具缴存使用证明。',
      en: "A depositor who contributes regularly in one Huaihai city, with the continuous full deposits the lending city requires, and who buys a home to live in in another region city may apply to that city's centre for an HPF loan on the same terms as its own depositors. The deposit facts are fetched online: no certificate is needed.",
    },
    materials: [
      IDENTITY,
      {
        nameZh: '住房公积金缴存信息（由缴存地中心在线提供）',
        nameEn: 'Deposit facts (provided online by the deposit centre)',
        fetchedByPlatform: true,
      },
      {
        nameZh: '住房公积金贷款记录（区域贷款信息在线核验）',
        nameEn: 'HPF loans held or repaid (checked online in the regional loan index)',
        fetchedByPlatform: true,
      },
      {
        nameZh: '购房合同（含网签备案号）',
        nameEn: 'House purchase contract (with its online-signing registration number)',
        fetchedByPlatform: false,
      },
      {
        nameZh: '首付款支付凭证',
        nameEn: 'Proof of the down payment',
        fetchedByPlatform: false,
      },
      {
        nameZh: '借款人收入证明',
        nameEn: "Proof of the borrower's income",
        fetchedByPlatform: false,
      },
      {
        nameZh: '个人信用信息查询授权书',
        nameEn: 'Authorisation to consult the personal credit report',
        fetchedByPlatform: false,
      },
      MARRIAGE_CERTIFICATE,
    ],
    handlingModes: ['joint'],
    guideSteps: [
      {
        zh: '通过平台或住房所在地中心服务网点、受托银行网点提交贷款申请。',
        en: "Apply online, at a service point of the centre where the home is, or at one of that centre's agent bank branches.",
      },
      {
        zh: '平台向缴存地中心在线获取缴存信息，并核验区域住房公积金贷款记录。',
        en: 'The platform fetches the deposit facts from the deposit centre online and checks the regional loan index.',
      },
      {
        zh: '贷款地中心按当地贷款政策审核，作出准予贷款或者不准贷款的决定。',
        en: 'The lending centre reviews the application under its own lending rules and decides whether to grant the loan.',
      },
      {
        zh: '准予贷款的，签订借款合同，办理抵押登记后发放贷款。',
        en: 'If granted, the borrower signs the loan contract, the mortgage is registered and the loan is disbursed.',
      },
    ],
    committedWorkingDays: 10,
    statutoryTimeLimit: 'loan',
    available: true,
    routes: [
      'POST /v1/me/loan-applications',
      'GET /v1/me/loan-applications/{id}',
      'POST /v1/agent/loan-applications',
      'POST /v1/me/loan-applications/{id}/co-applicant-consent',
      // 贷款试算 before applying: no token, nothing stored
      'POST /v1/calculators/loan',
    ],
  },

  OFFSITE_REPAY_WITHDRAW: {
    nameZh: '提取偿还异地贷款',
    nameEn: 'Withdrawal to repay a loan in another region city',
    scope: 'regional',
    acceptanceStandard: {
      zh: '在淮海经济区一城市缴存住房公积金、在区域内其他城市有住房公积金贷款的借款人，每年可申请一次提取缴存地账户余额用于偿还该笔贷款，提取金额不超过申请前12个月内已偿还且未提取过的贷款本息。',
      en: 'A borrower who deposits in one Huaihai city and has an HPF loan in another region city may, once a year, withdraw from the local balance towards that loan: at most the instalments repaid in the 12 months before the application that no earlier withdrawal has covered.',
    },
    materials: [
      IDENTITY,
      {
        nameZh: '异地住房公积金贷款及还款记录（由贷款地中心在线提供）',
        nameEn: 'The loan and its repayments (provided online by the lending centre)',
        fetchedByPlatform: true,
      },
      OWN_BANK_ACCOUNT,
    ],
    handlingModes: ['online', 'joint'],
    guideSteps: [
      {
        zh: '提交申请，填写本人名下银行账户。',
        en: "Apply and give a bank account in the applicant's own name.",
      },
      {
        zh: '平台向贷款地中心在线获取申请前12个月的还款记录。',
        en: 'The platform fetches the repayments of the previous 12 months from the lending centre online.',
      },
      {
        zh: '缴存地中心核定可提取金额，作出准予提取或者不准提取的决定。',
        en: 'The deposit centre works out the amount that may be withdrawn and decides.',
      },
      {
        zh: '准予提取的，资金转入本人银行账户。',
        en: "If allowed, the money is paid into the applicant's bank account.",
      },
    ],
    committedWorkingDays: 2,
    statutoryTimeLimit: 'withdrawal',
    available: true,
    routes: WITHDRAWAL_ROUTES,
  },

  EMIGRATE_WITHDRAW: {
    nameZh: '出境定居提取',
    nameEn: 'Withdrawal on settling abroad',
    scope: 'regional',
    acceptanceStandard: {
      zh: '在淮海经济区任一城市缴存住房公积金的职工，出境定居的，可申请提取本人住房公积金账户全部余额并销户，十市执行统一受理标准。有未结清住房公积金贷款的，应当先结清贷款，或以账户余额偿还。',
      en: 'A depositor of a Huaihai centre who settles abroad may withdraw the whole balance and close the account, on one standard across the ten cities. An HPF loan still owing is settled first, or repaid from the balance.',
    },
    materials: [
      IDENTITY,
      {
        nameZh: '户籍注销证明或出境定居证明材料',
        nameEn: 'Proof of cancelled household registration or of settlement abroad',
        fetchedByPlatform: false,
      },
      LOAN_SETTLEMENT,
      OWN_BANK_ACCOUNT,
    ],
    handlingModes: ['online', 'proxy'],
    guideSteps: [
      {
        zh: '提交申请，上传出境定居证明材料，填写本人名下银行账户。',
        en: "Apply, upload the proof of settlement abroad and give a bank account in the applicant's own name.",
      },
      {
        zh: '平台核验住房公积金贷款结清情况。',
        en: 'The platform checks whether any HPF loan is outstanding.',
      },
      {
        zh: '缴存地中心审核并作出准予提取或者不准提取的决定。',
        en: 'The deposit centre reviews the application and decides.',
      },
      {
        zh: '准予提取的，资金转入本人银行账户，住房公积金账户销户。',
        en: "If allowed, the balance is paid into the applicant's bank account and the HPF account is closed.",
      },
    ],
    committedWorkingDays: 3,
    statutoryTimeLimit: 'withdrawal',
    available: true,
    routes: WITHDRAWAL_ROUTES,
  },

  ACCOUNT_TRANSFER: {
    nameZh: '转移接续',
    nameEn: 'Moving an account between region cities',
    scope: 'regional',
    acceptanceStandard: {
      zh: '在淮海经济区内跨城市就业，已在新就业城市设立个人住房公积金账户的职工，可申请将原账户余额和缴存时间转入新账户，原账户销户。原账户须已由原单位封存（不再缴存），且无未结清的公积金贷款；不符合的，转出地中心说明理由退回。',
      en: 'A depositor who changes jobs between Huaihai cities and already has a personal account in the new city may move the old balance and deposit history to it; the old account is closed. The old account must be sealed by its employer (no longer deposited to) and the person must hold no HPF loan not repaid; otherwise the old centre refuses with the reason.',
    },
    materials: [
      IDENTITY,
      {
        nameZh: '原住房公积金账户信息（由转出地中心在线提供）',
        nameEn: 'The old account (provided online by the centre it leaves)',
        fetchedByPlatform: true,
      },
      {
        nameZh: '新住房公积金账户信息（由转入地中心在线核验）',
        nameEn: 'The new account (checked online by the receiving centre)',
        fetchedByPlatform: true,
      },
    ],
    handlingModes: ['online', 'joint'],
    guideSteps: [
      {
        zh: '向转入地中心提交转移接续申请。',
        en: 'Apply to the centre of the new city.',
      },
      {
        zh: '平台向转出地中心在线核验原账户信息。',
        en: 'The platform checks the old account with its centre online.',
      },
      {
        zh: '转出地中心结计利息至划转日，划转账户余额和缴存明细，原账户销户；不能入账的，资金原路退回原账户。',
        en: 'The old centre settles interest to date, transfers the balance and deposit history and closes the old account; money that cannot be credited goes back to the old account.',
      },
      {
        zh: '转入地中心入账，连续缴存时间合并计算。',
        en: 'The new centre credits the account; continuous deposit periods are counted together.',
      },
    ],
    committedWorkingDays: 3,
    available: true,
    routes: [
      'POST /v1/me/transfers',
      'GET /v1/me/transfers/{id}',
      'POST /v1/me/transfers/{id}/cancellation',
      'POST /v1/agent/transfers',
    ],
  },

  CERT_VERIFY: {
    nameZh: '证明验真',
    nameEn: 'Certificate authenticity check',
    scope: 'regional',
    acceptanceStandard: {
      zh: '任何单位和个人均可凭住房公积金证明上的验证码，在线查验证明真伪，无需登录。查验结果中的个人信息作脱敏显示。',
      en: 'Anyone may check online, without signing in, that an HPF certificate is genuine using the verification code printed on it. Personal details in the result are masked.',
    },
    materials: [
      {
        nameZh: '证明上的验证码',
        nameEn: 'The verification code printed on the certificate',
        fetchedByPlatform: false,
      },
    ],
    handlingModes: ['online'],
    guideSteps: [
      {
        zh: '用手机扫描打印版证明上的二维码，或输入证明上的验证码。',
        en: 'Scan the QR code on the printed certificate with a phone, or enter the verification code printed on it.',
      },
      {
        zh: '平台即时返回证明类型、出具中心、出具日期及脱敏后的证明内容。',
        en: 'The platform at once shows the kind of certificate, the issuing centre, the date and the masked content.',
      },
      {
        zh: '核对查验结果与所持证明是否一致。',
        en: 'Compare the result with the certificate in hand.',
      },
    ],
    committedWorkingDays: 0,
    available: true,
    routes: ['GET /v1/certificates/{verificationCode}'],
  },
  // The grounds of the revised Regulations in force from 2026-09-20 (DESIGN.md §2a). Like every
  // withdrawal since then, none asks for an employer certificate.
  RENT_WITHDRAW: {
    nameZh: '租房提取',
    nameEn: 'Withdrawal to pay rent',
    scope: 'regional',
    acceptanceStandard: {
      zh: '在淮海经济区任一城市缴存住房公积金的职工，本人及配偶在缴存地城市无自有住房、租房自住的，可申请提取住房公积金支付房租，无需房租超出家庭工资收入规定比例。无房情况由平台查询缴存地城市房屋网签备案登记；提取额度按缴存地中心规定的每月或每年限额，同一期间内多次提取合计不超过限额，且不超过账户余额。',
      en: 'A depositor of a Huaihai centre who rents a home to live in, and who with his or her spouse owns no home in the deposit city, may withdraw to pay rent; the rent no longer has to exceed a share of household income. The platform checks the deposit city’s property register for a home; all rent withdrawals of one period together stay within the deposit centre’s monthly or yearly cap, and each within the balance.',
    },
    materials: [
      IDENTITY,
      {
        nameZh: '本人及配偶在缴存地城市的住房情况（房屋网签备案登记在线查询）',
        nameEn:
          'Whether the applicant or spouse owns a home in the deposit city (checked online in its property register)',
        fetchedByPlatform: true,
      },
      {
        nameZh: '配偶身份证号码',
        nameEn: "The spouse's ID number",
        fetchedByPlatform: false,
        condition: { zh: '已婚的', en: 'when married' },
      },
      OWN_BANK_ACCOUNT,
    ],
    handlingModes: ['online', 'proxy'],
    guideSteps: [
      {
        zh: '提交申请，填写提取金额、配偶身份证号码（已婚的）和本人名下银行账户。',
        en: "Apply with the amount, the spouse's ID number (when married) and a bank account in the applicant's own name.",
      },
      {
        zh: '平台查询缴存地城市房屋网签备案登记，核对本人及配偶无自有住房，并核对本期已提取金额。',
        en: 'The platform checks the deposit city’s property register for a home of the applicant or spouse, and what was already withdrawn this period.',
      },
      {
        zh: '缴存地中心在限额内核定提取金额，作出准予提取或者不准提取的决定。',
        en: 'The deposit centre works out the amount within the cap and decides.',
      },
      {
        zh: '准予提取的，资金转入本人银行账户。',
        en: "If allowed, the money is paid into the applicant's bank account.",
      },
    ],
    committedWorkingDays: 1,
    statutoryTimeLimit: 'withdrawal',
    available: true,
    routes: WITHDRAWAL_ROUTES,
  },

  RENOVATION_WITHDRAW: {
    nameZh: '装修提取',
    nameEn: 'Withdrawal to renovate an own home',
    scope: 'regional',
    acceptanceStandard: {
      zh: '在淮海经济区任一城市缴存住房公积金的职工，装修本人自住住房（网签备案记录上的购房人）的，可凭装修发票申请提取。提取额度不超过发票金额的规定比例和缴存地中心规定的最高额度，且不超过账户余额；同一套住房在缴存地中心规定的年限内限提取一次（全部购房人合计）。',
      en: 'A depositor of a Huaihai centre who renovates a home of his or her own (a buyer on its online-signing record) may withdraw against the renovation invoice: at most the deposit centre’s share of the invoice amount and its cap, and at most the balance; once per home (all its buyers together) within the centre’s period of years.',
    },
    materials: [
      IDENTITY,
      OWN_HOME_RECORD,
      {
        nameZh: '装修发票（发票号码、金额、开票日期）',
        nameEn: 'The renovation invoice (number, amount, issue date)',
        fetchedByPlatform: false,
      },
      OWN_BANK_ACCOUNT,
    ],
    handlingModes: ['online', 'joint'],
    guideSteps: [
      {
        zh: '提交申请，填写网签备案号、住房所在城市、装修发票信息并上传发票，填写本人名下银行账户。',
        en: "Apply with the online-signing number, the city where the home is and the invoice details (with the uploaded invoice), and a bank account in the applicant's own name.",
      },
      {
        zh: '平台向住房所在城市调取网签备案信息，核对申请人为购房人、备案未撤销，并核对该住房在规定年限内未办理过装修提取。',
        en: 'The platform fetches the online-signing record from the city where the home is, checks that the applicant is a buyer and the record is not cancelled, and that no renovation withdrawal was paid for the home within the period.',
      },
      {
        zh: '缴存地中心核定提取金额，作出准予提取或者不准提取的决定。',
        en: 'The deposit centre works out the amount and decides.',
      },
      {
        zh: '准予提取的，资金转入本人银行账户。',
        en: "If allowed, the money is paid into the applicant's bank account.",
      },
    ],
    committedWorkingDays: 3,
    statutoryTimeLimit: 'withdrawal',
    available: true,
    routes: WITHDRAWAL_ROUTES,
  },

  PROPERTY_FEE_WITHDRAW: {
    nameZh: '物业费提取',
    nameEn: "Withdrawal to pay an own home's property fees",
    scope: 'regional',
    acceptanceStandard: {
      zh: '在淮海经济区任一城市缴存住房公积金的职工，为本人自住住房（网签备案记录上的购房人）缴纳物业费的，可凭物业费缴费通知申请提取，提取金额不超过通知金额和账户余额；同一套住房每个物业费年度限提取一次（全部购房人合计）。',
      en: "A depositor of a Huaihai centre who pays the property fees of a home of his or her own (a buyer on its online-signing record) may withdraw against the fee notice: at most the notice's amount and the balance; once per home (all its buyers together) per fee year.",
    },
    materials: [
      IDENTITY,
      OWN_HOME_RECORD,
      {
        nameZh: '物业费缴费通知单（通知编号、年度、金额）',
        nameEn: 'The property-fee notice (number, year, amount)',
        fetchedByPlatform: false,
      },
      OWN_BANK_ACCOUNT,
    ],
    handlingModes: ['online', 'joint'],
    guideSteps: [
      {
        zh: '提交申请，填写网签备案号、住房所在城市、物业费缴费通知信息并上传通知单，填写本人名下银行账户。',
        en: "Apply with the online-signing number, the city where the home is and the fee notice (with the uploaded notice), and a bank account in the applicant's own name.",
      },
      {
        zh: '平台向住房所在城市调取网签备案信息，核对申请人为购房人、备案未撤销，并核对该住房该年度未办理过物业费提取。',
        en: 'The platform fetches the online-signing record, checks that the applicant is a buyer and the record is not cancelled, and that no property-fee withdrawal was paid for the home for that year.',
      },
      {
        zh: '缴存地中心核定提取金额，作出准予提取或者不准提取的决定。',
        en: 'The deposit centre works out the amount and decides.',
      },
      {
        zh: '准予提取的，资金转入本人银行账户。',
        en: "If allowed, the money is paid into the applicant's bank account.",
      },
    ],
    committedWorkingDays: 3,
    statutoryTimeLimit: 'withdrawal',
    available: true,
    routes: WITHDRAWAL_ROUTES,
  },
};

/**
 * The items in DESIGN.md §3 order, then the three withdrawal grounds of the 2026 revision (§2a): the
 * order of SERVICE_ITEM_CODES.
 */
export const CATALOGUE: readonly CatalogueItem[] = SERVICE_ITEM_CODES.map((code) => ({
  code,
  ...ITEMS[code],
}));

export function catalogueItem(code: ServiceItemCode): CatalogueItem {
  const item = CATALOGUE.find((candidate) => candidate.code === code);
  if (item === undefined) throw new RangeError(`no service item '${code}' in the regional catalogue`);
  return item;
}
