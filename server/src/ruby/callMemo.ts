/**
 * Results of pure method calls, kept for later calls and later evaluations in the same world. Real
 * cookbooks' helper libraries render, merge and flatten hashes recursively (`deep_merge`,
 * `render_config`), and a recipe calls them again for every resource and on every keystroke; a call
 * that depends only on its arguments is evaluated once per distinct arguments.
 *
 * A call is kept only when nothing but its arguments can have decided its result:
 * - it is a `def` method (not `define_method`, whose block closes over outer variables), called
 *   without a block, on arguments that are plain data (nil, booleans, numbers, strings, symbols, and
 *   arrays and hashes of them, without a default; no unknowns, objects or procs), and it returned
 *   plain data (unknowns allowed);
 * - while it ran, the evaluation noted no effect (`Interpreter.effects`): no native method of an
 *   object (the run, `Hash.new`, `File.exist?` …) except pure ones (path arithmetic, Kernel's
 *   conversions and `format`, `Chef::Log`) and the node's reads; no instance, class or global
 *   variable; no constant holding a value (a module or object constant is fine: what it does is
 *   counted when it is called); no `self`, `yield`, `super`, definition or identity test (`equal?`,
 *   `object_id`); no budget reached or recursion refused; no finding; no condition left;
 * - what it read from the node (`node['a']['b']`, `node.platform`: `RubyObject.memoRead`) was read
 *   while the attribute store held a snapshot unchanged (`Interpreter.memoHost`): a later call is
 *   answered only while the store holds that same snapshot, and its reads are replayed (the
 *   compilation records which attributes were read);
 * - its arguments are the same after the call (it changed none of them).
 * Its key is the method, the class its calls on self are looked up in, the arguments' content,
 * whether the evaluation is inside an undecided condition, and the world's method and constant
 * versions (arguments sharing a value are told from arguments holding equal ones). A later call with
 * the same key gets a copy of the result in which what the first call returned of its own arguments
 * (`return b`, `out[key] = v`) is the later call's arguments, as Ruby would share them; it is charged
 * the steps and allocations the first call took, so budgets run out where they would without the
 * memo, and it is answered only within the nesting and call depth left where it is made.
 */
import { type Value, copyContainers } from './values';
import type { MethodDef } from './env';
import type { Interpreter } from './interpreter';
import { RModule, type RInstance, currentWorldVersion } from './objects';
import { defaultOf } from './core/hashDefaults';

/** Longer argument texts are not kept: comparing them would cost what evaluating does. */
const MAX_KEY = 4096;
/** Calls of a method refused before it is no longer tried (most of a cookbook's methods read its resources: trying costs). */
const GIVE_UP = 16;
/** Calls kept per method (the oldest is dropped first). */
const MAX_ENTRIES = 512;
const MAX_DEPTH = 24;
/** A larger result is not kept (a value shared many times inside it is counted each time). */
const MAX_RESULT = 100_000;
/**
 * What all kept calls may hold together, in characters and elements of their keys and results (one
 * cookbook's helpers keep about 0.5 million; `cloche check` of 100 cookbooks would keep 40 MB more
 * without a bound); past it every table starts again.
 */
const MAX_HELD = 2_000_000;

interface Entry {
  result: Value;
  /** What it read through the run (`RubyObject.memoRead`), and the run's state it read them in. */
  reads: unknown[];
  state?: object;
  /** The parts of the result that were the arguments' own values. */
  shared: Shared[];
  steps: number;
  units: number;
  /** How much deeper than its caller the first call nested syntax nodes and calls. */
  nesting: number;
  depth: number;
}

interface Table {
  version: number;
  entries: Map<string, Entry>;
  /** Calls that could not be kept: a method that was never kept after {@link GIVE_UP} is not tried again (in this world). */
  refused: number;
}

const tables = new WeakMap<MethodDef, Table>();
const moduleIds = new WeakMap<RModule, number>();
let nextModuleId = 1;
let constantWrites = 0;
/** Bumped when the kept results outgrow {@link MAX_HELD}: every table is then stale. */
let generation = 0;
let heldSize = 0;
let enabled = false;
/** Calls answered from the memo and calls kept in it, since the process started (tests and benchmarks read them). */
export const callMemoCounts = { hits: 0, kept: 0 };

