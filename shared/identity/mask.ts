/**
 * Masking for display (脱敏): the only form in which an ID number, name, bank account or credit
 * code leaves the platform for anyone but its owner.
 *
 * One rule against leaks: a value is shown partly only if at least as many characters stay hidden
 * as are shown; anything shorter comes back as all stars, one per character. Characters are
 * counted as code points, so a rare name character outside the BMP (e.g. 𠮷) is one character.
 */

const STAR = '*';

function allStars(chars: readonly string[]): string {
  return STAR.repeat(chars.length);
}

/** Keeps `head` leading and `tail` trailing characters and stars the rest, length preserved. */
function maskMiddle(value: string, head: number, tail: number): string {
  const chars = Array.from(value);
  const shown = head + tail;
  if (chars.length - shown < shown) return allStars(chars);
  return (
    chars.slice(0, head).join('') +
    STAR.repeat(chars.length - shown) +
    chars.slice(chars.length - tail).join('')
  );
}

/** ID number (居民身份证号): first 4 and last 4, `320311199001011234` → `3203**********1234`. */
export function maskIdNumber(idNumber: string): string {
  return maskMiddle(idNumber, 4, 4);
}

/** Unified social credit code (统一社会信用代码): first 2 and last 4, `91************0Y43`. */
export function maskUscc(uscc: string): string {
  return maskMiddle(uscc, 2, 4);
}

/**
 * Bank account (银行账号): first 4 and last 4 around a fixed `**** ****`, so the display also
 * hides the account's length: `6222021234567890123` → `6222 **** **** 0123`. Whitespace in the
 * input (a number typed in groups) is ignored.
 */
export function maskBankAccount(account: string): string {
  const chars = Array.from(account.replace(/\s/g, ''));
  if (chars.length < 16) return allStars(chars);
  return `${chars.slice(0, 4).join('')} **** **** ${chars.slice(-4).join('')}`;
}

/**
 * Person's name (姓名): only the last character shows — `张三` → `*三`, `王小明` → `**明`,
 * `欧阳娜娜` → `***娜`. A single character is all hidden. One rule for every length, so even a
 * compound surname (复姓) never shows.
 */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length < 2) return allStars(chars);
  return STAR.repeat(chars.length - 1) + (chars.at(-1) as string);
}
