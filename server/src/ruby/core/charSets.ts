/**
 * The character-set arguments of `tr`, `tr_s`, `delete`, `squeeze` and `count`: `'a-z'` ranges, a
 * leading `^` negates (a lone `^` is literal), `\\` escapes `-`, `^` and `\\`.
 */

export interface CharSet {
  negate: boolean;
  chars: string[];
}

/** Ranges longer than this are not expanded (a hostile `"\u0000-\u{10FFFF}"`). */
const MAX_RANGE = 0x10000;

/** Parses one set spec; undefined when a range is reversed (Ruby raises) or too wide. */
export function parseCharSet(spec: string): CharSet | undefined {
  let cps = [...spec];
  const negate = cps.length > 1 && cps[0] === '^';
  if (negate) cps = cps.slice(1);
  const chars: string[] = [];
  for (let i = 0; i < cps.length; i++) {
    let c = cps[i];
    if (c === '\\' && i + 1 < cps.length) { c = cps[++i]; chars.push(c); continue; }
    if (cps[i + 1] === '-' && i + 2 < cps.length) {
      const from = c.codePointAt(0)!, to = cps[i + 2].codePointAt(0)!;
      if (to < from || to - from > MAX_RANGE) return undefined;
      for (let x = from; x <= to; x++) chars.push(String.fromCodePoint(x));
      i += 2;
      continue;
    }
    chars.push(c);
  }
  return { negate, chars };
}

/** Whether `c` is in every set (Ruby intersects several set arguments). */
export function inAllSets(c: string, sets: CharSet[]): boolean {
  return sets.every((s) => s.chars.includes(c) !== s.negate);
}

/** Parses several set specs; undefined when any is invalid. */
export function parseCharSets(specs: string[]): CharSet[] | undefined {
  const out: CharSet[] = [];
  for (const s of specs) {
    const set = parseCharSet(s);
    if (!set) return undefined;
    out.push(set);
  }
  return out;
}

/**
 * `tr` and `tr_s`: each character in `from` becomes the one at the same place in `to` (the last
 * one of `to` when it is shorter, and for every character of a negated set); an empty `to` deletes.
 * `squeezeTranslated` (tr_s) collapses runs of the same translated character.
 */
export function translate(s: string, fromSpec: string, toSpec: string, squeezeTranslated: boolean): string | undefined {
  const from = parseCharSet(fromSpec);
  const to = parseCharSet(toSpec);
  if (!from || !to) return undefined;
  const target = to.chars;
  let out = '';
  let lastTranslated: string | undefined;
  for (const c of s) {
    const idx = from.chars.indexOf(c);
    const hit = from.negate ? idx < 0 : idx >= 0;
    if (!hit) { out += c; lastTranslated = undefined; continue; }
    if (target.length === 0) continue;
    const r = from.negate ? target[target.length - 1] : target[Math.min(idx, target.length - 1)];
    if (squeezeTranslated && r === lastTranslated) continue;
    out += r;
    lastTranslated = r;
  }
  return out;
}