/**
 * Turns the memo on or off. It is off unless turned on: it pays where the same cookbooks are compiled
 * again and again (the language server, on every edit); a CLI run compiles each once, and there the
 * bookkeeping cost memory (about 40 MB more peak for `cloche check` of 100 cookbooks) and no time.
 */
export function setCallMemo(on: boolean): void {
  enabled = on;
}

/** Whether calls go through the memo (asked before each call, so a run without it builds nothing for it). */
export function callMemoOn(): boolean {
  return enabled;
}

/** A constant was written somewhere: what a call read through constants may differ now. */
export function noteConstantWrite(): void {
  constantWrites++;
}

/** Runs a method call through the memo when it may be kept (see the module comment). */
export function memoizedCall(it: Interpreter, def: MethodDef, self: RModule | RInstance, args: Value[], run: () => Value): Value {
  if (def.closure) return run();
  // Each counter only grows: their sum changes exactly when one of them does.
  const version = currentWorldVersion() + constantWrites + generation;
  let table = tables.get(def);
  if (table?.version !== version) tables.set(def, table = { version, entries: new Map(), refused: 0 });
  if (table.refused >= GIVE_UP && table.entries.size === 0) return run();
  const held = new Map<object, number>();
  const argKey = keyOf(args, held);
  if (argKey === undefined) { table.refused++; return run(); }
  const key = `${idOf(methodSource(self))}|${it.uncertain() ? 1 : 0}|${argKey}`;
  const kept = table.entries.get(key);
  if (kept && it.nesting + kept.nesting < it.budgets.nesting && it.depth + kept.depth < it.budgets.callDepth && (!kept.reads.length || it.memoHost?.state() === kept.state)) {
    callMemoCounts.hits++;
    it.chargeSteps(kept.steps);
    it.allocations.chargeUnits(kept.units);
    for (const read of kept.reads) { it.memoHost!.replay(read); it.noteRead(read); }
    return resultFor(kept, args);
  }
  const before = { effects: it.effects, findings: it.findings.length, conditions: it.conditions.length, repetitions: it.repetitions.length, steps: it.steps, units: it.allocations.used };
  const state = it.memoHost?.state();
  const outerReads = it.readLog;
  const reads: unknown[] = [];
  it.readLog = reads;
  const peaks = it.startPeaks();
  let result: Value;
  try {
    result = run();
  } finally {
    it.endPeaks(peaks);
    it.readLog = outerReads;
    outerReads?.push(...reads);
  }
  const pure = it.effects === before.effects && it.findings.length === before.findings && it.conditions.length === before.conditions && it.repetitions.length === before.repetitions
    && (!reads.length || (state !== undefined && it.memoHost?.state() === state));
  const shared: Shared[] = [];
  const walk = { size: 0 };
  if (!pure || it.steps < before.steps || !plainResult(result, held, [], shared, walk) || keyOf(args, new Map()) !== argKey) { table.refused++; return result; }
  callMemoCounts.kept++;
  heldSize += walk.size + key.length;
  if (heldSize > MAX_HELD) { generation++; heldSize = 0; return result; }
  if (table.entries.size >= MAX_ENTRIES) table.entries.delete(table.entries.keys().next().value!);
  table.entries.set(key, {
    result: copyContainers(result, 0), shared, reads, ...(reads.length ? { state } : {}), steps: it.steps - before.steps, units: it.allocations.used - before.units,
    nesting: peaks.nesting - it.nesting, depth: peaks.depth - it.depth,
  });
  return result;
}

/** The module a call on self is looked up in, past singleton classes nothing was defined in. */
function methodSource(self: RModule | RInstance): RModule {
  let m = self instanceof RModule ? self.singleton() : self.lookupClass();
  while (m.isBareSingleton() && m.superclass) m = m.superclass;
  return m;
}

function idOf(m: RModule): number {
  let id = moduleIds.get(m);
  if (id === undefined) moduleIds.set(m, id = nextModuleId++);
  return id;
}

/** Where a value is inside a result: array indexes and hash entries' keys or values. */
type Path = (number | string)[];

/**
 * The arguments' content as text, or undefined when they are not plain data or too large. Each
 * array, hash and string met is numbered in `held` in the order met; one met again is written as a
 * reference to the first, so arguments sharing a value are told from arguments holding equal ones.
 */
