// Structured logs are for operators; in tests they only bury the failures. LOG_LEVEL=DEBUG brings them back.
process.env.POWERTOOLS_LOG_LEVEL ??= process.env.LOG_LEVEL ?? 'SILENT';
