/**
 * RubyGems' version arithmetic (Gem::Version), as pure functions over version strings: the
 * format check, segments (numbers and prerelease letters: `1.0.a2` is [1, 0, "a", 2]), comparison
 * with trailing zeros ignored and prereleases before releases, bump and approximate_recommendation.
 */

export type Segment = number | string;

const VERSION = /^[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** The version string RubyGems keeps (`" 1.2 "` → `"1.2"`, `"1.0-beta"` → `"1.0.pre.beta"`, `""` → `"0"`), or undefined when malformed. */
export function normalizeVersion(text: string): string | undefined {
  const s = text.trim();
  if (s === '') return '0';
  return VERSION.test(s) ? s.replace(/-/g, '.pre.') : undefined;
}

export function segments(v: string): Segment[] {
  return (v.match(/[0-9]+|[a-z]+/gi) ?? []).map((s) => (/^\d/.test(s) ? Number(s) : s));
}

export const isPrerelease = (v: string): boolean => /[a-zA-Z]/.test(v);

/** Trailing zeros dropped from the numeric part and from the prerelease part. */
export function canonicalSegments(v: string): Segment[] {
  const segs = segments(v);
  const firstString = segs.findIndex((s) => typeof s === 'string');
  const numeric = firstString < 0 ? segs : segs.slice(0, firstString);
  const rest = firstString < 0 ? [] : segs.slice(firstString);
  const trim = (xs: Segment[]): Segment[] => { const out = [...xs]; while (out.length && out[out.length - 1] === 0) out.pop(); return out; };
  return [...trim(numeric), ...trim(rest)];
}

/** Gem::Version#<=>: -1, 0 or 1. */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  const l = canonicalSegments(a), r = canonicalSegments(b);
  for (let i = 0; i < Math.max(l.length, r.length); i++) {
    const x = l[i] ?? 0, y = r[i] ?? 0;
    if (x === y) continue;
    if (typeof x === 'string' && typeof y === 'number') return -1;
    if (typeof x === 'number' && typeof y === 'string') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** The release part: the segments before the first letter (`1.0.a.2` → `1.0`). */
export function release(v: string): string {
  if (!isPrerelease(v)) return v;
  const segs = segments(v);
  const firstString = segs.findIndex((s) => typeof s === 'string');
  return segs.slice(0, firstString).join('.');
}

/** Gem::Version#bump: drop the prerelease part and the last segment, then increment (`1.2.3` → `1.3`). */
export function bump(v: string): string {
  const segs = segments(v).filter((_, i, all) => !all.slice(0, i + 1).some((s) => typeof s === 'string'));
  if (segs.length > 1) segs.pop();
  segs[segs.length - 1] = (segs[segs.length - 1] as number) + 1;
  return segs.join('.');
}

/** Gem::Version#approximate_recommendation: `~> major.minor` (`.a` for a prerelease). */
export function approximateRecommendation(v: string): string {
  const segs = segments(v).filter((_, i, all) => !all.slice(0, i + 1).some((s) => typeof s === 'string'));
  while (segs.length > 2) segs.pop();
  while (segs.length < 2) segs.push(0);
  return `~> ${segs.join('.')}${isPrerelease(v) ? '.a' : ''}`;
}
