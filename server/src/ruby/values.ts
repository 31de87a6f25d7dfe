/**
 * The values of the static Ruby evaluator. A tagged union: every Ruby value the evaluator can know,
 * plus `unknown`, which carries the reason it cannot be known and where that happened.
 */
import type { JsonValue, SourceLocation } from '../protocol';
import { BoundedText } from './boundedText';

export type Value =
  | { k: 'nil' }
  | { k: 'bool'; v: boolean }
  | { k: 'int'; v: number }
  | { k: 'float'; v: number }
  | { k: 'str'; v: string }
  | { k: 'sym'; v: string }
  | { k: 'array'; items: Value[] }
  | { k: 'hash'; map: Map<string, HashEntry> }
  | { k: 'range'; from: Value; to: Value; exclusive: boolean }
  | { k: 'regexp'; source: string; flags: string }
  | { k: 'proc'; proc: ProcValue }
  | { k: 'lazy'; proc: ProcValue }
  | { k: 'object'; obj: RubyObject }
  /**
   * `truthy`: what is known of it in a condition (`unknown || true` is truthy whichever side it is).
   * `test`: a POSIX sh condition that succeeds exactly when the value is truthy on the machine at
   * converge time (`::File.exist?('/etc/x')` → `test -e '/etc/x'`), so a guard made of file tests can
   * be answered by the container instead of guessed.
   */
  | { k: 'unknown'; reason: string; loc?: SourceLocation; truthy?: boolean; test?: string };

export interface HashEntry {
  key: Value;
  value: Value;
}

/** A block or lambda: its parameters and body stay prism nodes, closed over the environment it was made in. */
export interface ProcValue {
  /** Opaque to everything but the evaluator. */
  node: unknown;
  env: unknown;
  source: string;
  loc?: SourceLocation;
}

/**
 * Anything with behaviour of its own (node attribute views, `new_resource`, `Chef::Log`, a resource
 * reference). The evaluator asks it to answer method calls; it returns `undefined` for methods it does
 * not know, which the evaluator turns into an unknown with a reason.
 */
export interface RubyObject {
  className: string;
  call(method: string, args: Value[], ctx: CallContext): Value | undefined;
  /** How it reads in messages and JSON. */
  describe(): string;
  toJson?(): JsonValue;
  /** True when a bare call of `name` belongs to this object before any helper method of that name. */
  owns?(name: string): boolean;
  /**
   * What calling `method` reads, for the call memo (callMemo.ts) to check and replay through the
   * interpreter's `memoHost`; undefined when the call may depend on or change more (an effect).
   */
  memoRead?(method: string, args: Value[], ctx: CallContext): unknown;
  /** Methods whose answer depends on their arguments alone (`File.join`), for the call memo. */
  readonly pureMethods?: { has(method: string): boolean };
}

export interface CallContext {
  loc?: SourceLocation;
  block?: Value;
  /** Calls a proc value with arguments; used by objects that take blocks. */
  callProc(proc: Value, args: Value[]): Value;
}

/**
 * The same call context with another block. Call contexts may compute their locations when asked
 * (the interpreter's do), so they are copied with their prototype, not spread.
 */
export function withBlock<C extends CallContext>(ctx: C, block: Value | undefined): C {
  return Object.assign(Object.create(Object.getPrototypeOf(ctx)) as C, ctx, { block });
}

export const NIL: Value = { k: 'nil' };
export const TRUE: Value = { k: 'bool', v: true };
export const FALSE: Value = { k: 'bool', v: false };

export const str = (v: string): Value => ({ k: 'str', v });
export const sym = (v: string): Value => ({ k: 'sym', v });
export const int = (v: number): Value => ({ k: 'int', v });
export const bool = (v: boolean): Value => (v ? TRUE : FALSE);
export const arr = (items: Value[]): Value => ({ k: 'array', items });
export const unknown = (reason: string, loc?: SourceLocation): Value => ({ k: 'unknown', reason, loc });

/** The key under which a value is stored in a hash: Ruby keeps 'a' and :a apart. */
export function hashKey(key: Value): string {
  switch (key.k) {
    case 'str': return 's:' + key.v;
    case 'sym': return 'y:' + key.v;
    case 'int': case 'float': return 'n:' + key.v;
    case 'nil': return 'nil';
    case 'bool': return 'b:' + key.v;
    default: return 'x:' + inspect(key);
  }
}

