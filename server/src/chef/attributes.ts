/**
 * Node attributes with Chef's precedence levels. Attribute files write to a level; recipes read the
 * merged view (immutable in Chef, so a read returns a plain value). Every write keeps its origin, so
 * hover and go-to-definition can say which level won and where it was set.
 */
import type { SourceLocation } from '../protocol';
import {
  type Value, type RubyObject, type CallContext, NIL, str, arr, bool, unknown, hashOf, toS, inspect, fromJson, copyContainers,
} from '../ruby/values';
import { callValueMethod } from '../ruby/rubyMethods';

/**
 * Chef's precedence components, lowest first: cookbook defaults, then the environment's and the
 * roles' (or the policy's) defaults, force_default, normal (chef-client -j), overrides in the mirror
 * order, and Ohai's automatic values.
 */
export const LEVELS = ['default', 'env_default', 'role_default', 'force_default', 'normal', 'override', 'role_override', 'env_override', 'force_override', 'automatic'] as const;
export type Level = (typeof LEVELS)[number];

export interface AttributeOrigin {
  level: Level;
  path: string[];
  value: Value;
  loc?: SourceLocation;
  /** Who set it, when not an attributes file (`role web`, `environment production`, `--attribute`). */
  source?: string;
}

type HashValue = Extract<Value, { k: 'hash' }>;

/** Attribute keys are strings in Chef (symbols are converted). */
function keyName(k: Value): string | undefined {
  if (k.k === 'str' || k.k === 'sym') return k.v;
  if (k.k === 'int') return String(k.v);
  return undefined;
}

/**
 * Containers (hashes, arrays, strings) that belong to a snapshot of a store: several compilations
 * share them, so nothing changes them in place. A store copies such a hash before writing into it
 * and hands out copies of them; its own containers it changes and hands out as before.
 */
const SHARED = new WeakSet<object>();

/** Origins by path, as a tree that stores copy on write like the attribute hashes. */
interface OriginNode {
  list?: AttributeOrigin[];
  kids?: Map<string, OriginNode>;
}

/** What a store holds at one moment, frozen: restored into another compilation's store, shared by all. */
export interface StoreSnapshot {
  readonly roots: ReadonlyMap<Level, HashValue>;
  readonly origins: OriginNode;
}

export class AttributeStore {
  private roots = new Map<Level, HashValue>(LEVELS.map((l) => [l, hashOf([]) as HashValue]));
  private originRoot: OriginNode = {};
  /** Hashes and origin nodes this store made since its last snapshot (the rest are shared: copied before a write). */
  private readonly ownHashes = new Set<HashValue>();
  private readonly ownOrigins = new Set<OriginNode>();
  /** The snapshot this store holds exactly (restored or just taken, nothing written since), else undefined. */
  private unchangedSince?: StoreSnapshot;

  constructor() {
    for (const h of this.roots.values()) this.ownHashes.add(h);
    this.ownOrigins.add(this.originRoot);
  }

  /** Loads the automatic level from platform facts (ohai-style JSON). */
  setAutomatic(json: Record<string, unknown>): void {
    this.unchangedSince = undefined;
    const root = fromJson(json) as HashValue;
    this.roots.set('automatic', root);
    this.ownHashes.add(root);
  }

  /**
   * Freezes what the store holds and returns it: later writes here copy what they change, so the
   * snapshot stays as it is and may be restored into any number of other stores.
   */
  snapshot(): StoreSnapshot {
    // Everything reachable becomes shared (a shared hash's contents are all shared already).
    for (const root of this.roots.values()) share(root, 0);
    this.ownHashes.clear();
    this.ownOrigins.clear();
    return (this.unchangedSince = { roots: new Map(this.roots), origins: this.originRoot });
  }

  /**
   * A token that is the same object exactly when two stores hold the same snapshot unchanged, for
   * the call memo (what a helper read from the node is what it would read again); undefined after a
   * write, until the next snapshot or restore.
   */
  memoToken(): object | undefined {
    return this.unchangedSince;
  }

  /** Makes this store hold exactly what the snapshot holds. */
  restore(s: StoreSnapshot): void {
    this.unchangedSince = s;
    this.roots = new Map(s.roots);
    this.originRoot = s.origins;
    this.ownHashes.clear();
    this.ownOrigins.clear();
  }

