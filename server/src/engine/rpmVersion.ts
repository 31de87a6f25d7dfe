/**
 * RPM version ordering, as rpm's `rpmvercmp` and `rpmverCmp` define it: versions are split into
 * alphabetic and numeric segments (every other ASCII character only separates), numbers compare
 * numerically and beat letters, `~` sorts before everything (even the end of the string), `^`
 * sorts after the end of the string but before any further segment. An EVR is `[epoch:]version[-release]`;
 * in ordering a missing epoch is 0 and a missing release sorts before any release; in matching a
 * version a recipe pins ({@link rpmVersionMatches}) what is left out matches anything, as in dnf.
 */

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined): boolean => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isAlnum = (c: string | undefined): boolean => isDigit(c) || isAlpha(c);

/** rpm's `rpmvercmp` on one version (or release) string: -1, 0 or 1. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
    // `~` sorts before everything else, the end of the string included.
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++; j++;
      continue;
    }
    // `^` sorts after the end of the string, before anything else.
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++; j++;
      continue;
    }
    if (!(i < a.length && j < b.length)) break;
    const num = isDigit(a[i]);
    const same = num ? isDigit : isAlpha;
    let ei = i;
    let ej = j;
    while (ei < a.length && same(a[ei])) ei++;
    while (ej < b.length && same(b[ej])) ej++;
    // A numeric segment against an alphabetic one: numbers are newer.
    if (ej === j) return num ? 1 : -1;
    let sa = a.slice(i, ei);
    let sb = b.slice(j, ej);
    if (num) {
      sa = sa.replace(/^0+/, '');
      sb = sb.replace(/^0+/, '');
      if (sa.length !== sb.length) return sa.length > sb.length ? 1 : -1;
    }
    if (sa !== sb) return sa < sb ? -1 : 1;
    i = ei;
    j = ej;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

/** An EVR split into its parts; `epoch`/`release` are undefined when not written. */
export interface Evr { epoch?: string; version: string; release?: string }

/** Splits `[epoch:]version[-release]` (rpm versions and releases cannot contain `-`). */
export function parseEvr(s: string): Evr {
  const colon = s.indexOf(':');
  const epoch = colon > 0 && /^\d+$/.test(s.slice(0, colon)) ? s.slice(0, colon) : undefined;
  const rest = epoch !== undefined ? s.slice(colon + 1) : s;
  const dash = rest.lastIndexOf('-');
  return dash > 0 ? { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) } : { epoch, version: rest };
}

/** Orders two EVRs as rpm does (`rpmverCmp`, `rpm.vercmp`): a missing epoch is 0, a missing release sorts first. */
export function compareRpmEvr(a: string, b: string): number {
  const x = parseEvr(a);
  const y = parseEvr(b);
  const release = x.release === undefined || y.release === undefined
    ? Number(x.release !== undefined) - Number(y.release !== undefined)
    : rpmvercmp(x.release, y.release);
  return rpmvercmp(x.epoch ?? '0', y.epoch ?? '0') || rpmvercmp(x.version, y.version) || release;
}

/**
 * Whether an installed/available EVR satisfies a version as a recipe writes it (`1.0`, `1.0-1`,
 * `2:1.0-1.el9`), as dnf matches `name-version`: the parts written must be equal, the parts left
 * out match anything (`2.9` matches `1:2.9-1`).
 */
export function rpmVersionMatches(wanted: string, evr: string): boolean {
  const w = parseEvr(wanted);
  const e = parseEvr(evr);
  if (w.epoch !== undefined && rpmvercmp(w.epoch, e.epoch ?? '0') !== 0) return false;
  if (rpmvercmp(w.version, e.version) !== 0) return false;
  return w.release === undefined || (e.release !== undefined && rpmvercmp(w.release, e.release) === 0);
}
