/**
 * One Powertools logger per process: structured JSON with the request id and the correlation id
 * that travels across centres. Clear ID numbers are never logged: log person keys or masked values.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'huaihai-hpf-hub' });
