import { appendFileSync } from 'node:fs';
import { afterAll, expect } from '@jest/globals';

// Each integration test file notes that it ran: the teardown judges unused capabilities only
// when every file did (test/support/capability-check.ts).
afterAll(() => {
  const file = process.env.HPF_TEST_FILES_LOG;
  const testPath = expect.getState().testPath;
  if (file && testPath) appendFileSync(file, `${testPath}\n`);
});