  /** The raw value at one level, or undefined when that level does not have the path (never to be changed in place). */
  atLevel(level: Level, path: string[]): Value | undefined {
    let cur: Value = this.roots.get(level)!;
    for (const p of path) {
      if (cur.k !== 'hash') return undefined;
      const next: Value | undefined = cur.map.get('s:' + p)?.value;
      if (next === undefined) return undefined;
      cur = next;
    }
    return cur;
  }

  /**
   * The value at one level that its caller may change in place (`default['a']['list'] << x`): it,
   * what it holds and the hashes above it are made this store's own (shared ones are copied first).
   */
  mutableAt(level: Level, path: string[]): Value | undefined {
    this.unchangedSince = undefined;
    if (this.atLevel(level, path) === undefined) return undefined;
    if (!path.length) return this.ownDeep(this.ownRoot(level), 0);
    const parent = this.ownPath(level, path.slice(0, -1));
    const key = 's:' + path[path.length - 1];
    const entry = parent.map.get(key)!;
    if (entry.value.k === 'hash') return this.ownDeep(this.ownChild(parent, key, entry.value), 0);
    if (!holdsShared(entry.value, 0)) return entry.value;
    const copy = copyContainers(entry.value, 0);
    parent.map.set(key, { key: entry.key, value: copy });
    return copy;
  }

  /** Makes everything an own hash holds this store's own (a hash held twice is looked at once). */
  private ownDeep(h: HashValue, depth: number, seen = new Set<Value>()): HashValue {
    if (depth > 32 || seen.has(h)) return h;
    seen.add(h);
    for (const [k, e] of h.map) {
      const v = e.value;
      if (v.k === 'hash') this.ownDeep(this.ownChild(h, k, v), depth + 1, seen);
      else if (holdsShared(v, 0)) h.map.set(k, { key: e.key, value: copyContainers(v, 0) });
    }
    return h;
  }

  /** Writes a value at a level; intermediate hashes are created as Chef's VividMash does. */
  set(level: Level, path: string[], value: Value, loc?: SourceLocation, source?: string): void {
    this.unchangedSince = undefined;
    if (path.length === 0) return;
    const cur = this.ownPath(level, path.slice(0, -1));
    const last = path[path.length - 1];
    const stored = normalizeKeys(value);
    cur.map.set('s:' + last, { key: str(last), value: stored });
    this.addOrigin(path, { level, path, value: stored, loc, ...(source ? { source } : {}) });
  }

  /** The hash at a path of a level, made this store's own (created where missing or not a hash). */
  private ownPath(level: Level, path: string[]): HashValue {
    let cur = this.ownRoot(level);
    for (const p of path) {
      const key = 's:' + p;
      const next = cur.map.get(key)?.value;
      if (next?.k === 'hash') cur = this.ownChild(cur, key, next);
      else {
        const fresh = hashOf([]) as HashValue;
        cur.map.set(key, { key: str(p), value: fresh });
        this.ownHashes.add(fresh);
        cur = fresh;
      }
    }
    return cur;
  }

  private ownRoot(level: Level): HashValue {
    const root = this.roots.get(level)!;
    if (this.ownHashes.has(root)) return root;
    const copy: HashValue = { k: 'hash', map: new Map(root.map) };
    this.roots.set(level, copy);
    this.ownHashes.add(copy);
    return copy;
  }

  /** A hash stored under `key` of an own hash, made this store's own. */
  private ownChild(parent: HashValue, key: string, child: HashValue): HashValue {
    if (this.ownHashes.has(child)) return child;
    if (!SHARED.has(child)) { this.ownHashes.add(child); return child; }
    const copy: HashValue = { k: 'hash', map: new Map(child.map) };
    parent.map.set(key, { key: parent.map.get(key)!.key, value: copy });
    this.ownHashes.add(copy);
    return copy;
  }

  private addOrigin(path: string[], origin: AttributeOrigin): void {
    let node = this.ownOriginRoot();
    for (const p of path) {
      const kids = node.kids ?? (node.kids = new Map());
      const next = kids.get(p);
      let own: OriginNode;
      if (!next) own = {};
      else if (this.ownOrigins.has(next)) own = next;
      else own = { ...(next.list ? { list: [...next.list] } : {}), ...(next.kids ? { kids: new Map(next.kids) } : {}) };
      if (own !== next) { kids.set(p, own); this.ownOrigins.add(own); }
      node = own;
    }
    (node.list ??= []).push(origin);
  }

  private ownOriginRoot(): OriginNode {
    if (this.ownOrigins.has(this.originRoot)) return this.originRoot;
    const r = this.originRoot;
    this.originRoot = { ...(r.list ? { list: [...r.list] } : {}), ...(r.kids ? { kids: new Map(r.kids) } : {}) };
    this.ownOrigins.add(this.originRoot);
    return this.originRoot;
  }

