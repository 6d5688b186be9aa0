/**
 * Jest globalSetup of the `browser` project: the integration project's emulators and table
 * (test/support/global-setup.ts), then the demo seed once for every browser test file; what the
 * files need of it goes to them in HPF_TEST_DEMO_SEED.
 */
import { tsImport } from 'tsx/esm/api';

type SetupModule = { default: () => Promise<void> };
type SeedModule = typeof import('../../infra/local/seed.js');

export default async function globalSetup(): Promise<void> {
  const setup = (await tsImport('../support/global-setup.ts', import.meta.url)) as SetupModule;
  await setup.default();
  const { seedDemoData } = (await tsImport('../../infra/local/seed.ts', import.meta.url)) as SeedModule;
  const seed = await seedDemoData({ tableName: process.env.TABLE_NAME as string, now: new Date() });
  process.env.HPF_TEST_DEMO_SEED = JSON.stringify({ backPay: seed.deposits.backPay });
}
