/**
 * A static, honest partial evaluator for the Ruby subset that cookbooks use.
 *
 * It never throws to its caller: anything it cannot know becomes an `unknown` value carrying the
 * reason and location. A condition that is unknown evaluates both branches (marked conditional);
 * a loop over an unknown collection runs its body once with an unknown element (marked repeated).
 * Budgets on steps, loop iterations and call depth mean no input can hang it.
 *
 * This class holds the state of one evaluation and dispatches each prism node to the module that
 * knows its family: literals, variables and constants, control flow, definitions (def, class,
 * module), and calls (method dispatch through the object model of objects.ts).
 */
import type { SourceLocation } from '../protocol';
import { sliceSource } from './prism';
import { type Value, type RubyObject, NIL, TRUE, FALSE, str, sym, int, unknown } from './values';
import { RubyRaise } from './errors';
import type { RModule, MethodEntry } from './objects';
import type { MemoHost } from './env';
import {
  Env, ControlFlow, BudgetExceeded, DEFAULT_BUDGETS,
  type FileUnit, type MethodDef, type LexicalScope, type Frame, type Budgets, type EvalFinding, type KernelFallback, type EvalCallContext,
} from './env';
import { RubyWorld } from './world';
import './nodeNames';
import { AllocationMeter } from './allocations';
import * as literals from './eval/literals';
import * as variables from './eval/variables';
import * as control from './eval/control';
import * as definitions from './eval/definitions';
import * as calls from './eval/calls';

export { RubyRaise };
export { Env, ControlFlow, BudgetExceeded, DEFAULT_BUDGETS };
export type { FileUnit, MethodDef, LexicalScope, Frame, Budgets, EvalFinding, KernelFallback, EvalCallContext } from './env';

/* eslint-disable @typescript-eslint/no-explicit-any */
type N = any;

export interface InterpreterOptions {
  budgets?: Budgets;
  world?: RubyWorld;
  /** Resolves constants that are not defined by the code (File, Chef::Log, …). */
  resolveConstant?: (path: string, loc: SourceLocation) => Value | undefined;
  kernel?: KernelFallback;
  /** What the host (a Chef compilation) wants natives to reach through `ctx.interp.host`. */
  host?: unknown;
}

/** What all the run-list entries of one evaluation may take together, in entries' step budgets. */
export const ENTRY_STEP_BUDGETS = 4;

/** How deep a call nested (`nesting`, `depth`), and the peaks of what encloses it, restored after it. */
interface Peaks { nesting: number; depth: number; outerNesting: number; outerDepth: number }

export class Interpreter {
  readonly budgets: Budgets;
  readonly world: RubyWorld;
  readonly resolveConstant: (path: string, loc: SourceLocation) => Value | undefined;
  readonly kernel?: KernelFallback;
  readonly host?: unknown;
  steps = 0;
  /** Steps of the run-list entries evaluated before the current one. */
  private stepsBefore = 0;
  depth = 0;
  /** What this evaluation has built, against `budgets.allocation`. */
  readonly allocations: AllocationMeter;
  /** Syntax nodes under evaluation now (bounded by `budgets.nesting`). */
  nesting = 0;
  /** The deepest `nesting` and `depth` since {@link startPeaks} (what a kept call used, callMemo.ts). */
  nestingPeak = 0;
  depthPeak = 0;
  /**
   * Counts what made an evaluation depend on more than the values it was given: a native method of
   * an object (but pure ones and the node's reads), instance, class and global variables, constants
   * holding a value, `self`, `yield`, `super`, definitions, identity tests, a bound reached
   * (callMemo.ts keeps a call only when none happened while it ran).
   */
  effects = 0;
  /** The run's state a kept call may read, and how a kept call's reads are replayed (the Chef layer's node; callMemo.ts). */
  memoHost?: MemoHost;
  /** The reads of the calls being recorded by the memo now (innermost call's list). */
  readLog?: unknown[];
  /** Files whose evaluation met the nesting bound (each is reported once). */
  private readonly tooDeepIn = new Set<string>();
  /** Reasons of the unknown conditions we are currently inside (innermost last). */
  readonly conditions: string[] = [];
  /** Reasons of the unknown collections we are currently iterating (innermost last). */
  readonly repetitions: string[] = [];
  readonly findings: EvalFinding[] = [];
  /** Top-level constants this evaluation defines (a recipe's); reads fall back to Object's. */
  readonly constants = new Map<string, Value>();
  /** Methods being run, innermost last. */
  readonly frames: Frame[] = [];
  /** Ruby's `$~` at the top level (methods keep theirs on their frame). */
  lastMatch?: Value;
  /** Class-level instance variables written during this evaluation (the world's stay as loaded). */
  private readonly moduleIvarOverlay = new Map<RModule, Map<string, Value>>();

