/**
 * The shapes every part of the evaluator shares: the file being evaluated, environments (locals,
 * self, lexical scope, the method being run), methods written in Ruby, budgets, findings, and the
 * signals `next`/`break`/`return` and an exhausted budget travel as. A leaf module: the interpreter
 * and the modules that evaluate each node family import it, not each other.
 */
import type { SourceLocation } from '../protocol';
import type { ParsedRuby } from './prism';
import type { Value, RubyObject, CallContext } from './values';
import type { RModule, MethodEntry } from './objects';
import type { Interpreter } from './interpreter';

/* eslint-disable @typescript-eslint/no-explicit-any */
type N = any;

/** One parsed file being evaluated; locations are computed against it. */
export interface FileUnit {
  file: string;
  parsed: ParsedRuby;
}

/** A method written in Ruby: a `def`, or the block of a `define_method`. */
export interface MethodDef {
  name: string;
  node: N;
  unit: FileUnit;
  /** `libraries/helpers.rb` etc., for unknown reasons. */
  origin: string;
  /** Where constants are looked up from inside the body (Ruby's Module.nesting at the def). */
  nesting: RModule[];
  /** The scope a `define_method` block closes over. */
  closure?: Env;
}

/** Lexical context of code: the modules it is nested in, and where a `def` defines its method. */
export interface LexicalScope {
  nesting: RModule[];
  /** Unset: the singleton class of self (instance_eval semantics), or Object at a library's top level. */
  definee?: RModule;
}

const TOP_SCOPE: LexicalScope = { nesting: [] };

/** A method being run: for `super`, `__method__` and the call sites of a raise. */
export interface Frame {
  entry: MethodEntry;
  self: Value;
  args: Value[];
  block?: Value;
  callLoc?: SourceLocation;
  /** Set when a `return` happened under a condition the evaluator could not decide: the result is unknown. */
  undecidedReturn?: string;
  /** Ruby's `$~` in this method. */
  lastMatch?: Value;
}

export class Env {
  readonly vars = new Map<string, Value>();
  readonly scope: LexicalScope;
  readonly frame?: Frame;
  constructor(
    readonly parent: Env | undefined,
    public self: RubyObject,
    readonly unit: FileUnit,
    scope?: LexicalScope,
    frame?: Frame,
  ) {
    this.scope = scope ?? parent?.scope ?? TOP_SCOPE;
    this.frame = frame ?? parent?.frame;
  }

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

  /** A block's scope: sees this one's locals; self and the lexical scope may change (instance_eval, class_eval). */
  child(self: RubyObject = this.self, scope?: LexicalScope): Env {
    return new Env(this, self, this.unit, scope);
  }
}

/**
 * What the call memo (callMemo.ts) may depend on besides a call's arguments: the run's state, as a
 * token that is the same object exactly when that state is the same (undefined: not comparable now),
 * and how a kept call's reads are done again for their side records (the attributes a recipe read).
 */
export interface MemoHost {
  state(): object | undefined;
  replay(read: unknown): void;
}

export interface Budgets {
  steps: number;
  loopIterations: number;
  callDepth: number;
  /**
   * How many syntax nodes may be under evaluation at once, over every method, block and included
   * file being run: evaluation recurses on the JavaScript stack, and a long chain (`a.b.b.b…`,
   * `1 + 1 + …`) is as deep as it is long.
   */
  nesting: number;
  /**
   * How much the values one evaluation builds may add up to, in units of roughly a byte
   * (`allocations.ts`), so many medium values cannot add up to gigabytes.
   */
  allocation: number;
}

export const DEFAULT_BUDGETS: Budgets = { steps: 2_000_000, loopIterations: 5_000, callDepth: 64, nesting: 1_000, allocation: 100_000_000 };

/** A note the evaluator leaves for validation (e.g. a `raise` that would stop the run). */
export interface EvalFinding {
  code: string;
  message: string;
  loc: SourceLocation;
  severity: 'error' | 'warning' | 'info' | 'hint';
  related?: { loc: SourceLocation; message: string }[];
}

/** `next`, `break` and `return` travel as exceptions inside the evaluator only. */
export class ControlFlow { constructor(readonly kind: 'next' | 'break' | 'return', readonly value: Value) {} }
export class BudgetExceeded { constructor(readonly what: string) {} }

/** Where unresolved receiver-less calls go after self's methods and Kernel (a host's own fallback). */
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

