/**
 * `String#succ` and the string ranges built on it (`'a'..'e'`, `'aa'..'ad'`, `'08'..'11'`), with
 * Ruby's carrying rules: the rightmost letter or digit is incremented, a wrap carries to the next
 * letter or digit to the left (across punctuation only between the same kind: `'1.9'` → `'2.0'` but
 * `'a-9'` → `'a-10'`), and a carry past the left end inserts a new character.
 */

const isAlnum = (c: string): boolean => /^[A-Za-z0-9]$/.test(c);
const isDigit = (c: string): boolean => /^[0-9]$/.test(c);

/** The next letter or digit, and the character a carry out of it inserts (undefined when no wrap). */
function bump(c: string): { next: string; carry?: string } {
  if (c === 'z') return { next: 'a', carry: 'a' };
  if (c === 'Z') return { next: 'A', carry: 'A' };
  if (c === '9') return { next: '0', carry: '1' };
  return { next: String.fromCharCode(c.charCodeAt(0) + 1) };
}

/** Ruby's `String#succ`. */
export function stringSucc(s: string): string {
  if (s === '') return '';
  const chars = [...s];
  let i = chars.length - 1;
  while (i >= 0 && !isAlnum(chars[i])) i--;
  if (i < 0) {
    const last = chars.length - 1;
    chars[last] = String.fromCodePoint(chars[last].codePointAt(0)! + 1);
    return chars.join('');
  }
  for (;;) {
    const { next, carry } = bump(chars[i]);
    chars[i] = next;
    if (carry === undefined) return chars.join('');
    let j = i - 1;
    while (j >= 0 && !isAlnum(chars[j])) j--;
    const crossed = j < i - 1;
    if (j < 0 || (crossed && isDigit(chars[j]) !== isDigit(chars[i]))) {
      chars.splice(i, 0, carry);
      return chars.join('');
    }
    i = j;
  }
}

/** The strings of `from..to` (`String#upto`), or undefined past `limit`. */
export function stringRange(from: string, to: string, exclusive: boolean, limit: number): string[] | undefined {
  const out: string[] = [];
  if (from.length === 1 && to.length === 1 && from < '\x80' && to < '\x80') {
    const end = to.charCodeAt(0) - (exclusive ? 1 : 0);
    if (end - from.charCodeAt(0) > limit) return undefined;
    for (let c = from.charCodeAt(0); c <= end; c++) out.push(String.fromCharCode(c));
    return out;
  }
  if (/^\d+$/.test(from) && /^\d+$/.test(to)) return digitRange(from, to, exclusive, limit);
  if (from > to || (exclusive && from === to)) return out;
  for (let cur = from; ;) {
    if (exclusive && cur === to) break;
    if (out.length >= limit) return undefined;
    out.push(cur);
    if (cur === to) break;
    cur = stringSucc(cur);
    if (cur.length > to.length || cur.length === 0) break;
  }
  return out;
}

/** Both ends all digits: Ruby counts numerically, keeping the width of the start (`'08'..'11'`). */
function digitRange(from: string, to: string, exclusive: boolean, limit: number): string[] | undefined {
  const a = Number(from), b = Number(to) - (exclusive ? 1 : 0);
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b)) return undefined;
  if (b - a >= limit) return undefined;
  const out: string[] = [];
  for (let n = a; n <= b; n++) out.push(String(n).padStart(from.length, '0'));
  return out;
}
