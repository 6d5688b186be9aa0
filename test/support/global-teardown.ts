/** Jest globalTeardown of the `integration` project: stops what global-setup.ts started. */
import type { TestEmulators } from './global-setup.js';

export default async function globalTeardown(): Promise<void> {
  const emulators: TestEmulators | undefined = globalThis.__HPF_TEST_EMULATORS__;
  globalThis.__HPF_TEST_EMULATORS__ = undefined;
  if (!emulators) return;
  await Promise.allSettled([emulators.sqs?.stop(), emulators.dynamo?.stop()]);
}
