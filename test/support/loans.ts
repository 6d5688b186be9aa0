/** Waiting for the lending centre's decision on a loan application, in the local region. */
import type { CityCode } from '../../shared/config/cities.js';
import { getApplication } from '../../shared/loans/decide.js';
import type { LoanApplicationRecord } from '../../shared/loans/store.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { eventually } from './region.js';

/** The application once it no longer waits for facts (decided, or referred to staff). */
export async function decided(city: CityCode, applicationId: string): Promise<LoanApplicationRecord> {
  return eventually(
    async () => {
      const application = await getApplication(centreRepository(city), applicationId);
      return application && application.status !== 'awaiting_facts' ? application : undefined;
    },
    20_000,
    `a decision on ${applicationId}`,
  );
}
