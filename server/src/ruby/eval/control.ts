/**
 * Control flow. An unknown condition does not pick a side: both branches run, marked conditional,
 * and locals they set differently become unknown. Loops over unknown collections run once, marked
 * repeated. `rescue` clauses match by the raised exception's class, as Ruby does.
 */
import { type Value, type HashEntry, NIL, str, bool, unknown, truthy, findUnknown, rubyEquals } from '../values';
import { rangeItems } from '../rubyMethods';
import { RubyRaise } from '../errors';
import { RModule, RInstance, lookupClassOf } from '../objects';
import { ControlFlow, BudgetExceeded, type Env } from '../env';
import type { Interpreter } from '../interpreter';
import { readConstant, assignTarget } from './variables';

/* eslint-disable @typescript-eslint/no-explicit-any */
type N = any;

export function andOr(it: Interpreter, node: N, env: Env): Value {
  const isAnd = node.constructor.name === 'AndNode';
  const l = it.evalNode(node.left, env);
  const t = truthy(l);
  if (isAnd ? t === false : t === true) return l;
  if (t !== undefined) return it.evalNode(node.right, env);
  const reason = (l as { reason: string }).reason;
  let r: Value;
  try {
    r = it.underCondition(reason, () => it.evalNode(node.right, env));
  } catch (e) {
    // `ok? || raise(…)`: the right side ends the body only when it runs.
    if (!(e instanceof ControlFlow || e instanceof RubyRaise)) throw e;
    if (e instanceof ControlFlow && e.kind === 'return' && env.frame) env.frame.undecidedReturn ??= reason;
    it.conditions.push(`unless the code above ends early (${reason})`);
    return unknown(reason);
  }
  // `unknown && false` is falsy and `unknown || true` truthy whichever side is the value; otherwise it stays unknown.
  const settled = truthy(r);
  const lu = l as Extract<Value, { k: 'unknown' }>;
  if (isAnd ? settled === false : settled === true) return { k: 'unknown', reason, ...(lu.loc ? { loc: lu.loc } : {}), truthy: settled };
  return { k: 'unknown', reason, ...(lu.loc ? { loc: lu.loc } : {}), ...machineTestOf(lu, r, isAnd) };
}

/**
 * The machine test of `l && r` / `l || r` when the left side is unknown: both tests joined, or
 * the left one when the right side is known and does not settle the result (its truthiness is the left's).
 */
function machineTestOf(l: Extract<Value, { k: 'unknown' }>, r: Value, isAnd: boolean): { test?: string } {
  if (!l.test) return {};
  if (r.k !== 'unknown') return { test: l.test };
  return r.test ? { test: `{ ${l.test}; } ${isAnd ? '&&' : '||'} { ${r.test}; }` } : {};
}

export function evalIf(it: Interpreter, predicate: N, thenBody: N, elseBody: N, env: Env, negate: boolean): Value {
  const cond = it.evalNode(predicate, env);
  let t = truthy(cond);
  if (t !== undefined) {
    if (negate) t = !t;
    return t ? (thenBody ? it.evalNode(thenBody, env) : NIL) : (elseBody ? it.evalNode(elseBody, env) : NIL);
  }
  const reason = (cond as Extract<Value, { k: 'unknown' }>).reason;
  const label = `${negate ? 'unless' : 'if'} ${truncate(it.source(env.unit, predicate))} (${reason})`;
  evalBothBranches(it, env, label, [thenBody, elseBody]);
  return unknown(reason, it.locOf(env.unit, predicate));
}

/**
 * Evaluates each branch under an unknown condition. Local variables that the branches set
 * differently become unknown afterwards, so later code does not trust either side.
 */
export function evalBothBranches(it: Interpreter, env: Env, label: string, branches: (N | undefined)[]): void {
  const before = snapshot(env);
  const contents = new Contents(before);
  const results: Map<Env, Map<string, Value>>[] = [];
  let exited: string | undefined;
  for (const body of branches) {
    restore(before);
    contents.restore();
    if (body) {
      it.underCondition(label, () => {
        try { it.evalNode(body, env); } catch (e) {
          if (!(e instanceof ControlFlow || e instanceof RubyRaise)) throw e;
          exited = e instanceof RubyRaise ? 'raises' : e.kind === 'return' ? 'returns' : 'ends early';
          if (e instanceof ControlFlow && e.kind === 'return' && env.frame) env.frame.undecidedReturn ??= label;
        }
      });
    }
    results.push(snapshot(env));
    contents.record();
  }
  restore(before);
  contents.merge(label);
  // One side left the body (return, next, raise): what follows runs only on the other side.
  if (exited) it.conditions.push(`unless the code above ${exited} (${label})`);
  for (const [scope, vars] of before) {
    const names = new Set<string>(vars.keys());
    for (const r of results) for (const n of r.get(scope)!.keys()) names.add(n);
    for (const name of names) {
      const values = results.map((r) => r.get(scope)!.get(name) ?? vars.get(name) ?? NIL);
      const same = values.every((v) => v === values[0] || rubyEquals(v, values[0]) === true);
      scope.vars.set(name, same ? values[0] : unknown(`set differently depending on ${label}`));
    }
  }
}

