/**
 * Reading resource properties from the graph's JSON: unknown and lazy values, Chef symbols,
 * octal modes, and the collector providers use to turn unknown properties into an "unknown" step.
 */
import type { JsonValue } from '../protocol';
import type { EngineResource, Prop } from './types';

/** Why a value is not known, or undefined when it is plain JSON. */
export function unknownReason(v: JsonValue | undefined): string | undefined {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    if (typeof v.$unknown === 'string') return v.$unknown;
    if (typeof v.$lazy === 'string') return `lazy value \`${v.$lazy}\` is only known at converge time`;
  }
  if (Array.isArray(v)) for (const e of v) { const r = unknownReason(e); if (r) return r; }
  return undefined;
}

/** A property as {@link Prop}: absent (undefined/null), unknown, or known. */
export function prop(r: EngineResource, name: string): Prop {
  const v = r.properties[name];
  if (v === undefined || v === null) return undefined;
  const why = unknownReason(v);
  return why ? { known: false, reason: `${name}: ${why}` } : { known: true, value: v };
}

/** Strips the leading ':' of a Chef symbol. */
export function sym(v: string): string {
  return v.startsWith(':') ? v.slice(1) : v;
}

/**
 * Collects unknown properties while a provider reads what it needs; `reasons` becomes the step's
 * reason when non-empty. Getters return undefined for absent or unknown values.
 */
export class PropReader {
  readonly reasons: string[] = [];
  constructor(readonly resource: EngineResource) {}

  private get(name: string): JsonValue | undefined {
    const p = prop(this.resource, name);
    if (!p) return undefined;
    if (!p.known) { this.reasons.push(p.reason); return undefined; }
    return p.value;
  }

  /** Whether the property was written (known or not). */
  has(name: string): boolean {
    const v = this.resource.properties[name];
    return v !== undefined && v !== null;
  }

  str(name: string): string | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (typeof v === 'string') return sym(v);
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return undefined;
  }

  num(name: string): number | undefined {
    const v = this.get(name);
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)) return Number(v);
    return undefined;
  }

  bool(name: string): boolean | undefined {
    const v = this.get(name);
    return typeof v === 'boolean' ? v : undefined;
  }

  /** A string or an array of strings, as a list. */
  list(name: string): string[] | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (Array.isArray(v)) return v.map((e) => (typeof e === 'string' ? sym(e) : String(e)));
    if (typeof v === 'string') return [sym(v)];
    return [String(v)];
  }

  /** A hash of strings (environment, variables). */
  map(name: string): Record<string, string> | undefined {
    const v = this.get(name);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'string' ? x : JSON.stringify(x)]));
  }

  /** An octal mode as Chef accepts it ('0644', '644', 420 from the Ruby literal 0644) → '644'. */
  mode(name = 'mode'): string | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    return normalizeMode(v);
  }
}

/** Normalizes a mode to stat's `%a` form (no leading zeros), or undefined when it is not a mode. */
export function normalizeMode(v: JsonValue): string | undefined {
  if (typeof v === 'number') return v.toString(8);
  if (typeof v === 'string' && /^[0-7]{1,5}$/.test(v)) return (parseInt(v, 8)).toString(8);
  return undefined;
}

/** Displays a mode the way recipes write it (0644). */
export function showMode(m: string | undefined): string {
  return m === undefined ? '(none)' : m.padStart(4, '0');
}

