/** The platform's public routes: health, centres, catalogue, working-day calendar, this document. */
import * as z from 'zod/mini';
import { type HandlerContract, jsonObject } from '../../shared/contract/route-contract.js';

export const ServiceCodePath = z.object({ code: z.string().check(z.maxLength(64)) });
export const CalendarYearPath = z.object({
  year: z.string().check(z.regex(/^\d{4}$/, 'a four-digit year')),
});

const HealthAnswer = z.looseObject({
  status: z.enum(['ok', 'degraded']),
  checks: z.looseObject({ table: z.enum(['ok', 'unreachable']), inboxes: z.unknown() }),
});

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
      schema: z.looseObject({ asOf: z.iso.date(), cities: z.array(jsonObject) }),
    },
  },
  'GET /v1/services': {
    summary: 'The regional catalogue of service items (服务事项目录)',
    body: null,
    response: {
      status: 200,
      description: 'All items',
      schema: z.looseObject({ services: z.array(jsonObject) }),
    },
  },
  'GET /v1/services/{code}': {
    summary: 'One catalogue item',
    body: null,
    path: ServiceCodePath,
    response: { status: 200, description: 'The item', schema: jsonObject },
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
        workingDayCount: z.int(),
        workingDays: z.array(z.iso.date()),
      }),
    },
    problems: ['CALENDAR_YEAR_OUT_OF_RANGE'],
  },
  'GET /v1/openapi.json': {
    summary: 'This document (OpenAPI 3.1), written at build time',
    body: null,
    response: { status: 200, description: 'The OpenAPI document', schema: jsonObject },
    problems: ['SERVICE_UNAVAILABLE'],
  },
} satisfies HandlerContract;