/**
 * Arrays and hashes the locals hold can be changed in place by a branch (`lines << x if cond`).
 * Their contents are kept per branch; where branches leave them different, what differs becomes
 * unknown (the common start of an array stays), so neither side is trusted.
 */
type Content = Value[] | Map<string, HashEntry> | string;

class Contents {
  private readonly originals = new Map<Value, Content>();
  private readonly outcomes: Map<Value, Content>[] = [];
  constructor(vars: Map<Env, Map<string, Value>>) {
    const visit = (v: Value, depth: number) => {
      if (depth > 3 || this.originals.has(v)) return;
      if (v.k === 'str') this.originals.set(v, v.v);
      else if (v.k === 'array') { this.originals.set(v, [...v.items]); for (const i of v.items) visit(i, depth + 1); }
      else if (v.k === 'hash') { this.originals.set(v, new Map(v.map)); for (const e of v.map.values()) visit(e.value, depth + 1); }
    };
    for (const scope of vars.values()) for (const v of scope.values()) visit(v, 0);
  }
  restore(): void {
    for (const [v, c] of this.originals) {
      if (v.k === 'str') (v as { v: string }).v = c as string;
      else if (v.k === 'array') v.items.splice(0, v.items.length, ...(c as Value[]));
      else if (v.k === 'hash') { v.map.clear(); for (const [k, e] of c as Map<string, HashEntry>) v.map.set(k, e); }
    }
  }
  record(): void {
    const now = new Map<Value, Content>();
    for (const v of this.originals.keys()) now.set(v, v.k === 'str' ? v.v : v.k === 'array' ? [...v.items] : new Map((v as { map: Map<string, HashEntry> }).map));
    this.outcomes.push(now);
  }
  merge(label: string): void {
    const differs = unknown(`set differently depending on ${label}`);
    for (const v of this.originals.keys()) {
      const seen = this.outcomes.map((o) => o.get(v)!);
      if (v.k === 'str') {
        // A string changed in place differently by the branches: every holder now sees an unknown.
        if (seen.every((x) => x === seen[0])) (v as { v: string }).v = seen[0] as string;
        else Object.assign(v as object, { k: 'unknown', reason: differs.k === 'unknown' ? differs.reason : '' });
      } else if (v.k === 'array') {
        const lists = seen as Value[][];
        let common = 0;
        while (lists.every((l) => common < l.length && (l[common] === lists[0][common] || rubyEquals(l[common], lists[0][common]) === true))) common++;
        const same = lists.every((l) => l.length === common);
        v.items.splice(0, v.items.length, ...lists[0].slice(0, common), ...(same ? [] : [differs]));
      } else if (v.k === 'hash') {
        const maps = seen as Map<string, HashEntry>[];
        v.map.clear();
        const keys = new Set(maps.flatMap((m) => [...m.keys()]));
        for (const k of keys) {
          const entries = maps.map((m) => m.get(k));
          const first = entries[0];
          const same = first && entries.every((e) => e && (e.value === first.value || rubyEquals(e.value, first.value) === true));
          v.map.set(k, same ? first! : { key: (entries.find(Boolean) as HashEntry).key, value: differs });
        }
      }
    }
  }
}

function snapshot(env: Env): Map<Env, Map<string, Value>> {
  const out = new Map<Env, Map<string, Value>>();
  for (let e: Env | undefined = env; e; e = e.parent) out.set(e, new Map(e.vars));
  return out;
}

function restore(snap: Map<Env, Map<string, Value>>): void {
  for (const [scope, vars] of snap) {
    scope.vars.clear();
    for (const [k, v] of vars) scope.vars.set(k, v);
  }
}