  /** Every level that set exactly this path, in order of writing. */
  originsAt(path: string[]): AttributeOrigin[] | undefined {
    let node: OriginNode | undefined = this.originRoot;
    for (const p of path) { node = node.kids?.get(p); if (!node) return undefined; }
    return node.list;
  }

  /**
   * The merged value at a path (highest precedence wins; hashes merge deeply), as a copy: Chef's
   * merged attributes are read-only, so changing what a recipe read changes nothing in the node.
   */
  read(path: string[]): Value | undefined {
    // `peek` and a copy in one pass: a hash met again at a higher level merges into the copy.
    let merged: Value | undefined;
    let copied = false;
    let copies: Map<Value, Value> | undefined;
    for (const level of LEVELS) {
      const v = this.atLevel(level, path);
      if (v === undefined) continue;
      if (merged?.k === 'hash' && v.k === 'hash') {
        copies ??= new Map();
        if (!copied) { merged = copyContainers(merged, 0, copies); copied = true; }
        mergeCopy(merged as HashValue, v, 0, copies);
      } else {
        merged = v;
        copied = false;
      }
    }
    if (merged === undefined || copied) return merged;
    if (merged.k === 'str') return { k: 'str', v: merged.v };
    return merged.k === 'array' || merged.k === 'hash' ? copyContainers(merged, 0, copies) : merged;
  }

  /** The merged value, sharing the stored values: for reading only, never to be changed or handed to Ruby code. */
  peek(path: string[]): Value | undefined {
    let merged: Value | undefined;
    for (const level of LEVELS) {
      const v = this.atLevel(level, path);
      if (v === undefined) continue;
      merged = merged && merged.k === 'hash' && v.k === 'hash' ? deepMerge(merged, v) : v.k === 'hash' ? deepMerge(hashOf([]) as HashValue, v) : v;
    }
    return merged;
  }

  /** Which level wins for a path, with every origin that set it or a parent of it. */
  explain(path: string[]): { value: Value | undefined; winner?: AttributeOrigin; origins: AttributeOrigin[] } {
    const origins: AttributeOrigin[] = [];
    for (let i = path.length; i >= 1; i--) {
      const found = this.originsAt(path.slice(0, i));
      if (found) { origins.push(...found); if (i < path.length) break; }
    }
    let winner: AttributeOrigin | undefined;
    for (const o of origins) {
      if (!winner || LEVELS.indexOf(o.level) >= LEVELS.indexOf(winner.level)) winner = o;
    }
    const auto = this.atLevel('automatic', path);
    if (auto !== undefined && (!winner || winner.level !== 'automatic')) winner = { level: 'automatic', path, value: auto };
    return { value: this.read(path), winner, origins };
  }

  /** Every attribute path that has been set (leaves and hashes), for completion. */
  paths(): string[][] {
    const out: string[][] = [];
    const walk = (v: Value, path: string[], depth: number): void => {
      if (v.k !== 'hash' || depth > 12) return;
      for (const e of v.map.values()) {
        const p = [...path, toS(e.key)];
        out.push(p);
        walk(e.value, p, depth + 1);
      }
    };
    const merged = this.peek([]);
    if (merged) walk(merged, [], 0);
    return out;
  }

  /** Whether anything (at any level, including automatic) sets the path or a leaf above it. */
  isSet(path: string[]): boolean {
    for (let i = path.length; i >= 1; i--) {
      const v = this.peek(path.slice(0, i));
      if (v === undefined) continue;
      // A non-hash value above the path (or an unknown) means the rest of the path is inside it.
      return i === path.length || v.k !== 'hash';
    }
    return false;
  }

  /** Whether the merged view has a value at the path (nothing copied). */
  has(path: string[]): boolean {
    return this.peek(path) !== undefined;
  }

  /** A level's value at a path as a copy Ruby code may change (`default['a'].to_h`). */
  levelCopy(level: Level, path: string[]): Value | undefined {
    const v = this.atLevel(level, path);
    return v === undefined ? undefined : copyContainers(v, 0);
  }
}

/** Whether a value is, or holds, a shared container (each container looked into once: `[a] * 100_000` costs what it holds). */
function holdsShared(v: Value, depth: number, seen = new Set<Value>()): boolean {
  if (depth > 32 || seen.has(v)) return false;
  if (v.k === 'str') return SHARED.has(v);
  if (v.k !== 'array' && v.k !== 'hash') return false;
  if (SHARED.has(v)) return true;
  seen.add(v);
  if (v.k === 'array') return v.items.some((x) => holdsShared(x, depth + 1, seen));
  for (const e of v.map.values()) if (holdsShared(e.value, depth + 1, seen)) return true;
  return false;
}

