/** A test-only scheduled job: records each run in `globalThis.recordedJobRuns`. */
const store = globalThis as { recordedJobRuns?: string[] };
store.recordedJobRuns ??= [];
const runs = store.recordedJobRuns;

export const handler = async (event: { time: string }) => {
  runs.push(event.time);
  return { ran: runs.length };
};
