/** Imported first by bench/run.ts: the loggers are created silent (a logged line per call would be measured too). */
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