  constructor(opts: InterpreterOptions = {}) {
    this.budgets = opts.budgets ?? DEFAULT_BUDGETS;
    this.allocations = new AllocationMeter(this.budgets.allocation ?? DEFAULT_BUDGETS.allocation);
    this.world = opts.world ?? new RubyWorld();
    this.resolveConstant = opts.resolveConstant ?? (() => undefined);
    this.kernel = opts.kernel;
    this.host = opts.host;
  }

  /**
   * Runs a body (a file, a method, a block). A `return`, `next` or `raise` in a branch the evaluator
   * could not decide makes the rest of the body conditional; that lasts until the body ends.
   */
  body(fn: () => Value): Value {
    const mark = this.conditions.length;
    try {
      return fn();
    } catch (e) {
      // A raise under a condition this body introduced (after an undecided early exit) may not
      // happen: the body's result is unknown, not a certain stop.
      if (e instanceof RubyRaise && e.conditionDepth > mark) return unknown(`may raise: ${e.message} (${this.conditions[mark]})`, e.loc);
      throw e;
    } finally { this.conditions.length = mark; }
  }

  /** Evaluates a whole file. Never throws; a certain `raise` is returned as data. */
  evalProgram(env: Env): { value: Value; raised?: RubyRaise } {
    try {
      return { value: this.body(() => this.evalNode(env.unit.parsed.tree, env)) };
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

  finding(code: string, message: string, loc: SourceLocation, severity: EvalFinding['severity'], related?: EvalFinding['related']): void {
    this.findings.push({ code, message, loc, severity, ...(related ? { related } : {}) });
  }

  /** The reason for the innermost unknown condition, if any. */
  currentCondition(): string | undefined {
    return this.conditions[this.conditions.length - 1];
  }

  currentRepetition(): string | undefined {
    return this.repetitions[this.repetitions.length - 1];
  }

  /** True inside an unknown condition or loop: a `raise` there may not happen. */
  uncertain(): boolean {
    return this.conditions.length > 0 || this.repetitions.length > 0;
  }

  /**
   * A run-list entry begins (a recipe a cookbook's run compiles on its own account): it gets the
   * step and allocation budgets afresh, so a runaway recipe leaves its cookbook's other recipes
   * analysed; the whole evaluation stays within {@link ENTRY_STEP_BUDGETS} step budgets.
   */
  startEntry(): void {
    this.stepsBefore += this.steps;
    // Past the whole bound the entry starts exhausted: its first step stops it, saying so.
    this.steps = this.stepsBefore > this.budgets.steps * ENTRY_STEP_BUDGETS ? this.budgets.steps : 0;
    this.allocations.startEntry();
  }

  /** Every step this evaluation took, over all its run-list entries. */
  get totalSteps(): number {
    return this.stepsBefore + this.steps;
  }

  /** A read the memo can follow (`RubyObject.memoRead`): the calls being recorded depend on it. */
  noteRead(read: unknown): void {
    this.readLog?.push(read);
  }

  /** Takes the steps a kept call took the first time (callMemo.ts), against the same budget. */
  chargeSteps(n: number): void {
    this.steps += n;
    if (this.steps > this.budgets.steps) throw new BudgetExceeded(`more than ${this.budgets.steps} evaluation steps`);
  }

  /** Starts measuring how deep a call nests; {@link endPeaks} fills in what it reached. */
  startPeaks(): Peaks {
    const p = { nesting: 0, depth: 0, outerNesting: this.nestingPeak, outerDepth: this.depthPeak };
    this.nestingPeak = this.nesting;
    this.depthPeak = this.depth;
    return p;
  }

  endPeaks(p: Peaks): void {
    p.nesting = this.nestingPeak;
    p.depth = this.depthPeak;
    this.nestingPeak = Math.max(p.outerNesting, p.nesting);
    this.depthPeak = Math.max(p.outerDepth, p.depth);
  }

  tick(): void {
    if (++this.steps > this.budgets.steps) throw new BudgetExceeded(`more than ${this.budgets.steps} evaluation steps`);
  }

  /** Runs `fn` marked as under an unknown condition (when `reason` is set). */
  underCondition<T>(reason: string | undefined, fn: () => T): T {
    if (reason === undefined) return fn();
    this.conditions.push(reason);
    try { return fn(); } finally { this.conditions.pop(); }
  }

  /** A Ruby raise at `loc`, carrying the call sites of the methods being run (outermost first). */
  raise(message: string, loc: SourceLocation | undefined, exceptionClass = 'RuntimeError'): never {
    throw new RubyRaise(message, loc, exceptionClass, this.frames.map((f) => f.callLoc).filter((l): l is SourceLocation => !!l), this.conditions.length);
  }

  /** An instance variable of a module, as this evaluation sees it. */
  moduleIvar(mod: RModule, name: string): Value | undefined {
    return this.moduleIvarOverlay.get(mod)?.get(name) ?? mod.ivars.get(name);
  }

  setModuleIvar(mod: RModule, name: string, value: Value, persistent = false): void {
    if (persistent) { mod.ivars.set(name, value); return; }
    let m = this.moduleIvarOverlay.get(mod);
    if (!m) this.moduleIvarOverlay.set(mod, m = new Map());
    m.set(name, value);
  }

  /** While loading libraries and resources, class state is the world's; afterwards it is per evaluation. */
  persistentModuleState = false;

  /** Evaluates statements one by one. */
  evalStatements(nodes: N[], env: Env): Value {
    let last: Value = NIL;
    for (const stmt of nodes) last = this.evalNode(stmt, env);
    return last;
  }

  evalNode(node: N, env: Env): Value {
    if (!node) return NIL;
    this.tick();
    if (this.nesting >= this.budgets.nesting) return this.tooDeep(node, env, `more than ${this.budgets.nesting} nested syntax nodes`);
    if (++this.nesting > this.nestingPeak) this.nestingPeak = this.nesting;
    try {
      return this.dispatch(node, env);
    } catch (e) {
      if (e instanceof ControlFlow || e instanceof BudgetExceeded || e instanceof RubyRaise) throw e;
      // The nesting budget is meant to come first; should the JavaScript stack still run out, the
      // node is as unknown as one past the budget.
      if (e instanceof RangeError && /call stack/i.test(e.message)) return this.tooDeep(node, env, 'the evaluator\'s stack ran out: code or a value nested too deeply');
      return unknown(`internal evaluator error at ${node.constructor?.name}: ${(e as Error)?.message ?? e}`, this.locOf(env.unit, node));
    } finally {
      this.nesting--;
    }
  }

  /** A node nested too deeply to evaluate: unknown, said once per file; what encloses it goes on. */
  private tooDeep(node: N, env: Env, what: string): Value {
    this.effects++;
    const loc = this.locOf(env.unit, node);
    if (!this.tooDeepIn.has(loc.file)) {
      this.tooDeepIn.add(loc.file);
      this.finding('nesting-too-deep', `Evaluation goes no deeper here (${what}): this expression and what it nests are not analysed.`, loc, 'info');
    }
    return unknown(`not evaluated: ${what}`, loc);
  }

  private dispatch(node: N, env: Env): Value {
    const u = env.unit;
    switch (node.constructor.name as string) {
      // The commonest kinds first (a switch on strings compares them in order).
      case 'CallNode': return calls.evalCall(this, node, env);
      case 'LocalVariableReadNode': return env.lookup(node.name) ?? NIL;
      case 'StatementsNode': return this.evalStatements(node.body, env);
      case 'SymbolNode': return sym(node.unescaped.value);
      case 'StringNode': return str(node.unescaped.value);
      case 'EmbeddedStatementsNode': return node.statements ? this.evalNode(node.statements, env) : NIL;
      case 'InterpolatedStringNode': return literals.interpolate(this, node.parts, env, (s) => str(s));
      case 'ConstantReadNode': case 'ConstantPathNode': {
        const v = variables.readConstant(this, node, env);
        // A module or object constant (`Hash`, `Chef::Log`): what it does is counted when it is called; a value's content may change.
        if (v.k !== 'object' || this.constants.size) this.effects++;
        return v;
      }
      case 'LocalVariableWriteNode': { const v = this.evalNode(node.value, env); env.assign(node.name, v); return v; }
      case 'IfNode': return control.evalIf(this, node.predicate, node.statements, node.subsequent, env, false);
      case 'ElseNode': return node.statements ? this.evalNode(node.statements, env) : NIL;
      case 'AndNode': case 'OrNode': return control.andOr(this, node, env);
      case 'HashNode': case 'KeywordHashNode': return literals.hash(this, node.elements, env);
      case 'IntegerNode': return literals.integer(node);
      case 'CaseNode': return control.evalCase(this, node, env);
      case 'BeginNode': return control.evalBegin(this, node, env);
      case 'ReturnNode': throw new ControlFlow('return', calls.argsValue(this, node.arguments_, env));
      case 'UnlessNode': return control.evalIf(this, node.predicate, node.statements, node.elseClause, env, true);
      case 'TrueNode': return TRUE;
      case 'FalseNode': return FALSE;
      case 'ArrayNode': return literals.array(this, node.elements, env);
      case 'NilNode': return NIL;
      case 'ParenthesesNode': return node.body ? this.evalNode(node.body, env) : NIL;
      case 'InstanceVariableReadNode': return variables.readIvar(this, node.name, env, node);
      case 'SelfNode': this.effects++; return { k: 'object', obj: env.self };
      case 'NextNode': throw new ControlFlow('next', calls.argsValue(this, node.arguments_, env));
      case 'ProgramNode': return this.evalNode(node.statements, env);
      case 'FloatNode': return { k: 'float', v: node.value };
      case 'RationalNode': case 'ImaginaryNode': return unknown('rational and complex numbers are not evaluated', this.locOf(u, node));
      case 'SourceFileNode': return str(u.file);
      case 'SourceLineNode': return int(this.locOf(u, node).line);
      case 'SourceEncodingNode': return str('UTF-8');
      case 'InterpolatedSymbolNode': return literals.interpolate(this, node.parts, env, (s) => sym(s));
      case 'EmbeddedVariableNode': return this.evalNode(node.variable, env);
      case 'XStringNode': case 'InterpolatedXStringNode':
        return unknown('runs a shell command while the recipe compiles', this.locOf(u, node));
      case 'RegularExpressionNode': case 'InterpolatedRegularExpressionNode': case 'MatchLastLineNode': case 'InterpolatedMatchLastLineNode':
        return literals.regexp(this, node, env);
      case 'RangeNode': return literals.range(this, node, env);
      case 'LocalVariableOrWriteNode': case 'LocalVariableAndWriteNode': case 'LocalVariableOperatorWriteNode':
        return variables.localOpWrite(this, node, env);
      case 'LocalVariableTargetNode': return NIL;
      case 'InstanceVariableWriteNode': { const v = this.evalNode(node.value, env); variables.writeIvar(this, node.name, v, env); return v; }
      case 'InstanceVariableOrWriteNode': case 'InstanceVariableAndWriteNode': case 'InstanceVariableOperatorWriteNode':
        return variables.ivarOpWrite(this, node, env);
      case 'NumberedReferenceReadNode': case 'BackReferenceReadNode': return variables.lastMatchRead(this, node, env);
      case 'GlobalVariableReadNode':
        if (node.name === '$~') return variables.lastMatchRead(this, node, env);
        this.effects++;
        return unknown(`global variable ${node.name ?? ''} is not known statically`, this.locOf(u, node));
      case 'GlobalVariableWriteNode': case 'GlobalVariableOrWriteNode': case 'GlobalVariableOperatorWriteNode': case 'GlobalVariableAndWriteNode':
        this.effects++;
        return this.evalNode(node.value, env);
      case 'ClassVariableReadNode': return variables.readClassVar(this, node, env);
      case 'ClassVariableWriteNode': case 'ClassVariableOrWriteNode': case 'ClassVariableOperatorWriteNode': case 'ClassVariableAndWriteNode':
        return variables.writeClassVar(this, node, env);
      case 'ConstantWriteNode': case 'ConstantOrWriteNode': case 'ConstantPathWriteNode': case 'ConstantPathOrWriteNode':
      case 'ConstantOperatorWriteNode': case 'ConstantPathOperatorWriteNode': case 'ConstantAndWriteNode': case 'ConstantPathAndWriteNode':
        return variables.writeConstant(this, node, env);
      case 'MultiWriteNode': return variables.multiWrite(this, node, env);
      case 'CaseMatchNode': return unknown('pattern matching (case/in) is not evaluated', this.locOf(u, node));
      case 'WhileNode': case 'UntilNode': return control.evalWhile(this, node, env, node.constructor.name === 'UntilNode');
      case 'ForNode': return control.evalFor(this, node, env);
      case 'BreakNode': throw new ControlFlow('break', calls.argsValue(this, node.arguments_, env));
      case 'RedoNode': case 'RetryNode': return unknown('retry/redo is not evaluated', this.locOf(u, node));
      case 'RescueModifierNode': return control.rescueModifier(this, node, env);
      case 'DefinedNode': this.effects++; return control.evalDefined(this, node, env);
      case 'FlipFlopNode': return unknown('flip-flop is not evaluated', this.locOf(u, node));
      case 'IndexOrWriteNode': case 'IndexAndWriteNode': case 'IndexOperatorWriteNode': return variables.indexOpWrite(this, node, env);
      case 'CallOrWriteNode': case 'CallAndWriteNode': case 'CallOperatorWriteNode': return variables.attrOpWrite(this, node, env);
      case 'LambdaNode': return { k: 'proc', proc: calls.makeProc(this, node, env) };
      case 'DefNode': this.effects++; return definitions.defineMethod(this, node, env);
      case 'ClassNode': case 'ModuleNode': this.effects++; return definitions.classBody(this, node, env);
      case 'SingletonClassNode': this.effects++; return definitions.singletonClassBody(this, node, env);
      case 'AliasMethodNode': this.effects++; return definitions.aliasMethod(this, node, env);
      case 'AliasGlobalVariableNode': case 'UndefNode': case 'PreExecutionNode': case 'PostExecutionNode': this.effects++; return NIL;
      case 'YieldNode': this.effects++; return calls.evalYield(this, node, env);
      case 'SuperNode': case 'ForwardingSuperNode': this.effects++; return calls.evalSuper(this, node, env);
      case 'SplatNode': return node.expression ? this.evalNode(node.expression, env) : NIL;
      case 'MatchWriteNode': return variables.matchWrite(this, node, env);
      case 'MatchPredicateNode': case 'MatchRequiredNode': return unknown('pattern matching is not evaluated', this.locOf(u, node));
      case 'MissingNode': return unknown('source has a syntax error here', this.locOf(u, node));
      default:
        return unknown(`${String(node.constructor.name).replace(/Node$/, '')} is not evaluated statically`, this.locOf(u, node));
    }
  }

  // The call API the Chef layer and the natives use (implemented in eval/calls.ts).

  /** A receiver-less call: self's methods (private ones too), then Kernel, then the host's fallback. */
  callFunction(name: string, args: Value[], ctx: EvalCallContext): Value {
    return calls.callFunction(this, name, args, ctx);
  }

  /** A call with a receiver value. */
  callMethod(recv: Value, name: string, args: Value[], ctx: EvalCallContext): Value {
    return calls.callMethod(this, recv, name, args, ctx);
  }

  /** Sends a method with no particular call site (used by natives and helpers). */
  send(recv: Value, name: string, args: Value[], env: Env, block?: Value): Value {
    return calls.callMethod(this, recv, name, args, this.ctx(env, block));
  }

  /** Runs a Ruby method with Ruby's parameter binding. */
  invokeMethod(def: MethodDef, self: RubyObject, args: Value[], block: Value | undefined, ctx?: EvalCallContext, entry?: MethodEntry): Value {
    return calls.invokeMethod(this, def, self, args, block, ctx, entry);
  }

  /** Calls a block or lambda with arguments (block semantics: missing args are nil, arrays splat). */
  callProc(p: Value, args: Value[], block?: Value): Value {
    return calls.callProc(this, p, args, block);
  }

  /** `instance_eval`/`class_eval` semantics: the block's body runs with another self (and lexical scope). */
  callProcWithSelf(p: Value, self: RubyObject, args: Value[] = [], opts: { vars?: Record<string, Value>; scope?: LexicalScope } = {}): Value {
    return calls.callProcWithSelf(this, p, self, args, opts);
  }

  binaryOp(l: Value, op: string, r: Value, node: N, env: Env): Value {
    return calls.binaryOp(this, l, op, r, node, env);
  }

  evalArgs(argsNode: N, env: Env) {
    return calls.evalArgs(this, argsNode, env);
  }

  /** Evaluates each branch under an unknown condition; locals set differently become unknown. */
  evalBothBranches(env: Env, label: string, branches: (N | undefined)[]): void {
    control.evalBothBranches(this, env, label, branches);
  }

  /** The context of a call; `argNodes`: the node each argument value came from (a splat's for each of its values). */
  ctx(env: Env, block?: Value, node?: N, argNodes: N[] = NO_NODES, blockNode?: N): EvalCallContext {
    return new CallSite(this, env, block, node, argNodes, blockNode);
  }
}

const NO_NODES: N[] = [];

/**
 * What a native method is told about its call. Its locations are computed when first asked for:
 * most calls never need them, and computing them for each call was a measurable part of evaluation.
 * Copied with `withBlock`, which keeps the prototype (a spread would lose the getters).
 */
class CallSite implements EvalCallContext {
  private locMemo?: SourceLocation | null;
  private nameLocMemo?: SourceLocation | null;
  private argLocsMemo?: SourceLocation[];
  constructor(
    readonly interp: Interpreter,
    readonly env: Env,
    public block: Value | undefined,
    readonly node: N | undefined,
    private readonly argNodes: N[],
    readonly blockNode: N | undefined,
  ) {}

  get loc(): SourceLocation | undefined {
    if (this.locMemo === undefined) this.locMemo = this.node ? this.interp.locOf(this.env.unit, this.node) : null;
    return this.locMemo ?? undefined;
  }

  get nameLoc(): SourceLocation | undefined {
    if (this.nameLocMemo === undefined) this.nameLocMemo = this.node?.messageLoc ? this.interp.locOf(this.env.unit, this.node.messageLoc) : null;
    return this.nameLocMemo ?? undefined;
  }

  get argLocs(): SourceLocation[] {
    return (this.argLocsMemo ??= this.argNodes.map((a) => this.interp.locOf(this.env.unit, a)));
  }

  callProc(p: Value, args: Value[]): Value {
    return this.interp.callProc(p, args);
  }
}
