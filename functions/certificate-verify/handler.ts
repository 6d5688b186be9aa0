/**
 * CERT_VERIFY 证明验真:
 *  GET /v1/certificates/{verificationCode}   public: anyone holding a certificate checks it
 * 200 with valid / expired / revoked, the issuing centre, the masked holder and the facts as
 * certified. An unknown code and a malformed one get the same plain 404, and each failed look-up
 * is counted (CertificateVerificationFailed): the ops stack alarms on a burst of them, since a
 * public route without a WAF is where someone would guess codes. The route has its own throttle
 * (service declaration), and each source address a budget of failed look-ups per hour
 * (shared/certificates/lookup-budget.ts). With `Accept: text/html` (a browser, a phone scanning the printed QR code)
 * the same answer is the printable page in Chinese (shared/certificates/page.ts), a 404 included.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { assertLookupAllowed, countFailedLookup } from '../../shared/certificates/lookup-budget.js';
import {
  certificatePage,
  notFoundPage,
  verificationAddress,
  wantsHtml,
} from '../../shared/certificates/page.js';
import { certificateView, getCertificate } from '../../shared/certificates/records.js';
import { DomainError } from '../../shared/errors/domain-error.js';
import { httpHandler } from '../../shared/http/handler.js';
import { logger } from '../../shared/observability/logger.js';
import { BUSINESS_METRICS, businessMetrics } from '../../shared/observability/metrics.js';
import { VerificationPath } from './contract.js';

const metrics = businessMetrics();

function publishFailureMetric(): void {
  try {
    metrics.addMetric(BUSINESS_METRICS.certificateVerificationFailed.name, MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
  } catch (error) {
    // The answer is still a 404; a lost count must not turn it into a 500.
    logger.warn('certificate verification failure not counted', { error: error as Error });
  }
}

export const handler = httpHandler({
  path: VerificationPath,
  handle: async ({ path, headers, sourceIp }) => {
    const html = wantsHtml(headers.accept);
    await assertLookupAllowed(sourceIp);
    const record = await getCertificate(path.verificationCode);
    if (!record) {
      publishFailureMetric();
      await countFailedLookup(sourceIp);
      if (!html) throw new DomainError('NOT_FOUND');
      const page = notFoundPage();
      return { status: 404, headers: page.headers, body: page.html };
    }
    const view = certificateView(record, new Date());
    if (!html) return { status: 200, headers: { 'cache-control': 'no-store', vary: 'Accept' }, body: view };
    const page = certificatePage(view, verificationAddress(record.verificationCode));
    return { status: 200, headers: { ...page.headers, 'cache-control': 'no-store' }, body: page.html };
  },
});