export function evalCase(it: Interpreter, node: N, env: Env): Value {
  const subject = node.predicate ? it.evalNode(node.predicate, env) : undefined;
  const undecided: N[] = [];
  let reason: string | undefined;
  for (const when of node.conditions) {
    let matched: boolean | undefined = false;
    for (const c of when.conditions) {
      const pattern = c.constructor.name === 'SplatNode' ? it.evalNode(c.expression, env) : it.evalNode(c, env);
      const candidates = c.constructor.name === 'SplatNode' && pattern.k === 'array' ? pattern.items : [pattern];
      for (const p of candidates) {
        const r = subject ? caseEquals(it, p, subject, env) : p;
        const m = truthy(r);
        if (m === true) { matched = true; break; }
        if (m === undefined) { matched = undefined; reason ??= r.k === 'unknown' ? r.reason : (findUnknown(subject ?? p) ?? findUnknown(p))?.reason ?? 'value not known'; }
      }
      if (matched === true) break;
    }
    if (matched === true && undecided.length === 0) return when.statements ? it.evalNode(when.statements, env) : NIL;
    if (matched === true) { undecided.push(when.statements); break; }
    if (matched === undefined) undecided.push(when.statements);
  }
  if (undecided.length === 0) return node.elseClause ? it.evalNode(node.elseClause, env) : NIL;
  const label = `case ${node.predicate ? truncate(it.source(env.unit, node.predicate)) : ''} (${reason})`;
  evalBothBranches(it, env, label, [...undecided, node.elseClause]);
  return unknown(reason ?? 'case not decided', it.locOf(env.unit, node));
}

/** Ruby's `===` for `case/when` (true, false or an unknown): classes, ranges, regexps (setting `$~`), else equality. */
function caseEquals(it: Interpreter, pattern: Value, subject: Value, env: Env): Value {
  if (pattern.k === 'unknown') return pattern;
  if (subject.k === 'unknown') return subject;
  if (pattern.k === 'regexp' || pattern.k === 'range' || pattern.k === 'object' || pattern.k === 'proc') return it.send(pattern, '===', [subject], env);
  const eq = rubyEquals(pattern, subject);
  return eq === undefined ? unknown((findUnknown(pattern) ?? findUnknown(subject))?.reason ?? 'value not known') : bool(eq);
}

export function evalWhile(it: Interpreter, node: N, env: Env, until: boolean): Value {
  // `begin … end while cond` runs its body once before the first test.
  let first = typeof node.isBeginModifier === 'function' && node.isBeginModifier();
  for (let i = 0; ; i++) {
    // Values after a cut-short loop would be guesses, so the rest of the file is not analysed.
    if (i >= it.budgets.loopIterations) throw new BudgetExceeded(`a loop ran more than ${it.budgets.loopIterations} times (line ${it.locOf(env.unit, node).line})`);
    if (!first) {
      const c = truthy(it.evalNode(node.predicate, env));
      if (c === undefined) return unknown('loop condition not known', it.locOf(env.unit, node));
      if (c === until) return NIL;
    }
    first = false;
    try {
      if (node.statements) it.evalNode(node.statements, env);
    } catch (e) {
      if (e instanceof ControlFlow && e.kind === 'break') return e.value;
      if (e instanceof ControlFlow && e.kind === 'next') continue;
      throw e;
    }
  }
}

export function evalFor(it: Interpreter, node: N, env: Env): Value {
  const coll = it.evalNode(node.collection, env);
  // `for` has no scope of its own: the index and the body's locals live in the enclosing scope.
  const body = (item: Value) => { assignTarget(it, node.index, item, env); return node.statements ? it.evalNode(node.statements, env) : NIL; };
  const items = coll.k === 'array' ? coll.items : coll.k === 'range' ? rangeItems(coll) : coll.k === 'hash' ? [...coll.map.values()].map((e) => ({ k: 'array', items: [e.key, e.value] } as Value)) : undefined;
  if (!items) {
    const reason = coll.k === 'unknown' ? coll.reason : `cannot iterate ${coll.k}`;
    it.repetitions.push(reason);
    try { body(unknown(reason, it.locOf(env.unit, node))); } catch (e) {
      if (!(e instanceof ControlFlow || e instanceof RubyRaise)) throw e;
      it.conditions.push(`unless the loop over ${reason} ends early`);
    } finally { it.repetitions.pop(); }
    return coll;
  }
  for (const item of items.slice(0, it.budgets.loopIterations)) {
    try { body(item); } catch (e) {
      if (e instanceof ControlFlow && e.kind === 'next') continue;
      if (e instanceof ControlFlow && e.kind === 'break') return e.value;
      throw e;
    }
  }
  return coll;
}

