/**
 * A static, honest partial evaluator for the Ruby subset that cookbooks use.
 *
 * It never throws to its caller: anything it cannot know becomes an `unknown` value carrying the
 * reason and location. A condition that is unknown evaluates both branches (marked conditional);
 * a loop over an unknown collection runs its body once with an unknown element (marked repeated).
 * Budgets on steps, loop iterations and call depth mean no input can hang it.
 */
import type { SourceLocation } from '../protocol';
import { type ParsedRuby, sliceSource } from './prism';
import {
  type Value, type RubyObject, type CallContext, type ProcValue,
  NIL, TRUE, FALSE, str, sym, int, arr, bool, unknown, hashOf, truthy, isUnknown, findUnknown,
  toS, rubyEquals, hashKey,
} from './values';
import { callValueMethod, ITERATORS, safeRegex, rangeItems } from './rubyMethods';
import { RubyRaise } from './errors';

/* eslint-disable @typescript-eslint/no-explicit-any */
type N = any;

/** One parsed file being evaluated; locations are computed against it. */
export interface FileUnit {
  file: string;
  parsed: ParsedRuby;
}

/** A method defined with `def` (in a library, a recipe, an action_class or a template helper). */
export interface MethodDef {
  name: string;
  node: N;
  unit: FileUnit;
  /** `libraries/helpers.rb` etc., for unknown reasons. */
  origin: string;
}

export class Env {
  readonly vars = new Map<string, Value>();
  constructor(
    readonly parent: Env | undefined,
    public self: RubyObject,
    readonly unit: FileUnit,
    readonly methods: Map<string, MethodDef> = parent?.methods ?? new Map(),
  ) {}

