/**
 * Chef's cookbook version constraints (`depends 'x', '~> 2.1'` in metadata, Berksfile and
 * Policyfile constraints), as Chef::VersionConstraint reads them: one operator (`=`, `>`, `<`,
 * `>=`, `<=`, `~>`; none means `=`) and a version of one to three numbers. `~> 2.1` is `>= 2.1, < 3.0`,
 * `~> 2.1.3` is `>= 2.1.3, < 2.2`. Versions compare number by number, missing parts being 0.
 */

export type ConstraintOp = '=' | '>' | '<' | '>=' | '<=' | '~>';

export interface VersionConstraint {
  op: ConstraintOp;
  /** The version's numbers as written (`~> 2.1` keeps two). */
  parts: number[];
  /** The constraint as written, trimmed. */
  text: string;
}

const CONSTRAINT = /^(=|>=|<=|>|<|~>)?\s*(\d+(?:\.\d+){0,2})$/;

/** The constraint a string states, or undefined when Chef would reject it. */
export function parseConstraint(text: string): VersionConstraint | undefined {
  const t = text.trim();
  const m = CONSTRAINT.exec(t);
  if (!m) return undefined;
  return { op: (m[1] ?? '=') as ConstraintOp, parts: m[2].split('.').map(Number), text: t };
}

/** The numbers of a cookbook version (`1.2.3`), or undefined when it is not one. */
export function versionParts(version: string | undefined): number[] | undefined {
  const m = version === undefined ? null : /^\s*(\d+(?:\.\d+){0,2})\s*$/.exec(version);
  return m ? m[1].split('.').map(Number) : undefined;
}

/** -1, 0 or 1, comparing number by number (missing parts are 0). */
export function compareParts(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length, 3); i++) {
    const x = a[i] ?? 0, y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** -1, 0 or 1 for two version strings; a version that is not one sorts below every version. */
export function compareVersionStrings(a: string | undefined, b: string | undefined): number {
  const x = versionParts(a), y = versionParts(b);
  if (!x || !y) return x ? 1 : y ? -1 : 0;
  return compareParts(x, y);
}

/** Whether a cookbook version satisfies the constraint (a cookbook without a version is 0.0.0, as Chef reads it). */
export function satisfies(version: string | undefined, c: VersionConstraint): boolean {
  const v = versionParts(version ?? '0.0.0');
  if (!v) return false;
  const cmp = compareParts(v, c.parts);
  switch (c.op) {
    case '=': return cmp === 0;
    case '>': return cmp > 0;
    case '<': return cmp < 0;
    case '>=': return cmp >= 0;
    case '<=': return cmp <= 0;
    case '~>': {
      if (cmp < 0) return false;
      // The upper bound: drop the last written part and bump the one before (`~> 2` is `>= 2, < 3`).
      const upper = c.parts.length > 1 ? c.parts.slice(0, -1) : [...c.parts];
      upper[upper.length - 1] += 1;
      return compareParts(v, upper) < 0;
    }
  }
}