export function evalBegin(it: Interpreter, node: N, env: Env): Value {
  let result: Value = NIL;
  try {
    result = node.statements ? it.evalNode(node.statements, env) : NIL;
    if (node.elseClause) result = it.evalNode(node.elseClause, env);
  } catch (e) {
    if (!(e instanceof RubyRaise) || !node.rescueClause) throw e;
    const clause = matchingClause(it, node.rescueClause, e, env);
    if (!clause) throw e;
    if (clause.reference) assignTarget(it, clause.reference, exceptionObject(it, e), env);
    result = clause.statements ? it.evalNode(clause.statements, env) : NIL;
  } finally {
    if (node.ensureClause?.statements) it.evalNode(node.ensureClause.statements, env);
  }
  return result;
}

export function rescueModifier(it: Interpreter, node: N, env: Env): Value {
  try {
    return it.evalNode(node.expression, env);
  } catch (e) {
    // `x rescue y` rescues StandardError.
    if (e instanceof RubyRaise && isStandardError(it, e)) return it.evalNode(node.rescueExpression, env);
    throw e;
  }
}

/** The first `rescue` clause that handles the exception; an undecidable class counts as handled. */
function matchingClause(it: Interpreter, first: N, e: RubyRaise, env: Env): N | undefined {
  const raised = exceptionClass(it, e);
  for (let clause = first; clause; clause = clause.subsequent) {
    if (!clause.exceptions?.length) { if (isStandardError(it, e)) return clause; continue; }
    for (const ex of clause.exceptions) {
      const handled = ex.constructor.name === 'SplatNode' ? it.evalNode(ex.expression, env) : it.evalNode(ex, env);
      const classes = handled.k === 'array' ? handled.items : [handled];
      for (const c of classes) {
        if (c.k !== 'object' || !(c.obj instanceof RModule) || !raised) return clause;
        if (raised.isA(c.obj)) return clause;
      }
    }
  }
  return undefined;
}

function exceptionClass(it: Interpreter, e: RubyRaise): RModule | undefined {
  const c = it.world.constantAt(e.exceptionClass);
  if (c instanceof RModule) return c;
  const resolved = it.resolveConstant(e.exceptionClass, e.loc ?? { file: '', line: 1, column: 1 });
  return resolved?.k === 'object' && resolved.obj instanceof RModule ? resolved.obj : undefined;
}

function isStandardError(it: Interpreter, e: RubyRaise): boolean {
  const c = exceptionClass(it, e);
  const standard = it.world.constantAt('StandardError');
  return !c || !(standard instanceof RModule) || c.isA(standard);
}

/** The exception object a `rescue => e` clause binds: its class and message. */
function exceptionObject(it: Interpreter, e: RubyRaise): Value {
  const cls = exceptionClass(it, e) ?? (it.world.constantAt('RuntimeError') as RModule);
  const obj = new RInstance(cls, { message: e.message }, `#<${cls.name}: ${e.message}>`);
  obj.ivars.set('@message', str(e.message));
  return { k: 'object', obj };
}

export function evalDefined(it: Interpreter, node: N, env: Env): Value {
  const v = node.value;
  switch (v.constructor.name) {
    case 'LocalVariableReadNode': return env.lookup(v.name) !== undefined ? str('local-variable') : NIL;
    case 'ConstantReadNode': case 'ConstantPathNode': {
      const c = readConstant(it, v, env);
      return c.k === 'unknown' ? unknown(c.reason) : str('constant');
    }
    case 'InstanceVariableReadNode': {
      const self = env.self;
      if (self instanceof RInstance) return self.ivars.has(v.name) ? str('instance-variable') : NIL;
      if (self instanceof RModule) return it.moduleIvar(self, v.name) !== undefined ? str('instance-variable') : NIL;
      return unknown('defined?(@ivar) is not known statically');
    }
    case 'CallNode': {
      if (v.receiver) return unknown('defined? of a method call is not evaluated statically', it.locOf(env.unit, node));
      const self = env.self;
      if (self instanceof RInstance || self instanceof RModule) return lookupClassOf(self).findMethod(v.name) || it.world.object.findMethod(v.name) ? str('method') : NIL;
      return unknown('defined? of a method is not known here', it.locOf(env.unit, node));
    }
    case 'YieldNode': return env.lookup('__block__') ? str('yield') : NIL;
    default: return unknown('defined? is not evaluated statically', it.locOf(env.unit, node));
  }
}

function truncate(s: string, n = 60): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}
