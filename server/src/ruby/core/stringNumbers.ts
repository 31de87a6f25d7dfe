/**
 * The lenient conversions of String: `to_i(base)`, `to_f`, `hex`, `oct`. Unlike `Integer()`, they read
 * the longest numeric prefix and give 0 when there is none (`"12abc".to_i` is 12, `"abc".to_f` 0.0).
 */

const PREFIXES: Record<string, number> = { x: 16, b: 2, o: 8, d: 10 };

function digitClass(base: number): string {
  return base <= 10 ? `[0-${base - 1}]` : `[0-9a-${String.fromCharCode(86 + base)}A-${String.fromCharCode(54 + base)}]`;
}

/**
 * The integer at the start of `text` in `base` (2..36); `base` 0 (and -8 for `oct`) detect the
 * `0x`/`0b`/`0o`/`0` prefixes. Returns NaN past 2**53, where JavaScript is no longer exact.
 */
export function leadingInteger(text: string, base: number): number {
  let s = text.replace(/^\s+/, '');
  let sign = 1;
  if (/^[+-]/.test(s)) { sign = s[0] === '-' ? -1 : 1; s = s.slice(1); }
  let b = Math.abs(base);
  const prefix = /^0([xbod])/i.exec(s);
  if (prefix && (base <= 0 || PREFIXES[prefix[1].toLowerCase()] === b)) {
    b = PREFIXES[prefix[1].toLowerCase()];
    s = s.slice(2);
  } else if (base <= 0) b = base === 0 && !/^0/.test(s) ? 10 : 8;
  const d = digitClass(b);
  const m = new RegExp(`^${d}+(?:_${d}+)*`).exec(s);
  if (!m) return 0;
  const n = parseInt(m[0].replace(/_/g, ''), b);
  return Number.isSafeInteger(n) ? sign * n : NaN;
}

/** The float at the start of `text` (`"1.5abc"` is 1.5, `"1e"` is 1.0), or 0. */
export function leadingFloat(text: string): number {
  const m = /^[+-]?(?:\d+(?:_\d+)*(?:\.\d+(?:_\d+)*)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+)?/.exec(text.replace(/^\s+/, ''));
  return m ? Number(m[0].replace(/_/g, '')) : 0;
}
