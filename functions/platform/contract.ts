/** The platform's public routes: health, centres, catalogue, working-day calendar, this document. */
import * as z from 'zod/mini';
import {
  basisPoints,
  cityCode,
  fen,
  isoDate,
  itemCode,
  localisedMessage,
} from '../../shared/contract/answers.js';
import type { HandlerContract } from '../../shared/contract/route-contract.js';

export const ServiceCodePath = z.object({ code: z.string().check(z.maxLength(64)) });
export const CalendarYearPath = z.object({
  year: z.string().check(z.regex(/^\d{4}$/, 'a four-digit year')),
});

const HealthAnswer = z.looseObject({
  status: z.enum(['ok', 'degraded']),
  checks: z.looseObject({ table: z.enum(['ok', 'unreachable']), inboxes: z.unknown() }),
});

/** A centre with the parameters in force today (publicParameters): limits, rates, ratios and the version. */
const CityAnswer = z.looseObject({
  code: cityCode,
  nameZh: z.string(),
  nameEn: z.string(),
  provinceZh: z.string(),
  provinceEn: z.string(),
  parameters: z.looseObject({
    ruleVersion: z.string(),
    effectiveFrom: isoDate,
    /** True when the figures are not from a published source (DEMO). */
    demo: z.boolean(),
    source: z.optional(z.string()),
    /** 缴存基数下限 / 上限. */
    depositBaseFloorFen: fen,
    depositBaseCeilingFen: fen,
    depositRateMinBasisPoints: basisPoints,
    depositRateMaxBasisPoints: basisPoints,
    /** 最高贷款额度: one applicant depositing / a married couple both depositing. */
    loanCapSingleFen: fen,
    loanCapCoupleFen: fen,
    balanceMultiple: z.number(),
    minContinuousDepositMonths: z.int(),
    downPaymentRatioFirstHomeBasisPoints: basisPoints,
    downPaymentRatioSecondHomeBasisPoints: basisPoints,
    repaymentIncomeRatioBasisPoints: basisPoints,
    maxLoanTermMonths: z.int(),
    maxAgeAtMaturity: z.int(),
    thirdHpfLoan: z.enum(['refused', 'allowed']),
    backPayCountsAsContinuous: z.boolean(),
    purchaseWithdrawalPeriodDays: z.int(),
    /** Rent, renovation and property-fee withdrawals (租房/装修/物业费提取): from 2026-09-20. */
    consumptionWithdrawals: z.optional(
      z.looseObject({
        rentCapPeriod: z.enum(['month', 'year']),
        rentCapFen: fen,
        renovationInvoiceShareBasisPoints: basisPoints,
        renovationCapFen: fen,
        renovationPeriodYears: z.int(),
        propertyFeeYearCapFen: fen,
      }),
    ),
  }),
});
const bilingual = z.looseObject({ zh: z.string(), en: z.string() });
/** A service item of the regional catalogue (服务事项目录): 受理条件, 申请材料, 办理方式, 办事指南, 承诺时限. */
const ServiceItem = z
  .looseObject({
    code: itemCode,
    nameZh: z.string(),
    nameEn: z.string(),
    /** 跨省通办 | 淮海经济区通办. */
    scope: z.enum(['crossProvince', 'regional']),
    acceptanceStandard: bilingual,
    materials: z.array(
      z.looseObject({
        nameZh: z.string(),
        nameEn: z.string(),
        /** True: the platform obtains it online (免提交). */
        fetchedByPlatform: z.boolean(),
        condition: z.optional(bilingual),
      }),
    ),
    /** 全程网办 | 两地联办 | 代收代办. */
    handlingModes: z.array(z.enum(['online', 'joint', 'proxy'])),
    guideSteps: z.array(bilingual),
    /** 承诺办结时限 in working days; 0 is 即时办结. */
    committedWorkingDays: z.int().check(z.minimum(0)),
    statutoryTimeLimit: z.optional(z.enum(['withdrawal', 'loan'])),
    available: z.boolean(),
    note: z.optional(bilingual),
    routes: z.array(z.string()),
  })
  .register(z.globalRegistry, { id: 'ServiceItem' });

export const CONTRACT = {
  'GET /health': {
    summary: 'Whether the table and every centre inbox answer',
    body: null,
    response: {
      status: 200,
      description: 'ok: the table and every inbox answer',
      schema: HealthAnswer,
    },
    otherResponses: [
      {
        status: 503,
        description: 'degraded: the unreachable part named (no resource names, no figures)',
        schema: HealthAnswer,
      },
    ],
  },
  'GET /v1/cities': {
    summary: 'The ten centres with their parameters and rule versions in force today',
    body: null,
    response: {
      status: 200,
      description: 'asOf (Beijing date) and one entry per city with `parameters` (publicParameters)',
      schema: z.looseObject({ asOf: isoDate, cities: z.array(CityAnswer) }),
    },
  },
  'GET /v1/services': {
    summary: 'The regional catalogue of service items (服务事项目录)',
    body: null,
    response: {
      status: 200,
      description: 'All items',
      schema: z.looseObject({ services: z.array(ServiceItem) }),
    },
  },
  'GET /v1/services/{code}': {
    summary: 'One catalogue item',
    body: null,
    path: ServiceCodePath,
    response: { status: 200, description: 'The item', schema: ServiceItem },
    problems: ['NOT_FOUND'],
  },
  'GET /v1/calendar/{year}': {
    summary: 'The working days of a year (工作日历), official or provisional',
    body: null,
    path: CalendarYearPath,
    response: {
      status: 200,
      description: 'The holidays, worked weekends and working days; `calendar`: official | provisional',
      schema: z.looseObject({
        year: z.int(),
        calendar: z.enum(['official', 'provisional']),
        /** A provisional year (not yet published by the State Council): what it assumes. */
        note: z.optional(localisedMessage),
        /** The State Council's notice of the year, or for a provisional year the law it follows. */
        source: z.union([
          z.looseObject({ title: z.string(), publishedOn: isoDate }),
          z.looseObject({ law: z.string(), effectiveFrom: isoDate }),
        ]),
        holidays: z.array(
          z.looseObject({
            holiday: z.string(),
            name: localisedMessage,
            daysOff: z.array(isoDate),
            /** 调休: weekend days worked instead. */
            adjustedWorkingDays: z.array(isoDate),
          }),
        ),
        workingDayCount: z.int(),
        workingDays: z.array(isoDate),
      }),
    },
    problems: ['CALENDAR_YEAR_OUT_OF_RANGE'],
  },
  'GET /v1/openapi.json': {
    summary: 'This document (OpenAPI 3.1), written at build time',
    body: null,
    response: {
      status: 200,
      description: 'The OpenAPI document',
      schema: z.looseObject({
        openapi: z.string().check(z.regex(/^3\.1\./)),
        info: z.looseObject({ title: z.string(), version: z.string() }),
        paths: z.record(z.string(), z.looseObject({}).check(z.describe('A Path Item Object (OpenAPI 3.1)'))),
        components: z.looseObject({}).check(z.describe('Schemas and security schemes')),
        /** Every error code with its status and messages. */
        'x-error-codes': z.record(
          z.string(),
          z.looseObject({ status: z.int(), title: z.string(), message: localisedMessage }),
        ),
      }),
    },
    problems: ['SERVICE_UNAVAILABLE'],
  },
} satisfies HandlerContract;