  lookup(name: string): Value | undefined {
    for (let e: Env | undefined = this; e; e = e.parent) {
      const v = e.vars.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Assigns to the innermost scope that has the variable, else defines it here (Ruby block scoping). */
  assign(name: string, value: Value): void {
    for (let e: Env | undefined = this; e; e = e.parent) {
      if (e.vars.has(name)) { e.vars.set(name, value); return; }
    }
    this.vars.set(name, value);
  }

  child(self: RubyObject = this.self, methods: Map<string, MethodDef> = this.methods): Env {
    return new Env(this, self, this.unit, methods);
  }
}

export interface Budgets {
  steps: number;
  loopIterations: number;
  callDepth: number;
}

export const DEFAULT_BUDGETS: Budgets = { steps: 2_000_000, loopIterations: 5_000, callDepth: 64 };

/** A note the evaluator leaves for validation (e.g. a `raise` that would stop the run). */
export interface EvalFinding {
  code: string;
  message: string;
  loc: SourceLocation;
  severity: 'error' | 'warning' | 'info' | 'hint';
}

class ControlFlow { constructor(readonly kind: 'next' | 'break' | 'return', readonly value: Value) {} }
class BudgetExceeded { constructor(readonly what: string) {} }
export { RubyRaise };

/** Where unresolved receiver-less calls go after locals, `def`s and the self object. */
export type KernelFallback = (name: string, args: Value[], ctx: EvalCallContext) => Value | undefined;

export interface EvalCallContext extends CallContext {
  interp: Interpreter;
  env: Env;
  /** The prism CallNode (opaque outside the evaluator), for precise locations. */
  node?: N;
  /** The block as written, when the call has one. */
  blockNode?: N;
  /** Location of each argument. */
  argLocs: SourceLocation[];
  /** Location of the method name. */
  nameLoc?: SourceLocation;
}

export class Interpreter {
  private steps = 0;
  private depth = 0;
  /** Reasons of the unknown conditions we are currently inside (innermost last). */
  readonly conditions: string[] = [];
  /** Reasons of the unknown collections we are currently iterating (innermost last). */
  readonly repetitions: string[] = [];
  readonly findings: EvalFinding[] = [];
  /** Constants defined by the code (libraries, recipes). */
  readonly constants = new Map<string, Value>();

  constructor(
    readonly budgets: Budgets = DEFAULT_BUDGETS,
    /** Resolves constants that are not defined by the code (File, Chef::Log, …). */
    readonly resolveConstant: (path: string, loc: SourceLocation) => Value | undefined = () => undefined,
    readonly kernel?: KernelFallback,
  ) {}

  /** Evaluates a whole file. Never throws; a certain `raise` is returned as data. */
  evalProgram(env: Env): { value: Value; raised?: RubyRaise } {
    try {
      return { value: this.evalNode(env.unit.parsed.tree, env) };
    } catch (e) {
      if (e instanceof RubyRaise) return { value: NIL, raised: e };
      if (e instanceof BudgetExceeded) {
        this.finding('evaluation-budget', `Evaluation stopped: ${e.what}; what follows is not analysed.`, this.locOf(env.unit, env.unit.parsed.tree), 'info');
        return { value: unknown(e.what) };
      }
      if (e instanceof ControlFlow) return { value: e.value };
      return { value: unknown(`internal evaluator error: ${(e as Error)?.message ?? e}`) };
    }
  }

  /** Source location of a node (1-based line and UTF-16 column, with the end). */
  locOf(unit: FileUnit, node: N | { startOffset: number; length: number }): SourceLocation {
    const l = node && 'location' in node ? node.location : node;
    if (!l) return { file: unit.file, line: 1, column: 1, endLine: 1, endColumn: 1 };
    const start = unit.parsed.lines.position(l.startOffset);
    const end = unit.parsed.lines.position(l.startOffset + l.length);
    return { file: unit.file, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
  }

  source(unit: FileUnit, node: N): string {
    return sliceSource(unit.parsed, node.location);
  }

  finding(code: string, message: string, loc: SourceLocation, severity: EvalFinding['severity']): void {
    this.findings.push({ code, message, loc, severity });
  }

  /** The reason for the innermost unknown condition, if any. */
  currentCondition(): string | undefined {
    return this.conditions[this.conditions.length - 1];
  }

  currentRepetition(): string | undefined {
    return this.repetitions[this.repetitions.length - 1];
  }

  private tick(): void {
    if (++this.steps > this.budgets.steps) throw new BudgetExceeded(`more than ${this.budgets.steps} evaluation steps`);
  }

  /** Evaluates statements one by one; an internal error in one statement does not stop the rest. */
  evalStatements(nodes: N[], env: Env): Value {
    let last: Value = NIL;
    for (const stmt of nodes) last = this.evalNode(stmt, env);
    return last;
  }

  evalNode(node: N, env: Env): Value {
    if (!node) return NIL;
    this.tick();
    try {
      return this.dispatch(node, env);
    } catch (e) {
      if (e instanceof ControlFlow || e instanceof BudgetExceeded || e instanceof RubyRaise) throw e;
      return unknown(`internal evaluator error at ${node.constructor?.name}: ${(e as Error)?.message ?? e}`, this.locOf(env.unit, node));
    }
  }

  private dispatch(node: N, env: Env): Value {
    const u = env.unit;
    switch (node.constructor.name as string) {
      case 'ProgramNode': return this.evalNode(node.statements, env);
      case 'StatementsNode': return this.evalStatements(node.body, env);
      case 'ParenthesesNode': return node.body ? this.evalNode(node.body, env) : NIL;
      case 'NilNode': return NIL;
      case 'TrueNode': return TRUE;
      case 'FalseNode': return FALSE;
      case 'SelfNode': return { k: 'object', obj: env.self };
      case 'IntegerNode': return int(Number(node.value));
      case 'FloatNode': return { k: 'float', v: node.value };
      case 'StringNode': return str(node.unescaped.value);
      case 'SymbolNode': return sym(node.unescaped.value);
      case 'SourceFileNode': return str(u.file);
      case 'SourceLineNode': return int(this.locOf(u, node).line);
      case 'InterpolatedStringNode': return this.interpolate(node.parts, env, (s) => str(s));
      case 'InterpolatedSymbolNode': return this.interpolate(node.parts, env, (s) => sym(s));
      case 'EmbeddedStatementsNode': return node.statements ? this.evalNode(node.statements, env) : NIL;
      case 'EmbeddedVariableNode': return this.evalNode(node.variable, env);
      case 'XStringNode': case 'InterpolatedXStringNode':
        return unknown('runs a shell command while the recipe compiles', this.locOf(u, node));
      case 'RegularExpressionNode': return { k: 'regexp', source: node.unescaped.value, flags: regexFlags(this.source(u, node)) };
      case 'InterpolatedRegularExpressionNode': {
        const s = this.interpolate(node.parts, env, (x) => str(x));
        return s.k === 'str' ? { k: 'regexp', source: s.v, flags: regexFlags(this.source(u, node)) } : s;
      }
      case 'ArrayNode': return this.evalArray(node.elements, env);
      case 'HashNode': case 'KeywordHashNode': return this.evalHash(node.elements, env);
      case 'RangeNode': {
        const from = node.left ? this.evalNode(node.left, env) : NIL;
        const to = node.right ? this.evalNode(node.right, env) : NIL;
        return { k: 'range', from, to, exclusive: sliceSource(u.parsed, node.operatorLoc) === '...' };
      }
      case 'LocalVariableReadNode': return env.lookup(node.name) ?? NIL;
      case 'LocalVariableWriteNode': { const v = this.evalNode(node.value, env); env.assign(node.name, v); return v; }
      case 'LocalVariableOrWriteNode': {
        const cur = env.lookup(node.name) ?? NIL;
        const t = truthy(cur);
        if (t === true) return cur;
        const v = this.evalNode(node.value, env);
        const result = t === undefined ? unknown((cur as any).reason) : v;
        env.assign(node.name, result);
        return result;
      }
      case 'LocalVariableAndWriteNode': {
        const cur = env.lookup(node.name) ?? NIL;
        const t = truthy(cur);
        if (t === false) return cur;
        const v = this.evalNode(node.value, env);
        const result = t === undefined ? cur : v;
        env.assign(node.name, result);
        return result;
      }
      case 'LocalVariableOperatorWriteNode': {
        const cur = env.lookup(node.name) ?? NIL;
        const v = this.binaryOp(cur, node.binaryOperator, this.evalNode(node.value, env), node, env);
        env.assign(node.name, v);
        return v;
      }
      case 'LocalVariableTargetNode': return NIL;
      case 'InstanceVariableReadNode': return this.readIvar(node.name, env, node);
      case 'InstanceVariableWriteNode': { const v = this.evalNode(node.value, env); this.writeIvar(node.name, v, env); return v; }
      case 'InstanceVariableOrWriteNode': {
        const cur = this.readIvar(node.name, env, node);
        if (truthy(cur) === true) return cur;
        const v = this.evalNode(node.value, env);
        this.writeIvar(node.name, v, env);
        return v;
      }
      case 'InstanceVariableOperatorWriteNode': {
        const v = this.binaryOp(this.readIvar(node.name, env, node), node.binaryOperator, this.evalNode(node.value, env), node, env);
        this.writeIvar(node.name, v, env);
        return v;
      }
      case 'GlobalVariableReadNode': return unknown(`global variable ${node.name}`, this.locOf(u, node));
      case 'GlobalVariableWriteNode': case 'ClassVariableWriteNode': return this.evalNode(node.value, env);
      case 'ClassVariableReadNode': return unknown(`class variable ${node.name}`, this.locOf(u, node));
      case 'ConstantReadNode': case 'ConstantPathNode': return this.readConstant(node, env);
      case 'ConstantWriteNode': { const v = this.evalNode(node.value, env); this.constants.set(node.name, v); return v; }
      case 'ConstantOrWriteNode': {
        if (!this.constants.has(node.name)) this.constants.set(node.name, this.evalNode(node.value, env));
        return this.constants.get(node.name)!;
      }
      case 'ConstantPathWriteNode': {
        const v = this.evalNode(node.value, env);
        this.constants.set(constantPathName(node.target), v);
        return v;
      }
      case 'MultiWriteNode': return this.multiWrite(node, env);
      case 'AndNode': {
        const l = this.evalNode(node.left, env);
        const t = truthy(l);
        if (t === false) return l;
        const r = this.underCondition(t === undefined ? (l as any).reason : undefined, () => this.evalNode(node.right, env));
        return t === undefined ? (truthy(r) === false ? unknown((l as any).reason) : l) : r;
      }
      case 'OrNode': {
        const l = this.evalNode(node.left, env);
        const t = truthy(l);
        if (t === true) return l;
        const r = this.underCondition(t === undefined ? (l as any).reason : undefined, () => this.evalNode(node.right, env));
        return t === undefined ? l : r;
      }
      case 'IfNode': return this.evalIf(node.predicate, node.statements, node.subsequent, env, false);
      case 'UnlessNode': return this.evalIf(node.predicate, node.statements, node.elseClause, env, true);
      case 'ElseNode': return node.statements ? this.evalNode(node.statements, env) : NIL;
      case 'CaseNode': return this.evalCase(node, env);
      case 'CaseMatchNode': return unknown('pattern matching (case/in) is not evaluated', this.locOf(u, node));
      case 'WhileNode': case 'UntilNode': return this.evalWhile(node, env, node.constructor.name === 'UntilNode');
      case 'ForNode': return this.evalFor(node, env);
      case 'NextNode': throw new ControlFlow('next', this.argsValue(node.arguments_, env));
      case 'BreakNode': throw new ControlFlow('break', this.argsValue(node.arguments_, env));
      case 'ReturnNode': throw new ControlFlow('return', this.argsValue(node.arguments_, env));
      case 'BeginNode': return this.evalBegin(node, env);
      case 'RescueModifierNode': {
        try {
          return this.evalNode(node.expression, env);
        } catch (e) {
          if (e instanceof RubyRaise) return this.evalNode(node.rescueExpression, env);
          throw e;
        }
      }
      case 'DefinedNode': return this.evalDefined(node, env);
      case 'CallNode': return this.evalCall(node, env);
      case 'IndexOrWriteNode': case 'IndexAndWriteNode': case 'IndexOperatorWriteNode': return this.evalIndexWrite(node, env);
      case 'CallOrWriteNode': case 'CallAndWriteNode': case 'CallOperatorWriteNode': return this.evalAttrOpWrite(node, env);
      case 'LambdaNode': return { k: 'proc', proc: this.makeProc(node, env) };
      case 'DefNode': return this.defineMethod(node, env);
      case 'ClassNode': case 'ModuleNode': case 'SingletonClassNode': return this.evalClassBody(node, env);
      case 'AliasMethodNode': case 'AliasGlobalVariableNode': case 'UndefNode': return NIL;
      case 'YieldNode': {
        const blk = env.lookup('__block__');
        if (!blk || blk.k !== 'proc') return unknown('yield without a block', this.locOf(u, node));
        return this.callProc(blk, this.evalArgs(node.arguments_, env).values);
      }
      case 'SuperNode': case 'ForwardingSuperNode': return unknown('calls super', this.locOf(u, node));
      case 'SplatNode': return node.expression ? this.evalNode(node.expression, env) : NIL;
      case 'MatchWriteNode': return this.evalNode(node.call, env);
      case 'PreExecutionNode': case 'PostExecutionNode': return NIL;
      case 'MissingNode': return unknown('source has a syntax error here', this.locOf(u, node));
      default:
        return unknown(`${String(node.constructor.name).replace(/Node$/, '')} is not evaluated statically`, this.locOf(u, node));
    }
  }

  private interpolate(parts: N[], env: Env, make: (s: string) => Value): Value {
    let out = '';
    for (const part of parts) {
      const v = part.constructor.name === 'StringNode' ? str(part.unescaped.value) : this.evalNode(part, env);
      const u = findUnknown(v);
      if (u) return unknown(u.reason, u.loc);
      out += v.k === 'object' ? (toS(this.send(v, 'to_s', [], env) ) ) : toS(v);
    }
    return make(out);
  }

  evalArray(elements: N[], env: Env): Value {
    const items: Value[] = [];
    for (const el of elements) {
      if (el.constructor.name === 'SplatNode') {
        const v = this.evalNode(el.expression, env);
        if (v.k === 'array') items.push(...v.items);
        else if (v.k === 'unknown') return v;
        else if (v.k !== 'nil') items.push(v);
      } else items.push(this.evalNode(el, env));
    }
    return arr(items);
  }

  evalHash(elements: N[], env: Env): Value {
    const pairs: [Value, Value][] = [];
    for (const el of elements) {
      if (el.constructor.name === 'AssocSplatNode') {
        const v = el.value ? this.evalNode(el.value, env) : NIL;
        if (v.k === 'hash') for (const e of v.map.values()) pairs.push([e.key, e.value]);
        else if (v.k === 'unknown') return v;
      } else {
        const key = this.evalNode(el.key, env);
        const value = el.value?.constructor.name === 'ImplicitNode' ? this.evalNode(el.value.value, env) : this.evalNode(el.value, env);
        pairs.push([key, value]);
      }
    }
    return hashOf(pairs);
  }

  private readIvar(name: string, env: Env, node: N): Value {
    const v = env.self.call('instance_variable_get', [sym(name)], this.ctx(env, undefined, node));
    return v ?? unknown(`instance variable ${name} is not known here`, this.locOf(env.unit, node));
  }

  private writeIvar(name: string, value: Value, env: Env): void {
    env.self.call('instance_variable_set', [sym(name), value], this.ctx(env));
  }

  private readConstant(node: N, env: Env): Value {
    const name = constantPathName(node);
    const defined = this.constants.get(name) ?? this.constants.get(name.split('::').pop()!);
    if (defined) return defined;
    const loc = this.locOf(env.unit, node);
    return this.resolveConstant(name, loc) ?? unknown(`constant ${name} is not known statically`, loc);
  }

  private multiWrite(node: N, env: Env): Value {
    const v = this.evalNode(node.value, env);
    const items = v.k === 'array' ? v.items : null;
    node.lefts.forEach((t: N, i: number) => {
      const item = items ? (items[i] ?? NIL) : (i === 0 ? v : NIL);
      this.assignTarget(t, v.k === 'unknown' ? v : item, env);
    });
    if (node.rest?.expression) this.assignTarget(node.rest.expression, items ? arr(items.slice(node.lefts.length)) : v, env);
    return v;
  }

  private assignTarget(t: N, v: Value, env: Env): void {
    switch (t.constructor.name) {
      case 'LocalVariableTargetNode': case 'RequiredParameterNode': env.assign(t.name, v); break;
      case 'InstanceVariableTargetNode': this.writeIvar(t.name, v, env); break;
      case 'MultiTargetNode': {
        const items = v.k === 'array' ? v.items : [v];
        t.lefts.forEach((x: N, i: number) => this.assignTarget(x, v.k === 'unknown' ? v : (items[i] ?? NIL), env));
        break;
      }
      default: break;
    }
  }

  /** Runs `fn` marked as under an unknown condition (when `reason` is set). */
  underCondition<T>(reason: string | undefined, fn: () => T): T {
    if (reason === undefined) return fn();
    this.conditions.push(reason);
    try { return fn(); } finally { this.conditions.pop(); }
  }

  private evalIf(predicate: N, thenBody: N, elseBody: N, env: Env, negate: boolean): Value {
    const cond = this.evalNode(predicate, env);
    let t = truthy(cond);
    if (t !== undefined) {
      if (negate) t = !t;
      return t ? (thenBody ? this.evalNode(thenBody, env) : NIL) : (elseBody ? this.evalNode(elseBody, env) : NIL);
    }
    const reason = (cond as Extract<Value, { k: 'unknown' }>).reason;
    const label = `${negate ? 'unless' : 'if'} ${truncate(this.source(env.unit, predicate))} (${reason})`;
    this.evalBothBranches(env, label, [thenBody, elseBody]);
    return unknown(reason, this.locOf(env.unit, predicate));
  }

  /**
   * Evaluates each branch under an unknown condition. Local variables that the branches set
   * differently become unknown afterwards, so later code does not trust either side.
   */
  evalBothBranches(env: Env, label: string, branches: (N | undefined)[]): void {
    const before = snapshot(env);
    const results: Map<Env, Map<string, Value>>[] = [];
    for (const body of branches) {
      restore(before);
      if (body) this.underCondition(label, () => { try { this.evalNode(body, env); } catch (e) { if (!(e instanceof ControlFlow || e instanceof RubyRaise)) throw e; } });
      results.push(snapshot(env));
    }
    restore(before);
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

  private evalCase(node: N, env: Env): Value {
    const subject = node.predicate ? this.evalNode(node.predicate, env) : undefined;
    const undecided: N[] = [];
    let reason: string | undefined;
    for (const when of node.conditions) {
      let matched: boolean | undefined = false;
      for (const c of when.conditions) {
        const pattern = c.constructor.name === 'SplatNode' ? this.evalNode(c.expression, env) : this.evalNode(c, env);
        const candidates = c.constructor.name === 'SplatNode' && pattern.k === 'array' ? pattern.items : [pattern];
        for (const p of candidates) {
          const m = subject ? caseEquals(p, subject) : truthy(p);
          if (m === true) { matched = true; break; }
          if (m === undefined) { matched = undefined; reason ??= (findUnknown(subject ?? p) ?? findUnknown(p))?.reason ?? 'value not known'; }
        }
        if (matched === true) break;
      }
      if (matched === true && undecided.length === 0) return when.statements ? this.evalNode(when.statements, env) : NIL;
      if (matched === true) { undecided.push(when.statements); break; }
      if (matched === undefined) undecided.push(when.statements);
    }
    if (undecided.length === 0) return node.elseClause ? this.evalNode(node.elseClause, env) : NIL;
    const label = `case ${node.predicate ? truncate(this.source(env.unit, node.predicate)) : ''} (${reason})`;
    this.evalBothBranches(env, label, [...undecided, node.elseClause]);
    return unknown(reason ?? 'case not decided', this.locOf(env.unit, node));
  }

  private evalWhile(node: N, env: Env, until: boolean): Value {
    for (let i = 0; ; i++) {
      // Values after a cut-short loop would be guesses, so the rest of the file is not analysed.
      if (i >= this.budgets.loopIterations) throw new BudgetExceeded(`a loop ran more than ${this.budgets.loopIterations} times (line ${this.locOf(env.unit, node).line})`);
      const c = truthy(this.evalNode(node.predicate, env));
      if (c === undefined) return unknown('loop condition not known', this.locOf(env.unit, node));
      if (c === until) return NIL;
      try {
        if (node.statements) this.evalNode(node.statements, env);
      } catch (e) {
        if (e instanceof ControlFlow && e.kind === 'break') return e.value;
        if (e instanceof ControlFlow && e.kind === 'next') continue;
        throw e;
      }
    }
  }

  private evalFor(node: N, env: Env): Value {
    const coll = this.evalNode(node.collection, env);
    // `for` has no scope of its own: the index and the body's locals live in the enclosing scope.
    return this.iterate(coll, (item) => { this.assignTarget(node.index, item, env); return node.statements ? this.evalNode(node.statements, env) : NIL; }, env, node);
  }

  /** Iterates a collection for `for` loops; each/map go through rubyMethods. */
  private iterate(coll: Value, fn: (item: Value) => Value, env: Env, node: N): Value {
    const items = coll.k === 'array' ? coll.items : coll.k === 'range' ? rangeItems(coll) : undefined;
    if (!items) {
      const reason = coll.k === 'unknown' ? coll.reason : `cannot iterate ${coll.k}`;
      this.repetitions.push(reason);
      try { fn(unknown(reason, this.locOf(env.unit, node))); } catch (e) { if (!(e instanceof ControlFlow)) throw e; } finally { this.repetitions.pop(); }
      return coll;
    }
    for (const item of items.slice(0, this.budgets.loopIterations)) {
      try { fn(item); } catch (e) {
        if (e instanceof ControlFlow && e.kind === 'next') continue;
        if (e instanceof ControlFlow && e.kind === 'break') return e.value;
        throw e;
      }
    }
    return coll;
  }

  private evalBegin(node: N, env: Env): Value {
    let result: Value = NIL;
    try {
      result = node.statements ? this.evalNode(node.statements, env) : NIL;
      if (node.elseClause) result = this.evalNode(node.elseClause, env);
    } catch (e) {
      if (!(e instanceof RubyRaise) || !node.rescueClause) throw e;
      // Which clause matches depends on the exception class, which a static `raise 'msg'` does not
      // tell apart (RuntimeError): the first clause handles it, as it would for StandardError.
      const clause = node.rescueClause;
      if (clause.reference) this.assignTarget(clause.reference, unknown(`exception raised: ${e.message}`), env);
      result = clause.statements ? this.evalNode(clause.statements, env) : NIL;
    } finally {
      if (node.ensureClause?.statements) this.evalNode(node.ensureClause.statements, env);
    }
    return result;
  }

  private evalDefined(node: N, env: Env): Value {
    const v = node.value;
    switch (v.constructor.name) {
      case 'LocalVariableReadNode': return env.lookup(v.name) !== undefined ? str('local-variable') : NIL;
      case 'ConstantReadNode': case 'ConstantPathNode': {
        const c = this.readConstant(v, env);
        return c.k === 'unknown' ? unknown(c.reason) : str('constant');
      }
      case 'InstanceVariableReadNode': return unknown('defined?(@ivar) is not known statically');
      default: return unknown('defined? is not evaluated statically', this.locOf(env.unit, node));
    }
  }

  /** Arguments of a call, with keyword arguments folded into a trailing hash as Ruby 2 did. */
  evalArgs(argsNode: N, env: Env): { values: Value[]; locs: SourceLocation[]; blockArg?: Value } {
    const values: Value[] = [];
    const locs: SourceLocation[] = [];
    let blockArg: Value | undefined;
    for (const a of argsNode?.arguments_ ?? []) {
      const name = a.constructor.name;
      if (name === 'SplatNode') {
        const v = a.expression ? this.evalNode(a.expression, env) : NIL;
        const spread = v.k === 'array' ? v.items : [v];
        for (const s of spread) { values.push(s); locs.push(this.locOf(env.unit, a)); }
      } else if (name === 'BlockArgumentNode') {
        blockArg = a.expression ? this.evalNode(a.expression, env) : undefined;
      } else {
        values.push(this.evalNode(a, env));
        locs.push(this.locOf(env.unit, a));
      }
    }
    return { values, locs, blockArg };
  }

  private argsValue(argsNode: N, env: Env): Value {
    const { values } = this.evalArgs(argsNode, env);
    return values.length === 0 ? NIL : values.length === 1 ? values[0] : arr(values);
  }

  makeProc(node: N, env: Env): ProcValue {
    return { node, env, source: this.source(env.unit, node), loc: this.locOf(env.unit, node) };
  }

  ctx(env: Env, block?: Value, node?: N, argLocs: SourceLocation[] = [], blockNode?: N): EvalCallContext {
    return {
      interp: this,
      env,
      node,
      block,
      blockNode,
      argLocs,
      loc: node ? this.locOf(env.unit, node) : undefined,
      nameLoc: node?.messageLoc ? this.locOf(env.unit, node.messageLoc) : undefined,
      callProc: (p, args) => this.callProc(p, args),
    };
  }

  private evalCall(node: N, env: Env): Value {
    const name: string = node.name;
    // A block given as `do … end`/`{ }` or `&blk`.
    let block: Value | undefined;
    let blockNode: N | undefined;
    if (node.block?.constructor.name === 'BlockNode') {
      blockNode = node.block;
      block = { k: 'proc', proc: this.makeProc(node.block, env) };
    }
    if (!node.receiver) {
      if (node.isVariableCall?.()) {
        const local = env.lookup(name);
        if (local !== undefined) return local;
      }
      if (name === 'lambda' || name === 'proc') return block ?? unknown('lambda without a block');
      const { values, locs, blockArg } = this.evalArgs(node.arguments_, env);
      if (!block && node.block?.constructor.name === 'BlockArgumentNode') block = this.blockArgument(node.block, env, blockArg);
      return this.callFunction(name, values, this.ctx(env, block, node, locs, blockNode));
    }
    const recv = this.evalNode(node.receiver, env);
    if (node.isSafeNavigation?.() && recv.k === 'nil') return NIL;
    // `a && b` style operators come through here as methods on the receiver.
    const { values, locs, blockArg } = this.evalArgs(node.arguments_, env);
    if (!block && node.block?.constructor.name === 'BlockArgumentNode') block = this.blockArgument(node.block, env, blockArg);
    if (BINARY_OPERATORS.has(name) && values.length === 1) return this.binaryOp(recv, name, values[0], node, env);
    return this.callMethod(recv, name, values, this.ctx(env, block, node, locs, blockNode));
  }

  /** `&blk` or `&:sym` (Symbol#to_proc: the block calls that method on its first argument). */
  private blockArgument(arg: N, env: Env, fallback: Value | undefined): Value | undefined {
    const v = arg.expression ? this.evalNode(arg.expression, env) : fallback;
    if (v?.k !== 'sym') return v;
    return { k: 'proc', proc: { node: { symbolProc: v.v }, env, source: `&:${v.v}`, loc: this.locOf(env.unit, arg) } };
  }

  /** A receiver-less call: `def`s, then the self object, then the kernel fallback. */
  callFunction(name: string, args: Value[], ctx: EvalCallContext): Value {
    const env = ctx.env;
    const def = env.methods.get(name);
    if (def && !env.self.owns?.(name)) return this.invokeMethod(def, env.self, args, ctx.block, ctx);
    const viaSelf = env.self.call(name, args, ctx);
    if (viaSelf !== undefined) return viaSelf;
    const k = kernelFunction(name, args, ctx) ?? this.kernel?.(name, args, ctx);
    if (k !== undefined) return k;
    return unknown(`calls \`${name}\`, which Cloche does not know`, ctx.nameLoc ?? ctx.loc);
  }

  /** A call with a receiver value. */
  callMethod(recv: Value, name: string, args: Value[], ctx: EvalCallContext): Value {
    if (recv.k === 'object') {
      const r = recv.obj.call(name, args, ctx);
      if (r !== undefined) return r;
      const generic = callValueMethod(recv, name, args, ctx);
      if (generic !== undefined) return generic;
      return unknown(`calls \`${name}\` on ${recv.obj.describe()}, which Cloche does not know`, ctx.nameLoc ?? ctx.loc);
    }
    if (recv.k === 'unknown') {
      // Iterating an unknown collection: run the body once with an unknown element (marked repeated).
      if (ctx.block && ITERATORS.has(name)) {
        this.repetitions.push(recv.reason);
        try {
          const arity = name === 'each_pair' || name === 'each_with_index' || name === 'each_with_object' ? 2 : 1;
          this.callProc(ctx.block, Array.from({ length: arity }, () => unknown(recv.reason, recv.loc)));
        } catch (e) { if (!(e instanceof ControlFlow)) throw e; } finally { this.repetitions.pop(); }
      }
      return unknown(recv.reason, recv.loc);
    }
    const r = callValueMethod(recv, name, args, ctx);
    if (r !== undefined) return r;
    const u = args.map((a) => findUnknown(a)).find(Boolean);
    if (u) return unknown(u.reason, u.loc);
    return unknown(`method \`${name}\` of ${recv.k === 'str' ? 'String' : recv.k} is not evaluated statically`, ctx.nameLoc ?? ctx.loc);
  }

  /** Sends a method with no particular call site (used by helpers). */
  send(recv: Value, name: string, args: Value[], env: Env, block?: Value): Value {
    return this.callMethod(recv, name, args, this.ctx(env, block));
  }

  binaryOp(l: Value, op: string, r: Value, node: N, env: Env): Value {
    if (op === '==' || op === '!=') {
      if (l.k === 'object' && l.obj.call(op, [r], this.ctx(env, undefined, node)) !== undefined) return l.obj.call(op, [r], this.ctx(env, undefined, node))!;
      const eq = rubyEquals(l, r);
      if (eq === undefined) return unknown((findUnknown(l) ?? findUnknown(r))!.reason, this.locOf(env.unit, node));
      return bool(op === '==' ? eq : !eq);
    }
    return this.callMethod(l, op, [r], this.ctx(env, undefined, node));
  }

  /** `x[k] ||= v`, `x[k] += v`, `x[k] &&= v`. */
  private evalIndexWrite(node: N, env: Env): Value {
    const recv = this.evalNode(node.receiver, env);
    const { values } = this.evalArgs(node.arguments_, env);
    const ctx = this.ctx(env, undefined, node);
    const cur = this.callMethod(recv, '[]', values, ctx);
    const kind = node.constructor.name;
    let next: Value;
    if (kind === 'IndexOrWriteNode') {
      const t = truthy(cur);
      if (t === true) return cur;
      next = this.evalNode(node.value, env);
      if (t === undefined && recv.k !== 'object') return cur;
    } else if (kind === 'IndexAndWriteNode') {
      if (truthy(cur) === false) return cur;
      next = this.evalNode(node.value, env);
    } else {
      next = this.binaryOp(cur, node.binaryOperator, this.evalNode(node.value, env), node, env);
    }
    // `||=` on node attributes writes only when unset; objects decide through `[]=` with the flag.
    this.callMethod(recv, kind === 'IndexOrWriteNode' ? '[]||=' : '[]=', [...values, next], ctx);
    return next;
  }

  private evalAttrOpWrite(node: N, env: Env): Value {
    const recv = this.evalNode(node.receiver, env);
    const ctx = this.ctx(env, undefined, node);
    const cur = this.callMethod(recv, node.readName, [], ctx);
    let next: Value;
    if (node.constructor.name === 'CallOrWriteNode') {
      if (truthy(cur) === true) return cur;
      next = this.evalNode(node.value, env);
    } else if (node.constructor.name === 'CallAndWriteNode') {
      if (truthy(cur) === false) return cur;
      next = this.evalNode(node.value, env);
    } else {
      next = this.binaryOp(cur, node.binaryOperator, this.evalNode(node.value, env), node, env);
    }
    this.callMethod(recv, node.writeName, [next], ctx);
    return next;
  }

  private defineMethod(node: N, env: Env): Value {
    const def: MethodDef = { name: node.name, node, unit: env.unit, origin: env.unit.file };
    if (node.receiver) {
      // `def self.x` inside a module: callable as Module.x; we keep it with the module's methods.
      env.methods.set(node.name, def);
    } else {
      const viaSelf = env.self.call('__define_method__', [sym(node.name)], { ...this.ctx(env), block: { k: 'proc', proc: { node, env, source: def.name } } });
      if (viaSelf === undefined) env.methods.set(node.name, def);
    }
    return sym(node.name);
  }

  /** Class and module bodies: their `def`s become helpers; their constants are recorded. */
  private evalClassBody(node: N, env: Env): Value {
    if (!node.body) return NIL;
    const name = node.constantPath ? constantPathName(node.constantPath) : 'singleton';
    const moduleSelf = env.self.call('__module_self__', [str(name)], this.ctx(env));
    const inner = new Env(env, moduleSelf?.k === 'object' ? moduleSelf.obj : env.self, env.unit, env.methods);
    return this.evalNode(node.body, inner);
  }

  /** Invokes a user-defined method with Ruby's parameter binding. */
  invokeMethod(def: MethodDef, self: RubyObject, args: Value[], block: Value | undefined, ctx?: EvalCallContext): Value {
    if (this.depth >= this.budgets.callDepth) return unknown(`recursion deeper than ${this.budgets.callDepth} calls in \`${def.name}\``, ctx?.loc);
    const env = new Env(undefined, self, def.unit, ctx?.env.methods ?? new Map());
    if (block) env.vars.set('__block__', block);
    this.bindParams(def.node.parameters, args, env, block);
    this.depth++;
    try {
      const v = def.node.body ? this.evalNode(def.node.body, env) : NIL;
      const u = findUnknown(v);
      return u && !u.reason.includes(`\`${def.name}\``) ? unknown(`${u.reason} (in helper \`${def.name}\` from ${shortPath(def.origin)})`, u.loc) : v;
    } catch (e) {
      if (e instanceof ControlFlow && e.kind === 'return') return e.value;
      throw e;
    } finally {
      this.depth--;
    }
  }

  /** Calls a block or lambda with arguments (block semantics: missing args are nil, arrays splat). */
  callProc(p: Value, args: Value[]): Value {
    if (p.k !== 'proc' && p.k !== 'lazy') return unknown('not a block');
    const proc = p.proc;
    const node = proc.node as N;
    const outer = proc.env as Env;
    const env = outer.child();
    return this.runProcIn(node, env, args);
  }

  /** `instance_eval` semantics: the block's body runs with another self (resource blocks). */
  callProcWithSelf(p: Value, self: RubyObject, args: Value[] = [], opts: { vars?: Record<string, Value>; methods?: Map<string, MethodDef> } = {}): Value {
    if (p.k !== 'proc' && p.k !== 'lazy') return unknown('not a block');
    const outer = p.proc.env as Env;
    const env = outer.child(self, opts.methods);
    for (const [k, v] of Object.entries(opts.vars ?? {})) env.vars.set(k, v);
    return this.runProcIn(p.proc.node as N, env, args);
  }

  private runProcIn(node: N, env: Env, args: Value[]): Value {
    if (node.symbolProc) return args[0] ? this.callMethod(args[0], node.symbolProc, args.slice(1), this.ctx(env)) : unknown(`&:${node.symbolProc} called without an argument`);
    if (this.depth >= this.budgets.callDepth) return unknown(`blocks nested deeper than ${this.budgets.callDepth}`);
    const params = node.parameters?.constructor.name === 'BlockParametersNode' ? node.parameters.parameters : node.parameters;
    const numbered = node.parameters?.constructor.name === 'NumberedParametersNode' || node.parameters?.constructor.name === 'ItParametersNode';
    if (numbered) { env.vars.set('_1', args[0] ?? NIL); env.vars.set('it', args[0] ?? NIL); args.forEach((a, i) => env.vars.set(`_${i + 1}`, a)); }
    // A single array argument is splatted over several block parameters.
    const count = (params?.requireds?.length ?? 0) + (params?.optionals?.length ?? 0) + (params?.posts?.length ?? 0);
    const effective = args.length === 1 && args[0].k === 'array' && count > 1 ? args[0].items : args;
    this.bindParams(params, effective, env, undefined);
    this.depth++;
    try {
      return node.body ? this.evalNode(node.body, env) : NIL;
    } catch (e) {
      if (e instanceof ControlFlow && e.kind === 'next') return e.value;
      throw e;
    } finally {
      this.depth--;
    }
  }

  private bindParams(params: N, args: Value[], env: Env, block: Value | undefined): void {
    if (!params) return;
    let i = 0;
    const kwargs = args.length && args[args.length - 1].k === 'hash' && (params.keywords?.length || params.keywordRest) ? args[args.length - 1] : undefined;
    const positional = kwargs ? args.slice(0, -1) : args;
    for (const p of params.requireds ?? []) this.assignTarget(p, positional[i++] ?? NIL, env);
    for (const p of params.optionals ?? []) env.vars.set(p.name, i < positional.length - (params.posts?.length ?? 0) ? positional[i++] : this.evalNode(p.value, env));
    if (params.rest?.name) env.vars.set(params.rest.name, arr(positional.slice(i, positional.length - (params.posts?.length ?? 0))));
    const postStart = Math.max(i, positional.length - (params.posts?.length ?? 0));
    (params.posts ?? []).forEach((p: N, j: number) => this.assignTarget(p, positional[postStart + j] ?? NIL, env));
    for (const k of params.keywords ?? []) {
      const given = kwargs?.k === 'hash' ? kwargs.map.get(hashKey(sym(k.name)))?.value : undefined;
      env.vars.set(k.name, given ?? (k.value ? this.evalNode(k.value, env) : unknown(`missing keyword ${k.name}`)));
    }
    if (params.keywordRest?.name) env.vars.set(params.keywordRest.name, kwargs ?? hashOf([]));
    if (params.block?.name) env.vars.set(params.block.name, block ?? NIL);
  }
}

const BINARY_OPERATORS = new Set(['==', '!=', '+', '-', '*', '/', '%', '**', '<', '>', '<=', '>=', '<=>', '=~', '!~', '<<', '&', '|', '^', '===']);

/** Functions every Ruby program has. */
function kernelFunction(name: string, args: Value[], ctx: EvalCallContext): Value | undefined {
  switch (name) {
    case 'puts': case 'print': case 'p': case 'pp': case 'warn': case 'require': case 'require_relative': case 'load':
    case 'private': case 'public': case 'protected': case 'module_function': case 'extend': case 'include':
    case 'attr_accessor': case 'attr_reader': case 'attr_writer': case 'private_constant': case 'using': case 'sleep':
      return NIL;
    case 'raise': case 'fail': {
      const msg = args.length ? args.map((a) => a.k === 'str' ? a.v : a.k === 'object' ? a.obj.describe() : toS(a)).filter(Boolean).join(': ') : 'unhandled exception';
      if (ctx.interp.conditions.length || ctx.interp.repetitions.length) return NIL;
      throw new RubyRaise(msg, ctx.loc);
    }
    case 'format': case 'sprintf': {
      if (args[0]?.k !== 'str') return undefined;
      const u = args.map((a) => findUnknown(a)).find(Boolean);
      if (u) return unknown(u.reason, u.loc);
      let i = 1;
      return str(args[0].v.replace(/%([-0-9.]*)([sdfo%])/g, (_m, _w, c) => (c === '%' ? '%' : toS(args[i++] ?? NIL))));
    }
    case 'Integer': {
      const a = args[0];
      if (a?.k === 'int') return a;
      if (a?.k === 'str' && /^\s*[-+]?\d+\s*$/.test(a.v)) return int(parseInt(a.v, 10));
      if (a?.k === 'float') return int(Math.trunc(a.v));
      return a?.k === 'unknown' ? a : undefined;
    }
    case 'Float': return args[0]?.k === 'int' || args[0]?.k === 'float' ? { k: 'float', v: args[0].v } : args[0]?.k === 'str' && !isNaN(Number(args[0].v)) ? { k: 'float', v: Number(args[0].v) } : undefined;
    case 'String': return args[0] && !isUnknown(args[0]) ? str(toS(args[0])) : args[0];
    case 'Array': return args[0]?.k === 'array' ? args[0] : args[0]?.k === 'nil' ? arr([]) : args[0]?.k === 'unknown' ? args[0] : arr(args.slice(0, 1));
    case 'loop': return unknown('infinite loop is not evaluated', ctx.loc);
    case 'block_given?': return bool(ctx.env.lookup('__block__') !== undefined);
    case 'binding': case 'caller': case 'rand': case 'srand': case 'gets': case 'system': case 'exec': case 'spawn': case 'open':
      return unknown(`\`${name}\` depends on the machine at run time`, ctx.loc);
    default: return undefined;
  }
}

/** Ruby's `===` for `case/when`: classes, ranges, regexps, else equality. */
function caseEquals(pattern: Value, subject: Value): boolean | undefined {
  if (pattern.k === 'unknown' || subject.k === 'unknown') return undefined;
  if (pattern.k === 'regexp') return subject.k === 'str' || subject.k === 'sym' ? safeRegex(pattern.source, pattern.flags)?.test(subject.v) : false;
  if (pattern.k === 'range') {
    if ((subject.k === 'int' || subject.k === 'float') && (pattern.from.k === 'int' || pattern.from.k === 'float') && (pattern.to.k === 'int' || pattern.to.k === 'float')) {
      return subject.v >= pattern.from.v && (pattern.exclusive ? subject.v < pattern.to.v : subject.v <= pattern.to.v);
    }
    return undefined;
  }
  if (pattern.k === 'object' && pattern.obj.className === 'Class') {
    const r = pattern.obj.call('===', [subject], undefined as unknown as CallContext);
    return r ? truthy(r) : undefined;
  }
  return rubyEquals(pattern, subject);
}

function regexFlags(src: string): string {
  const m = /[a-z]*$/.exec(src);
  return m ? m[0].replace(/[^imx]/g, '') : '';
}

/** `A::B::C` from a constant read/path node. */
export function constantPathName(node: N): string {
  if (!node) return '';
  if (node.constructor.name === 'ConstantReadNode' || node.constructor.name === 'ConstantTargetNode') return node.name;
  if (node.constructor.name === 'ConstantPathNode' || node.constructor.name === 'ConstantPathTargetNode') {
    return node.parent ? `${constantPathName(node.parent)}::${node.name}` : node.name;
  }
  return '?';
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

function truncate(s: string, n = 60): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

function shortPath(p: string): string {
  const parts = p.split('/');
  return parts.slice(-2).join('/');
}