export function hashOf(entries: [Value, Value][]): Value {
  const map = new Map<string, HashEntry>();
  for (const [key, value] of entries) map.set(hashKey(key), { key, value });
  return { k: 'hash', map };
}

export function hashGet(h: Extract<Value, { k: 'hash' }>, key: Value): Value | undefined {
  return h.map.get(hashKey(key))?.value;
}

/** Reads `opts[:x]` whether the key was written as a symbol or a string. */
export function hashGetName(h: Extract<Value, { k: 'hash' }>, name: string): Value | undefined {
  return h.map.get('y:' + name)?.value ?? h.map.get('s:' + name)?.value;
}

export function isUnknown(v: Value): v is Extract<Value, { k: 'unknown' }> {
  return v.k === 'unknown';
}

/** Ruby truthiness, or undefined when the value is unknown. */
export function truthy(v: Value): boolean | undefined {
  if (v.k === 'unknown') return v.truthy;
  if (v.k === 'nil') return false;
  if (v.k === 'bool') return v.v;
  return true;
}

/**
 * The first unknown inside a value (deeply), so an operation on it can keep the reason. Each shared
 * container is looked into once, so a value built as `[a] * 100_000` costs what it holds, not what
 * it would print.
 */
export function findUnknown(v: Value, depth = 0): Extract<Value, { k: 'unknown' }> | undefined {
  if (v.k === 'unknown') return v;
  if (v.k !== 'array' && v.k !== 'hash') return undefined;
  return unknownWithin(v, depth, new Set());
}

function unknownWithin(v: Value, depth: number, seen: Set<Value>): Extract<Value, { k: 'unknown' }> | undefined {
  if (v.k === 'unknown') return v;
  if (depth > 8 || (v.k !== 'array' && v.k !== 'hash') || seen.has(v)) return undefined;
  seen.add(v);
  if (v.k === 'array') {
    for (const item of v.items) { const u = unknownWithin(item, depth + 1, seen); if (u) return u; }
  } else {
    for (const e of v.map.values()) { const u = unknownWithin(e.value, depth + 1, seen) ?? unknownWithin(e.key, depth + 1, seen); if (u) return u; }
  }
  return undefined;
}

/** Ruby's `to_s`. Unknown parts are rendered as `«unknown»`; callers check `findUnknown` first when it matters. */
export function toS(v: Value): string {
  switch (v.k) {
    case 'nil': return '';
    case 'bool': return String(v.v);
    case 'int': return String(v.v);
    case 'float': return formatFloat(v.v);
    case 'str': return v.v;
    case 'sym': return v.v;
    case 'array': return inspect(v);
    case 'hash': return inspect(v);
    case 'range': return `${toS(v.from)}${v.exclusive ? '...' : '..'}${toS(v.to)}`;
    case 'regexp': return regexpText(v.flags, v.source);
    case 'proc': case 'lazy': return '#<Proc>';
    case 'object': return v.obj.describe();
    case 'unknown': return '«unknown»';
  }
}

/** `Regexp#to_s` (how a regexp reads interpolated into another): its flags on, the others off, `(?i-mx:a)`. */
export function regexpText(flags: string, source: string): string {
  const on = ['m', 'i', 'x'].filter((f) => flags.includes(f)).join('');
  const off = ['m', 'i', 'x'].filter((f) => !flags.includes(f)).join('');
  return `(?${on}${off ? '-' + off : ''}:${source})`;
}

function formatFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : n < 0 ? '-Infinity' : 'NaN';
  return Number.isInteger(n) ? n.toFixed(1) : String(n);
}

/**
 * Ruby's `inspect`, used for messages and hover. Past `TEXT_LIMIT` characters it stops (the text then
 * ends with `…` and is longer than the limit, which callers making a Ruby string treat as too large).
 */
export function inspect(v: Value, depth = 0): string {
  const out = new BoundedText();
  writeInspect(v, depth, out);
  return out.full ? out.text + '…' : out.text;
}

