/**
 * How Ruby prints a Float (`Float#to_s`, `inspect`): the shortest digits that read back as the same
 * number (as JavaScript's), but laid out Ruby's way: always a fractional part (`1.0`), and the
 * exponent form `1.0e+20` once it has 16 or more integer digits, or below 0.0001 (`1.0e-05`).
 */

/** The shortest round-trip digits of a finite, non-zero |x|, and the decimal point position. */
export function shortestDigits(x: number): { digits: string; point: number } {
  const [mantissa, exp] = Math.abs(x).toExponential().split('e');
  return { digits: mantissa.replace('.', ''), point: Number(exp) + 1 };
}

/** Ruby's `Float#to_s`. */
export function rubyFloatToS(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const { digits, point } = shortestDigits(x);
  if (point > 15 || point < -3) {
    const frac = digits.slice(1) || '0';
    const e = point - 1;
    return `${sign}${digits[0]}.${frac}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