/** Marks a value and the containers in it as shared (a snapshot's). */
function share(v: Value, depth: number): void {
  if (depth > 32 || (v.k !== 'hash' && v.k !== 'array' && v.k !== 'str') || SHARED.has(v)) return;
  SHARED.add(v);
  if (v.k === 'hash') for (const e of v.map.values()) share(e.value, depth + 1);
  else if (v.k === 'array') for (const x of v.items) share(x, depth + 1);
}

/** Hash keys as Chef's VividMash stores them (strings); a hash held in several places is converted once. */
function normalizeKeys(v: Value, depth = 0, done = new Map<Value, Value>()): Value {
  if (v.k !== 'hash' || depth > 16) return v;
  const known = done.get(v);
  if (known) return known;
  const out = hashOf([...v.map.values()].map((e) => [keyName(e.key) !== undefined ? str(keyName(e.key)!) : e.key, normalizeKeys(e.value, depth + 1, done)]));
  done.set(v, out);
  return out;
}

/**
 * Deep-merges `over` into `base`, the top of a copy this read made (what `over` brings is copied; a
 * hash merged below the top is a new one, as the copy may hold a hash in two places).
 */
function mergeCopy(base: HashValue, over: HashValue, depth: number, copies: Map<Value, Value>, merged = new Map<Value, Map<Value, HashValue>>()): HashValue {
  for (const [k, e] of over.map) {
    const prev = base.map.get(k)?.value;
    let value: Value;
    if (prev?.k === 'hash' && e.value.k === 'hash' && depth < 32) {
      // The same two hashes met again (a value built as `{ a: x, b: x }`) are merged once, not once per path.
      let byOver = merged.get(prev);
      if (!byOver) merged.set(prev, byOver = new Map());
      let m = byOver.get(e.value);
      if (!m) byOver.set(e.value, m = mergeCopy({ k: 'hash', map: new Map(prev.map) }, e.value, depth + 1, copies, merged));
      value = m;
    } else value = copyContainers(e.value, depth + 1, copies);
    base.map.set(k, { key: e.key, value });
  }
  return base;
}

/** How deep precedence levels are merged; Chef's own merge would exhaust Ruby's stack long before a loop-built hash is this deep. */
const MERGE_DEPTH = 100;

/**
 * `over` merged into `base` deeply (over wins). Two hashes met again are merged once (a value built
 * as `{ a: x, b: x }` thirty times is thirty merges, not a billion); past `MERGE_DEPTH` levels the
 * merged value is unknown.
 */
function deepMerge(base: HashValue, over: HashValue, depth = 0, done = new Map<HashValue, Map<HashValue, Value>>()): HashValue {
  const out = hashOf([]) as HashValue;
  for (const [k, e] of base.map) out.map.set(k, e);
  for (const [k, e] of over.map) {
    const prev = out.map.get(k)?.value;
    out.map.set(k, { key: e.key, value: prev?.k === 'hash' && e.value.k === 'hash' ? mergedOnce(prev, e.value, depth + 1, done) : e.value });
  }
  return out;
}

function mergedOnce(base: HashValue, over: HashValue, depth: number, done: Map<HashValue, Map<HashValue, Value>>): Value {
  if (depth > MERGE_DEPTH) return unknown(`attributes nested more than ${MERGE_DEPTH} levels deep are not merged statically`);
  let byOver = done.get(base);
  if (!byOver) done.set(base, byOver = new Map());
  let merged = byOver.get(over);
  if (!merged) byOver.set(over, merged = deepMerge(base, over, depth, done));
  return merged;
}

/** Paths are resolved from key arguments; an unknown key makes the whole access unknown. */
function keysOf(args: Value[]): string[] | Value {
  const out: string[] = [];
  for (const a of args) {
    const k = keyName(a);
    if (k === undefined) return a.k === 'unknown' ? a : unknown(`attribute key ${inspect(a)} is not a string`);
    out.push(k);
  }
  return out;
}

/** How a read of a path that nothing sets is reported (roles, environments and policies may set it). */
export function unsetAttribute(path: string[], loc?: SourceLocation): Value {
  return unknown(`node${path.map((p) => `['${p}']`).join('')} is not set by any attributes file in the workspace (a role, environment or policy may set it)`, loc);
}

