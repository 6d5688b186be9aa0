/**
 * Just enough astronomy for the Chinese calendar (农历) of GB/T 33661-2017: the instants of new
 * moons and of the sun's apparent longitude, by Jean Meeus, *Astronomical Algorithms* (2nd ed.):
 * new moons by chapter 49 (mean phase and periodic terms), the sun by chapter 25's low-accuracy
 * theory (about 0.01°, a quarter of an hour). Instants are Julian Days. The uncertainty of ΔT
 * (TT − UT) dominates far ahead: new moons within a minute of Beijing midnight (2057-09, 2097-08,
 * neither a festival's month) are undecidable by any method today; the notice settles them.
 * Pure: no clock, no time zone of the process, no package.
 */
import { BEIJING_OFFSET_MS, DAY_MS } from './dates.js';

const RAD = Math.PI / 180;
const sin = (degrees: number) => Math.sin(degrees * RAD);
const UNIX_EPOCH_JD = 2_440_587.5;

/**
 * ΔT = TT − UT in seconds (Espenak & Meeus's polynomials, NASA 2006). Off by seconds at most for
 * the years the calendar serves, far below the day boundaries it decides.
 */
export function deltaTSeconds(year: number): number {
  const t = year - 2000;
  if (year < 2005) {
    return 63.86 + 0.3345 * t - 0.060374 * t ** 2 + 0.0017275 * t ** 3 + 0.000651814 * t ** 4;
  }
  if (year < 2050) return 62.92 + 0.32217 * t + 0.005589 * t ** 2;
  const u = (year - 1820) / 100;
  return year < 2150 ? -20 + 32 * u ** 2 - 0.5628 * (2150 - year) : -20 + 32 * u ** 2;
}

