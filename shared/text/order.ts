/**
 * Codes and ISO dates in order of their UTF-16 code units: for digits and ASCII the order
 * `localeCompare` gives, without loading the ICU collator, whose first use costs a cold start
 * about 10 ms of CPU (issue 17). Not for names in Chinese: those want a collator.
 */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