/**
 * `default['a']['b']`, `node.override['x']`: a view that writes to one precedence level.
 * Reads through it return that level's value, as Chef does.
 */
export class AttributeWriter implements RubyObject {
  readonly className = 'Chef::Node::VividMash';
  constructor(
    private readonly store: AttributeStore,
    private readonly level: Level,
    private readonly path: string[],
    /** `default_unless`: only write where the level has nothing yet. */
    private readonly unless = false,
  ) {}

  describe(): string {
    return `node.${this.level}${this.path.map((p) => `['${p}']`).join('')}`;
  }

  private levelValue(): Value {
    return this.store.atLevel(this.level, this.path) ?? NIL;
  }

  call(method: string, args: Value[], ctx: CallContext): Value | undefined {
    switch (method) {
      case '[]': {
        const keys = keysOf(args);
        if (!Array.isArray(keys)) return keys;
        const sub = [...this.path, ...keys];
        const existing = this.store.atLevel(this.level, sub);
        // Leaves read as values (this level's own: `default['a']['list'] << x` changes it); hashes (or
        // missing keys, which auto-vivify) stay writable views.
        if (existing !== undefined && existing.k !== 'hash') return this.store.mutableAt(this.level, sub)!;
        return { k: 'object', obj: new AttributeWriter(this.store, this.level, sub, this.unless) };
      }
      case '[]=': case '[]||=': case 'store': {
        const value = args[args.length - 1];
        const keys = keysOf(args.slice(0, -1));
        if (!Array.isArray(keys)) return value;
        const sub = [...this.path, ...keys];
        const skip = (this.unless || method === '[]||=') && this.store.atLevel(this.level, sub) !== undefined;
        if (!skip) this.store.set(this.level, sub, value, ctx.loc);
        return value;
      }
      case '<<': case 'push': case 'concat': {
        const cur = this.levelValue();
        const extra = method === 'concat' && args[0]?.k === 'array' ? args[0].items : args;
        const next = cur.k === 'array' ? arr([...cur.items, ...extra]) : arr(extra);
        this.store.set(this.level, this.path, next, ctx.loc);
        return { k: 'object', obj: this };
      }
      case 'merge!': case 'update': case 'deep_merge!': {
        const add = args[0];
        if (add?.k === 'hash') for (const e of add.map.values()) { const k = keyName(e.key); if (k !== undefined) this.store.set(this.level, [...this.path, k], e.value, ctx.loc); }
        return { k: 'object', obj: this };
      }
      case 'delete': return NIL;
      case 'to_h': case 'to_hash': case 'dup': return this.store.levelCopy(this.level, this.path) ?? NIL;
      default:
        // Everything else acts on this level's value (key?, each, empty?, …), as Chef's VividMash does.
        return callValueMethod(this.store.mutableAt(this.level, this.path) ?? NIL, method, args, ctx);
    }
  }

  toJson() {
    return this.describe();
  }
}

/** What a run's inputs tell about the node besides attributes. */
export interface NodeRunFacts {
  environment?: string;
  roles?: string[];
  policy?: { name: string; group?: string };
  /** The node name chosen for the run (else Chef's default: the machine's fqdn). */
  nodeName?: string;
}

/** Automatic attributes the node answers by name (`node.platform`). */
const AUTOMATIC_READS = new Set(['platform', 'platform_family', 'platform_version', 'os', 'os_version', 'hostname', 'fqdn', 'domain', 'ipaddress', 'macaddress', 'kernel', 'lsb', 'cpu', 'memory', 'machinename']);

/** An attribute path a call read, and where. */
export interface NodeRead { path: string[]; loc?: SourceLocation }

/** The `node` object of recipes, templates and attribute files. */
export class NodeObject implements RubyObject {
  readonly className = 'Chef::Node';
  private readonly runState = hashOf([]);
  constructor(
    readonly store: AttributeStore,
    /** Called for every attribute path a recipe reads, for the never-set rule and hover. */
    private readonly onRead?: (path: string[], loc?: SourceLocation) => void,
    /** What the run's inputs say about the node (environment, roles, policy), when they say it. */
    private readonly run: NodeRunFacts = {},
  ) {}

  describe(): string {
    return 'node';
  }

  /** Whether code stored anything in `node.run_state`. */
  runStateUsed(): boolean {
    return this.runState.k === 'hash' && this.runState.map.size > 0;
  }

