/**
 * Business metrics (Powertools, CloudWatch embedded metric format) and the names the ops stack
 * alarms on. Every metric carries Powertools' `service` dimension (POWERTOOLS_SERVICE_NAME, set
 * by CDK to `hpf-<function id>`); alarms name it too. Dimensions never hold an application id.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';

export const METRICS_NAMESPACE = 'HuaihaiHpfHub';

export const BUSINESS_METRICS = {
  /** A certificate look-up with a code that does not exist (guessing, or a forged certificate). */
  certificateVerificationFailed: { name: 'CertificateVerificationFailed', service: 'hpf-certificate-verify' },
  /** Open applications past their committed deadline (total; also by city and item code). */
  overdueApplications: { name: 'OverdueApplications', service: 'hpf-committed-time-sweep' },
} as const;

export function businessMetrics(): Metrics {
  return new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE });
}