function keyOf(args: Value[], held: Map<object, number>): string | undefined {
  let out = '';
  let size = 0;
  const visit = (v: Value, depth: number): boolean => {
    if (depth > MAX_DEPTH || ++size > MAX_KEY) return false;
    switch (v.k) {
      case 'nil': out += 'n'; return true;
      case 'bool': out += v.v ? 't' : 'f'; return true;
      case 'int': out += `i${v.v}`; return true;
      case 'float': out += `d${Object.is(v.v, -0) ? '-0' : v.v}`; return true;
      case 'sym': size += v.v.length; out += `y${v.v.length}:${v.v}`; return size <= MAX_KEY;
      default: break;
    }
    if (v.k !== 'str' && v.k !== 'array' && v.k !== 'hash') return false;
    const seen = held.get(v);
    if (seen !== undefined) { out += `@${seen};`; return true; }
    held.set(v, held.size);
    if (v.k === 'str') { size += v.v.length; out += `s${v.v.length}:${v.v}`; return size <= MAX_KEY; }
    if (v.k === 'array') {
      out += '[';
      for (const x of v.items) if (!visit(x, depth + 1)) return false;
      out += ']';
      return true;
    }
    if (defaultOf(v)) return false;
    out += '{';
    for (const e of v.map.values()) if (!visit(e.key, depth + 1) || !visit(e.value, depth + 1)) return false;
    out += '}';
    return true;
  };
  for (const a of args) { if (!visit(a, 0)) return undefined; out += ','; }
  return out;
}

/** The arrays, hashes and strings of the arguments in the order {@link keyOf} numbers them. */
function containersOf(args: Value[]): Value[] {
  const found = new Map<object, number>();
  keyOf(args, found);
  return [...found.keys()] as Value[];
}

/** A result part that is one of the arguments' own values: where it is in the result, and its number among the arguments' containers. */
interface Shared { inResult: Path; inArgs: number }

/**
 * Whether a result is plain data (unknowns allowed) of at most {@link MAX_RESULT} elements and
 * characters (`walk.size` says how many); the parts it shares with the arguments go in `shared`.
 */
function plainResult(v: Value, held: Map<object, number>, at: Path, shared: Shared[], walk: { size: number }): boolean {
  if (at.length > MAX_DEPTH || ++walk.size > MAX_RESULT) return false;
  const inArgs = held.get(v);
  if (inArgs !== undefined) { shared.push({ inResult: at, inArgs }); return true; }
  switch (v.k) {
    case 'nil': case 'bool': case 'int': case 'float': case 'unknown': return true;
    case 'sym': case 'str': walk.size += v.v.length; return walk.size <= MAX_RESULT;
    case 'array': return v.items.every((x, i) => plainResult(x, held, [...at, i], shared, walk));
    case 'hash': return !defaultOf(v) && [...v.map].every(([k, e]) => plainResult(e.key, held, [...at, `k${k}`], shared, walk) && plainResult(e.value, held, [...at, `v${k}`], shared, walk));
    default: return false;
  }
}

/** The value at a path inside a result. */
function at(root: Value, path: Path): Value {
  let v = root;
  for (const p of path) v = step(v, p);
  return v;
}

function step(v: Value, p: number | string): Value {
  if (typeof p === 'number') return (v as Extract<Value, { k: 'array' }>).items[p];
  const e = (v as Extract<Value, { k: 'hash' }>).map.get(p.slice(1))!;
  return p[0] === 'k' ? e.key : e.value;
}

/** The kept result for this call: a copy, with the parts that were the arguments' own values taken from these arguments. */
function resultFor(kept: Entry, args: Value[]): Value {
  if (!kept.shared.length) return copyContainers(kept.result, 0);
  const own = containersOf(args);
  const whole = kept.shared.find((s) => s.inResult.length === 0);
  if (whole) return own[whole.inArgs];
  const copy = copyContainers(kept.result, 0);
  for (const s of kept.shared) {
    const parent = at(copy, s.inResult.slice(0, -1));
    const last = s.inResult[s.inResult.length - 1];
    const value = own[s.inArgs];
    if (typeof last === 'number') (parent as Extract<Value, { k: 'array' }>).items[last] = value;
    else {
      const h = parent as Extract<Value, { k: 'hash' }>;
      const e = h.map.get(last.slice(1))!;
      h.map.set(last.slice(1), last[0] === 'k' ? { key: value, value: e.value } : { key: e.key, value });
    }
  }
  return copy;
}
