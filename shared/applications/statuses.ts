/** An application's statuses (pure: the contract's query schemas list them). */
export const APPLICATION_STATUSES = [
  'awaiting_facts',
  'review',
  // a staff decision waiting for a second staff member (复核)
  'pending_confirmation',
  'approved',
  'rejected',
  'disbursed',
  'paid',
  'withdrawn',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