function writeInspect(v: Value, depth: number, out: BoundedText): void {
  if (out.full) return;
  if (depth > 6) { out.add('…'); return; }
  switch (v.k) {
    case 'nil': out.add('nil'); return;
    case 'str': out.add(JSON.stringify(v.v)); return;
    case 'sym': out.add(/^[A-Za-z_][A-Za-z0-9_]*[?!=]?$/.test(v.v) ? ':' + v.v : ':' + JSON.stringify(v.v)); return;
    case 'array':
      out.add('[');
      for (let i = 0; i < v.items.length && !out.full; i++) { if (i) out.add(', '); writeInspect(v.items[i], depth + 1, out); }
      out.add(']');
      return;
    case 'hash': {
      out.add('{');
      let first = true;
      for (const e of v.map.values()) {
        if (out.full) break;
        if (!first) out.add(', ');
        first = false;
        if (e.key.k === 'sym' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(e.key.v)) out.add(`${e.key.v}: `);
        else { writeInspect(e.key, depth + 1, out); out.add(' => '); }
        writeInspect(e.value, depth + 1, out);
      }
      out.add('}');
      return;
    }
    case 'regexp': out.add(`/${v.source}/${v.flags}`); return;
    case 'lazy': out.add(`lazy { ${v.proc.source.replace(/^lazy\s*/, '')} }`); return;
    case 'unknown': out.add(`«unknown: ${v.reason}»`); return;
    default: out.add(toS(v));
  }
}

const EQUALITY_DEPTH = 100;
/** Most element comparisons one `==` makes: `[a] * 100_000 == [b] * 100_000` with large `a` and `b` would make billions. */
const MAX_COMPARISONS = 1_000_000;

/**
 * Structural equality (Ruby `==`); undefined when either side is unknown, or when the values nest
 * deeper than `EQUALITY_DEPTH` (a loop can build an array 10,000 levels deep; comparing it must
 * not exhaust the stack), or when it would take more than `MAX_COMPARISONS` element comparisons.
 */
export function rubyEquals(a: Value, b: Value, depth = 0): boolean | undefined {
  return equalsWithin(a, b, depth, { left: MAX_COMPARISONS });
}

function equalsWithin(a: Value, b: Value, depth: number, budget: { left: number }): boolean | undefined {
  if (a.k === 'unknown' || b.k === 'unknown') return undefined;
  if (a === b && a.k !== 'float') return true;
  if (depth > EQUALITY_DEPTH || --budget.left < 0) return undefined;
  if ((a.k === 'int' || a.k === 'float') && (b.k === 'int' || b.k === 'float')) return a.v === b.v;
  if (a.k !== b.k) return false;
  switch (a.k) {
    case 'nil': return true;
    case 'bool': case 'str': case 'sym': return a.v === (b as typeof a).v;
    case 'array': {
      const bi = (b as typeof a).items;
      if (a.items.length !== bi.length) return false;
      let result: boolean | undefined = true;
      for (let i = 0; i < a.items.length; i++) {
        const e = equalsWithin(a.items[i], bi[i], depth + 1, budget);
        if (e === false) return false;
        if (e === undefined) result = undefined;
      }
      return result;
    }
    case 'hash': {
      const bm = (b as typeof a).map;
      if (a.map.size !== bm.size) return false;
      for (const [key, e] of a.map) {
        const other = bm.get(key);
        if (!other) return false;
        const eq = equalsWithin(e.value, other.value, depth + 1, budget);
        if (eq !== true) return eq;
      }
      return true;
    }
    case 'regexp': return a.source === (b as typeof a).source;
    case 'range': return equalsWithin(a.from, (b as typeof a).from, depth + 1, budget) === true && equalsWithin(a.to, (b as typeof a).to, depth + 1, budget) === true;
    default: return a === b;
  }
}

/** Most values one `toJson` writes; a larger value is shown as not known (it would not fit a graph anyway). */
const MAX_JSON_VALUES = 200_000;

/** The plain JSON form used by the Graph contract. Unknowns become `{ "$unknown": reason }`. */
export function toJson(v: Value, depth = 0): JsonValue {
  const budget = { left: MAX_JSON_VALUES };
  const j = jsonWithin(v, depth, budget);
  return budget.left < 0 ? { $unknown: `a value too large to show (more than ${MAX_JSON_VALUES} elements)` } : j;
}

