/**
 * Correlation ids travel from a caller's request through every inter-centre message. One
 * pattern for all: printable, no spaces, and wide enough for API Gateway request ids
 * (base64, e.g. `JKJaXmPLvHcESHA=`), UUIDs and callers' own ids.
 */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:=+/-]{1,128}$/;