  /** What a read through `[]`, `dig`, `read` or an automatic attribute's name reads, for the call memo (replayed by {@link replayRead}). */
  memoRead(method: string, args: Value[], ctx: CallContext): NodeRead | undefined {
    if (method === '[]' || method === 'dig' || method === 'read') {
      const keys = keysOf(args);
      return Array.isArray(keys) ? { path: keys, loc: ctx.loc } : undefined;
    }
    return AUTOMATIC_READS.has(method) ? { path: [method], loc: ctx.loc } : undefined;
  }

  /** A read a kept call made, made again for what it records (the attributes a recipe read). */
  replayRead(read: NodeRead): void {
    this.onRead?.(read.path, read.loc);
  }

  /** Reads a path from the merged view. */
  readPath(path: string[], loc?: SourceLocation): Value {
    this.onRead?.(path, loc);
    const v = this.store.read(path);
    if (v !== undefined) return v;
    // A key under a hash that exists reads as nil (the cookbook defines the namespace, not this key).
    if (path.length > 1 && this.store.peek(path.slice(0, -1))?.k === 'hash') return NIL;
    return unsetAttribute(path, loc);
  }

  call(method: string, args: Value[], ctx: CallContext): Value | undefined {
    if ((LEVELS as readonly string[]).includes(method)) return { k: 'object', obj: new AttributeWriter(this.store, method as Level, []) };
    switch (method) {
      case '[]': case 'dig': case 'read': {
        const keys = keysOf(args);
        return Array.isArray(keys) ? this.readPath(keys, ctx.loc) : keys;
      }
      case 'fetch': {
        const keys = keysOf(args.slice(0, 1));
        if (!Array.isArray(keys)) return keys;
        const v = this.store.read(keys);
        return v ?? args[1] ?? unsetAttribute(keys, ctx.loc);
      }
      case 'key?': case 'has_key?': case 'attribute?': case 'exist?': case 'include?': case 'member?': {
        const keys = keysOf(args);
        if (!Array.isArray(keys)) return keys;
        return this.store.has(keys) ? bool(true) : unknown(`whether node has ${keys.join('.')} depends on roles, environments or policies`);
      }
      case 'default_unless': case 'normal_unless': case 'override_unless': case 'set_unless':
        return { k: 'object', obj: new AttributeWriter(this.store, method === 'set_unless' ? 'normal' : (method.replace('_unless', '') as Level), [], true) };
      case 'set': return { k: 'object', obj: new AttributeWriter(this.store, 'normal', []) };
      case 'run_state': return this.runState;
      case 'name': case 'node_name': {
        // Chef's node_name: the one chosen for the run, else Ohai's fqdn (see nodeName.ts: never a container's id).
        if (this.run.nodeName) return str(this.run.nodeName);
        const fqdn = this.store.read(['fqdn']);
        return fqdn?.k === 'str' && fqdn.v ? fqdn : unknown('the node name is chosen when Chef runs', ctx.loc);
      }
      case 'chef_environment': return this.run.environment !== undefined ? str(this.run.environment) : unknown('the Chef environment is chosen when Chef runs', ctx.loc);
      case 'policy_name': if (this.run.policy) return str(this.run.policy.name); return unknown('node.policy_name is chosen when Chef runs', ctx.loc);
      case 'policy_group': if (this.run.policy?.group) return str(this.run.policy.group); return unknown('node.policy_group is chosen when Chef runs', ctx.loc);
      case 'roles': if (this.run.roles) return arr(this.run.roles.map((r) => str(r))); return unknown('node.roles is chosen when Chef runs', ctx.loc);
      case 'role?': {
        const name = args[0]?.k === 'str' || args[0]?.k === 'sym' ? args[0].v : undefined;
        if (this.run.roles && name !== undefined) return bool(this.run.roles.includes(name));
        return unknown('node.role? depends on the run list', ctx.loc);
      }
      case 'run_list': case 'recipes': case 'expand!': case 'primary_runlist':
        return unknown(`node.${method} is chosen when Chef runs`, ctx.loc);
      case 'recipe?': return unknown(`node.${method} depends on the run list`, ctx.loc);
      case 'tags': return arr([]);
      case 'tag': case 'save': case 'rm': case 'rm_default': case 'rm_normal': case 'rm_override': case 'consume_attributes':
        return NIL;
      case 'to_h': case 'to_hash': case 'merged_attributes': case 'attributes': return this.store.read([]) ?? hashOf([]);
      default: return AUTOMATIC_READS.has(method) ? this.readPath([method], ctx.loc) : undefined;
    }
  }
}
