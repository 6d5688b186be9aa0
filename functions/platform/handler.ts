/**
 * Public platform routes: GET /health, GET /v1/cities, GET /v1/services, GET /v1/services/{code},
 * GET /v1/calendar/{year} (the working days in force, official or provisional), GET /v1/openapi.json
 * (the document the build wrote beside this module: read on first request, never generated here).
 * Health checks that the table and every centre inbox answer, at most once per HEALTH_CACHE_MS; it
 * names no resource and shows no figures, only which part is unreachable.
 */
import { readFile } from 'node:fs/promises';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import {
  FIRST_CALENDAR_YEAR,
  LAST_CALENDAR_YEAR,
  toBeijingDate,
  workingCalendar,
} from '../../shared/calendar/working-days.js';
import { CATALOGUE, catalogueItem } from '../../shared/catalogue/catalogue.js';
import { CITIES, CITY_CODES } from '../../shared/config/cities.js';
import { inboxQueueUrl, tableName } from '../../shared/config/runtime.js';
import { DomainError } from '../../shared/errors/domain-error.js';
import { httpHandler } from '../../shared/http/handler.js';
import { shortCache } from '../../shared/http/short-cache.js';
import { sqsClient } from '../../shared/messaging/inbox.js';
import { logger } from '../../shared/observability/logger.js';
import { dynamoDocumentClient } from '../../shared/persistence/client.js';
import { regionalKey } from '../../shared/persistence/table.js';
import { parametersInForce, publicParameters } from '../../shared/rules/centre-parameters.js';
import { SERVICE_ITEM_CODES, type ServiceItemCode } from '../../shared/services/declaration.js';
import { CalendarYearPath, ServiceCodePath } from './contract.js';

/** Public, slowly changing lists may be cached briefly by browsers and proxies. */
const PUBLIC_CACHE = { 'cache-control': 'public, max-age=300' };

async function reachable(check: string, probe: () => Promise<unknown>): Promise<boolean> {
  try {
    await probe();
    return true;
  } catch (error) {
    logger.warn('health check failed', { check, error: error as Error });
    return false;
  }
}

/**
 * How long one probe of the table and the ten inboxes answers /health: a public route, so a flood
 * of checks costs one DynamoDB and ten SQS calls per instance and period, not per request.
 */
export const HEALTH_CACHE_MS = 10_000;
const healthCache = shortCache<Awaited<ReturnType<typeof probeHealth>>>(HEALTH_CACHE_MS);

/** The resources probed, so that an answer is never reused for another configuration. */
function healthTargets(): string {
  return JSON.stringify([tableName(), ...CITY_CODES.map((city) => inboxQueueUrl(city))]);
}

function health() {
  return healthCache.get(healthTargets(), probeHealth);
}

async function probeHealth() {
  const [table, ...inboxes] = await Promise.all([
    reachable('table', () =>
      dynamoDocumentClient().send(
        new GetCommand({ TableName: tableName(), Key: { PK: regionalKey('HEALTH'), SK: 'HEALTH' } }),
      ),
    ),
    ...CITY_CODES.map((city) =>
      reachable(`inbox ${city}`, () =>
        sqsClient().send(
          new GetQueueAttributesCommand({ QueueUrl: inboxQueueUrl(city), AttributeNames: ['QueueArn'] }),
        ),
      ),
    ),
  ]);
  const unreachableInboxes = CITY_CODES.filter((_, i) => !inboxes[i]);
  const ok = table && unreachableInboxes.length === 0;
  return {
    status: ok ? 200 : 503,
    body: {
      status: ok ? 'ok' : 'degraded',
      checks: {
        table: table ? 'ok' : 'unreachable',
        inboxes: ok || unreachableInboxes.length === 0 ? 'ok' : { unreachable: unreachableInboxes },
      },
    },
  };
}

function cities(now: Date) {
  const today = toBeijingDate(now);
  return {
    status: 200,
    headers: PUBLIC_CACHE,
    body: {
      asOf: today,
      cities: CITY_CODES.map((code) => ({
        ...CITIES[code],
        parameters: publicParameters(parametersInForce(code, today)),
      })),
    },
  };
}

const PROVISIONAL_NOTE = {
  'zh-CN':
    '暂定：国务院办公厅尚未发布该年部分节假日安排，按《全国年节及纪念日放假办法》的法定节假日计算，节日适逢周末的顺延补假；通知发布后以通知为准，据此计算的承诺办结时限将重新计算。',
  en: "Provisional: the State Council has not yet published this year's holiday notice. The statutory holidays are counted, a holiday on a weekend made up on the next weekday; once the notice is published it applies and deadlines counted on this year are recomputed.",
};

function calendarYear(year: number) {
  if (!(year >= FIRST_CALENDAR_YEAR && year <= LAST_CALENDAR_YEAR)) {
    throw new DomainError('CALENDAR_YEAR_OUT_OF_RANGE', {
      message: {
        'zh-CN': `工作日历仅涵盖 ${FIRST_CALENDAR_YEAR}–${LAST_CALENDAR_YEAR} 年。`,
        en: `The working-day calendar covers ${FIRST_CALENDAR_YEAR}–${LAST_CALENDAR_YEAR}.`,
      },
      year,
    });
  }
  const { calendar, source, holidays } = workingCalendar.year(year);
  const workingDays = workingCalendar.workingDaysOf(year);
  return {
    status: 200,
    headers: PUBLIC_CACHE,
    body: {
      year,
      calendar,
      ...(calendar === 'provisional' ? { note: PROVISIONAL_NOTE } : {}),
      source,
      holidays,
      workingDayCount: workingDays.length,
      workingDays,
    },
  };
}

const PlatformPath = z.partial(z.extend(ServiceCodePath, CalendarYearPath.shape));

/** Beside the bundle in Lambda (copied by the build), beside this file locally (`npm run openapi`). */
const OPENAPI_FILE = new URL('./openapi.json', import.meta.url);
let openApiJson: Promise<string> | undefined;

async function openApiDocument() {
  openApiJson ??= readFile(OPENAPI_FILE, 'utf8');
  try {
    return {
      status: 200,
      headers: { ...PUBLIC_CACHE, 'content-type': 'application/json; charset=utf-8' },
      body: await openApiJson,
    };
  } catch (error) {
    openApiJson = undefined;
    logger.error('the OpenAPI document was not built', { error: error as Error });
    throw new DomainError('SERVICE_UNAVAILABLE');
  }
}

function isServiceItemCode(code: string | undefined): code is ServiceItemCode {
  return (SERVICE_ITEM_CODES as readonly (string | undefined)[]).includes(code);
}

export const handler = httpHandler({
  path: PlatformPath,
  handle: async ({ route, path }) => {
    switch (route.path) {
      case '/health':
        return health();
      case '/v1/cities':
        return cities(new Date());
      case '/v1/services':
        return { status: 200, headers: PUBLIC_CACHE, body: { services: CATALOGUE } };
      case '/v1/calendar/{year}':
        return calendarYear(Number(path.year));
      case '/v1/openapi.json':
        return openApiDocument();
      default:
        // '/v1/services/{code}'
        if (!isServiceItemCode(path.code)) throw new DomainError('NOT_FOUND');
        return { status: 200, headers: PUBLIC_CACHE, body: catalogueItem(path.code) };
    }
  },
});