function jsonWithin(v: Value, depth: number, budget: { left: number }): JsonValue {
  if (--budget.left < 0) return null;
  if (depth > 12) return { $unknown: 'value nested too deeply' };
  switch (v.k) {
    case 'nil': return null;
    case 'bool': case 'int': case 'float': case 'str': return v.v;
    case 'sym': return ':' + v.v;
    case 'array': {
      const out: JsonValue[] = [];
      for (const i of v.items) { out.push(jsonWithin(i, depth + 1, budget)); if (budget.left < 0) break; }
      return out;
    }
    case 'hash': {
      const out: Record<string, JsonValue> = {};
      for (const e of v.map.values()) {
        // A key nobody knows cannot be written as one: the hash as a whole is not known.
        const u = findUnknown(e.key);
        if (u) return { $unknown: `a key of this hash is not known (${u.reason})` };
        out[e.key.k === 'sym' ? ':' + e.key.v : toS(e.key)] = jsonWithin(e.value, depth + 1, budget);
        if (budget.left < 0) break;
      }
      return out;
    }
    case 'range': return toS(v);
    case 'regexp': return `/${v.source}/${v.flags}`;
    case 'proc': return { $block: v.proc.source };
    case 'lazy': return { $lazy: v.proc.source };
    case 'object': return v.obj.toJson ? v.obj.toJson() : { $object: v.obj.describe() };
    case 'unknown': return { $unknown: v.reason };
  }
}

/** Builds a value from plain JSON (platform facts, JSON attribute files, YAML recipes). */
export function fromJson(j: unknown, depth = 0): Value {
  if (depth > 32) return unknown('value nested too deeply');
  if (j === null || j === undefined) return NIL;
  if (typeof j === 'boolean') return bool(j);
  if (typeof j === 'number') return Number.isInteger(j) ? int(j) : { k: 'float', v: j };
  if (typeof j === 'string') return str(j);
  if (Array.isArray(j)) return arr(j.map((x) => fromJson(x, depth + 1)));
  // The Graph contract's marker for what is not known reads back as an unknown.
  if (typeof j === 'object' && typeof (j as { $unknown?: unknown }).$unknown === 'string' && Object.keys(j).length === 1) return unknown((j as { $unknown: string }).$unknown);
  if (typeof j === 'object') return hashOf(Object.entries(j as Record<string, unknown>).map(([key, val]) => [str(key), fromJson(val, depth + 1)]));
  return unknown('unsupported value');
}

/** The Ruby class name of a value, for type checks against catalog property types. */
export function rubyClassOf(v: Value): string {
  switch (v.k) {
    case 'nil': return 'NilClass';
    case 'bool': return v.v ? 'TrueClass' : 'FalseClass';
    case 'int': return 'Integer';
    case 'float': return 'Float';
    case 'str': return 'String';
    case 'sym': return 'Symbol';
    case 'array': return 'Array';
    case 'hash': return 'Hash';
    case 'range': return 'Range';
    case 'regexp': return 'Regexp';
    case 'proc': return 'Proc';
    case 'lazy': return 'Chef::DelayedEvaluator';
    case 'object': return v.obj.className;
    case 'unknown': return 'unknown';
  }
}

/**
 * A copy of a value whose containers (hashes, arrays, strings) are new: changing it changes nothing
 * stored. A container held in several places is copied once, so the copy costs what the value holds
 * (`[a] * 100_000` is not copied into ten billion elements). Hash keys are shared (Ruby freezes
 * them); so are unknowns, which nothing changes. Past 32 levels the rest is shared.
 */
export function copyContainers(v: Value, depth: number, copies = new Map<Value, Value>()): Value {
  if (depth > 32 || (v.k !== 'str' && v.k !== 'array' && v.k !== 'hash')) return v;
  const done = copies.get(v);
  if (done) return done;
  let copy: Value;
  if (v.k === 'str') copy = { k: 'str', v: v.v };
  else if (v.k === 'array') {
    const items: Value[] = [];
    copy = { k: 'array', items };
    copies.set(v, copy);
    for (const x of v.items) items.push(copyContainers(x, depth + 1, copies));
  } else {
    const map = new Map<string, { key: Value; value: Value }>();
    copy = { k: 'hash', map };
    copies.set(v, copy);
    for (const [k, e] of v.map) map.set(k, { key: e.key, value: copyContainers(e.value, depth + 1, copies) });
  }
  copies.set(v, copy);
  return copy;
}