/** Julian Ephemeris Day (TT) → the Beijing (UTC+8) civil date it falls on, 'YYYY-MM-DD'. */
export function beijingDateOf(jde: number): string {
  const year = 2000 + (jde - 2_451_545) / 365.25;
  const jdUt = jde - deltaTSeconds(year) / 86_400;
  return new Date((jdUt - UNIX_EPOCH_JD) * DAY_MS + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** The Julian Ephemeris Day of 00:00 TT on a Gregorian date (close enough to start a search). */
export function jdeOfDate(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS + UNIX_EPOCH_JD;
}

const normalise = (degrees: number) => ((degrees % 360) + 360) % 360;

/** The sun's apparent geocentric longitude in degrees (Meeus ch. 25, low accuracy). */
export function sunApparentLongitude(jde: number): number {
  const T = (jde - 2_451_545) / 36_525;
  const L0 = 280.46646 + 36_000.76983 * T + 0.0003032 * T ** 2;
  const M = 357.52911 + 35_999.05029 * T - 0.0001537 * T ** 2;
  const C =
    (1.914602 - 0.004817 * T - 0.000014 * T ** 2) * sin(M) +
    (0.019993 - 0.000101 * T) * sin(2 * M) +
    0.000289 * sin(3 * M);
  const omega = 125.04 - 1934.136 * T;
  return normalise(L0 + C - 0.00569 - 0.00478 * sin(omega));
}

/**
 * The instant the sun's apparent longitude reaches `longitude` (a solar term, 节气: 0° the March
 * equinox, 15° 清明, 270° the winter solstice) in the Gregorian year `year`.
 */
export function solarTermJde(year: number, longitude: number): number {
  // The March equinox is near 20 March; the sun moves about 360° in 365.2422 days.
  let jde = jdeOfDate(year, 3, 20) + (normalise(longitude) / 360) * 365.2422;
  for (let i = 0; i < 20; i++) {
    const behind = normalise(longitude - sunApparentLongitude(jde) + 180) - 180;
    const step = (behind * 365.2422) / 360;
    jde += step;
    if (Math.abs(step) < 1e-7) break;
  }
  return jde;
}

/** The periodic terms of a new moon (Meeus table 49.A, the 'new moon' column), with E's power. */
const NEW_MOON_TERMS: readonly [
  coefficient: number,
  ePower: 0 | 1 | 2,
  m: number,
  mPrime: number,
  f: number,
  omega: number,
][] = [
  [-0.4072, 0, 0, 1, 0, 0],
  [0.17241, 1, 1, 0, 0, 0],
  [0.01608, 0, 0, 2, 0, 0],
  [0.01039, 0, 0, 0, 2, 0],
  [0.00739, 1, -1, 1, 0, 0],
  [-0.00514, 1, 1, 1, 0, 0],
  [0.00208, 2, 2, 0, 0, 0],
  [-0.00111, 0, 0, 1, -2, 0],
  [-0.00057, 0, 0, 1, 2, 0],
  [0.00056, 1, 1, 2, 0, 0],
  [-0.00042, 0, 0, 3, 0, 0],
  [0.00042, 1, 1, 0, 2, 0],
  [0.00038, 1, 1, 0, -2, 0],
  [-0.00024, 1, -1, 2, 0, 0],
  [-0.00017, 0, 0, 0, 0, 1],
  [-0.00007, 0, 2, 1, 0, 0],
  [0.00004, 0, 0, 2, -2, 0],
  [0.00004, 0, 3, 0, 0, 0],
  [0.00003, 0, 1, 1, -2, 0],
  [0.00003, 0, 0, 2, 2, 0],
  [-0.00003, 0, 1, 1, 2, 0],
  [0.00003, 0, -1, 1, 2, 0],
  [-0.00002, 0, -1, 1, -2, 0],
  [-0.00002, 0, 1, 3, 0, 0],
  [0.00002, 0, 0, 4, 0, 0],
];

/** The planetary arguments A1–A14 of every phase (Meeus ch. 49): [coefficient, a, b·k, c·T²]. */
const PLANETARY_TERMS: readonly [coefficient: number, a: number, b: number, c: number][] = [
  [0.000325, 299.77, 0.107408, -0.009173],
  [0.000165, 251.88, 0.016321, 0],
  [0.000164, 251.83, 26.651886, 0],
  [0.000126, 349.42, 36.412478, 0],
  [0.00011, 84.66, 18.206239, 0],
  [0.000062, 141.74, 53.303771, 0],
  [0.00006, 207.14, 2.453732, 0],
  [0.000056, 154.84, 7.30686, 0],
  [0.000047, 34.52, 27.261239, 0],
  [0.000042, 207.19, 0.121824, 0],
  [0.00004, 291.34, 1.844379, 0],
  [0.000037, 161.72, 24.198154, 0],
  [0.000035, 239.56, 25.513099, 0],
  [0.000023, 331.55, 3.592518, 0],
];

/** The instant of new moon number `k` (k = 0 is the new moon of 6 January 2000). */
export function newMoonJde(k: number): number {
  const T = k / 1236.85;
  const mean =
    2_451_550.09766 + 29.530588861 * k + 0.00015437 * T ** 2 - 0.00000015 * T ** 3 + 0.00000000073 * T ** 4;
  const E = 1 - 0.002516 * T - 0.0000074 * T ** 2;
  const M = 2.5534 + 29.1053567 * k - 0.0000014 * T ** 2 - 0.00000011 * T ** 3;
  const Mprime =
    201.5643 + 385.81693528 * k + 0.0107582 * T ** 2 + 0.00001238 * T ** 3 - 0.000000058 * T ** 4;
  const F = 160.7108 + 390.67050284 * k - 0.0016118 * T ** 2 - 0.00000227 * T ** 3 + 0.000000011 * T ** 4;
  const omega = 124.7746 - 1.56375588 * k + 0.0020672 * T ** 2 + 0.00000215 * T ** 3;
  let correction = 0;
  for (const [coefficient, ePower, m, mPrime, f, o] of NEW_MOON_TERMS) {
    correction += coefficient * E ** ePower * sin(m * M + mPrime * Mprime + f * F + o * omega);
  }
  for (const [coefficient, a, b, c] of PLANETARY_TERMS) {
    correction += coefficient * sin(a + b * k + c * T ** 2);
  }
  return mean + correction;
}

/** The number k of the last new moon at or before the instant. */
export function newMoonNumberBefore(jde: number): number {
  let k = Math.floor((jde - 2_451_550.09766) / 29.530588861);
  while (newMoonJde(k + 1) <= jde) k += 1;
  while (newMoonJde(k) > jde) k -= 1;
  return k;
}
