/**
 * The digits of `format`'s numeric conversions, as Ruby prints them. Ruby rounds a float from its
 * shortest decimal form when that form ends exactly on the rounding digit 5 (then to the even digit:
 * `'%.2f' % 2.675` is `"2.68"`, `'%.1f' % 0.25` is `"0.2"`), and from the exact binary value otherwise
 * (which is what JavaScript's toFixed/toExponential do).
 */
import { shortestDigits } from './floatFormat';

/** Adds one to a string of decimal digits (`"199"` → `"200"`, `"99"` → `"100"`). */
function incrementDigits(d: string): string {
  const out = d.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== '9') { out[i] = String(Number(out[i]) + 1); return out.join(''); }
    out[i] = '0';
  }
  return '1' + out.join('');
}

/** The first `keep` digits of the shortest form when it is a tie there, rounded half to even; else undefined. */
function shortestTie(x: number, keep: number): string | undefined {
  const { digits } = shortestDigits(x);
  if (keep < 0 || keep >= digits.length || digits.slice(keep) !== '5') return undefined;
  const kept = digits.slice(0, keep) || '0';
  return Number(kept[kept.length - 1]) % 2 === 0 ? kept : incrementDigits(kept);
}

/** |x| with `prec` decimals (`%f`). */
export function fixedDigits(x: number, prec: number): string {
  const a = Math.abs(x);
  if (a >= 1e21) return BigInt(a).toString() + (prec > 0 ? '.' + '0'.repeat(prec) : '');
  const tie = a === 0 ? undefined : shortestTie(a, shortestDigits(a).point + prec);
  if (tie === undefined) return a.toFixed(prec);
  const padded = tie.padStart(prec + 1, '0');
  const int = padded.slice(0, padded.length - prec);
  return prec > 0 ? `${int}.${padded.slice(padded.length - prec)}` : int;
}

/** |x| as mantissa digits and exponent with `prec` decimals (`%e`): `{ mantissa: '1.23', exp: 3 }`. */
export function expParts(x: number, prec: number): { mantissa: string; exp: number } {
  const a = Math.abs(x);
  if (a === 0) return { mantissa: prec > 0 ? '0.' + '0'.repeat(prec) : '0', exp: 0 };
  const tie = shortestTie(a, prec + 1);
  let digits: string;
  let exp: number;
  if (tie === undefined) {
    const [m, e] = a.toExponential(prec).split('e');
    digits = m.replace('.', '');
    exp = Number(e);
  } else {
    exp = shortestDigits(a).point - 1;
    digits = tie;
    if (digits.length > prec + 1) { digits = digits.slice(0, prec + 1); exp++; }
  }
  return { mantissa: prec > 0 ? `${digits[0]}.${digits.slice(1)}` : digits[0], exp };
}

export function expString(mantissa: string, exp: number, upper: boolean): string {
  return `${mantissa}${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** |x| for `%g`: `%e` when the exponent is below -4 or not below the precision, else `%f`; trailing zeros dropped unless `#`. */
export function generalDigits(x: number, precision: number, alternate: boolean, upper: boolean): string {
  const p = precision === 0 ? 1 : precision;
  const { exp } = expParts(x, p - 1);
  let body: string;
  if (exp < -4 || exp >= p) {
    const e = expParts(x, p - 1);
    const m = alternate ? (e.mantissa.includes('.') ? e.mantissa : e.mantissa + '.') : stripZeros(e.mantissa);
    body = expString(m, e.exp, upper);
  } else {
    const f = fixedDigits(x, p - 1 - exp);
    body = alternate ? (f.includes('.') ? f : f + '.') : stripZeros(f);
  }
  return body;
}

function stripZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/**
 * |n| in a radix for `%x`/`%o`/`%b`. A negative number without a sign flag is shown as Ruby does, in
 * two's complement with `..` for the infinite run of leading digits (`'%x' % -255` is `"..f01"`).
 */
export function radixDigits(n: number, radix: number, twosComplement: boolean): string {
  if (!(twosComplement && n < 0)) return Math.abs(n).toString(radix);
  const width = Math.abs(n).toString(radix).length + 1;
  const top = (radix - 1).toString(radix);
  const s = (BigInt(radix) ** BigInt(width) + BigInt(n)).toString(radix);
  return '..' + s.replace(new RegExp(`^${top}+`), top);
}
