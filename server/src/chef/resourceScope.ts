/**
 * `self` inside a resource block (`file '/x' do … end`): bare calls set properties, choose actions,
 * add notifications and guards. Anything else is forwarded to the enclosing scope (the recipe),
 * as Chef's method_missing does.
 */
import type { GraphGuard, SourceLocation, Timing } from '../protocol';
import {
  type Value, type RubyObject, NIL, str, arr, unknown, toS, inspect, findUnknown, truthy, hashGetName,
} from '../ruby/values';
import type { EvalCallContext } from '../ruby/interpreter';
import { type ResourceDecl, type NotificationDecl, parseTarget, propValue } from './resourceDecl';

/** Methods every resource block understands that are not properties. */
const BLOCK_METHODS = new Set([
  'action', 'notifies', 'subscribes', 'notifies_before', 'notifies_immediately', 'notifies_delayed', 'only_if', 'not_if',
  'run_action', 'delayed_action', 'lazy', 'resource_name', 'declared_type', 'cookbook_name', 'recipe_name', 'to_s', 'name',
  'instance_variable_get', 'instance_variable_set', 'helpers', 'helper', 'verify', 'updated_by_last_action',
]);

/** Names that must keep their Ruby meaning even inside a resource block. */
const PASS_THROUGH = new Set(['raise', 'fail', 'puts', 'p', 'print', 'format', 'sprintf', 'lambda', 'proc', 'require', 'Integer', 'Float', 'String', 'Array', 'loop', 'block_given?', 'binding']);

/** Setter methods of built-in resources that are plain methods in Chef, not properties. */
const RESOURCE_METHODS: Record<string, string[]> = {
  ruby_block: ['block'],
  remote_file: ['use_conditional_get', 'headers'],
  template: ['helpers', 'helper', 'helper_modules'],
};

const TIMINGS = new Set(['before', 'immediately', 'immediate', 'delayed']);

export class ResourceScope implements RubyObject {
  readonly className: string;
  private readonly ivars = new Map<string, Value>();
  private statements?: Set<unknown>;

  constructor(
    readonly decl: ResourceDecl,
    private readonly outer: RubyObject,
    /** The block (`do … end`) whose statements (through if/case/begin) may be bare property calls. */
    private readonly blockNode?: unknown,
  ) {
    this.className = `Chef::Resource(${decl.type})`;
  }

  describe(): string {
    return this.decl.id;
  }

  /** Property names take precedence over library helpers of the same name. */
  owns(name: string): boolean {
    return !!this.decl.schema?.properties.has(name) || BLOCK_METHODS.has(name) || !!RESOURCE_METHODS[this.decl.resolvedType]?.includes(name);
  }

  call(method: string, args: Value[], ctx: EvalCallContext): Value | undefined {
    const d = this.decl;
    switch (method) {
      case 'action': return args.length ? this.setAction(args, ctx) : arr(d.actions.map((a) => ({ k: 'sym', v: a } as Value)));
      case 'notifies': case 'subscribes': case 'notifies_before': case 'notifies_immediately': case 'notifies_delayed': {
        const timing = method === 'notifies_before' ? 'before' : method === 'notifies_immediately' ? 'immediately' : method === 'notifies_delayed' ? 'delayed' : undefined;
        this.addNotification(method === 'subscribes' ? 'subscribes' : 'notifies', args, ctx, timing);
        return NIL;
      }
      case 'only_if': case 'not_if': this.addGuard(method, args, ctx); return NIL;
      case 'run_action': d.compileTime = true; return NIL;
      case 'lazy': return ctx.block && ctx.block.k === 'proc' ? { k: 'lazy', proc: ctx.block.proc } : unknown('lazy without a block');
      case 'name': return args.length ? this.setProperty('name', args, ctx) : d.name;
      case 'resource_name': case 'declared_type': return { k: 'sym', v: d.type };
      case 'to_s': return str(d.id);
      case 'instance_variable_get': return this.ivars.get(toS(args[0] ?? NIL)) ?? NIL;
      case 'instance_variable_set': this.ivars.set(toS(args[0] ?? NIL), args[1] ?? NIL); return args[1] ?? NIL;
      case 'helpers': case 'helper': case 'verify': case 'updated_by_last_action': case 'delayed_action': return NIL;
      default: break;
    }
    if (RESOURCE_METHODS[d.resolvedType]?.includes(method)) {
      const value = args.length ? args[0] : ctx.block ?? NIL;
      d.props.push({ name: method, value, loc: ctx.loc!, nameLoc: ctx.nameLoc, known: true });
      return value;
    }
    if (d.schema?.properties.has(method)) {
      if (args.length === 0 && !ctx.block) return propValue(d, method) ?? this.defaultOf(method);
      return this.setProperty(method, args, ctx);
    }
    if (PASS_THROUGH.has(method)) return undefined;
    const viaOuter = this.outer.call(method, args, ctx);
    if (viaOuter !== undefined) return viaOuter;
    // A setter-shaped statement nobody understands: record it; validation reports it when the schema is
    // known. Inside an expression (`variables(x: helper('a'))`) it is a helper call we cannot see, not a property.
    if ((args.length > 0 || ctx.block) && this.isStatement(ctx.node)) return this.setProperty(method, args, ctx);
    if (!d.schema) return unknown(`property ${method} of ${d.type}, whose schema is not known`, ctx.loc);
    return undefined;
  }

  /** Whether a call is a statement of the block (found on first need: most blocks never ask). */
  private isStatement(node: unknown): boolean {
    this.statements ??= blockStatements(this.blockNode);
    return this.statements.has(node);
  }

  private defaultOf(name: string): Value {
    const prop = this.decl.schema?.properties.get(name);
    if (prop?.nameProperty || prop?.defaultKind === 'name') return this.decl.name;
    return NIL;
  }

  private setProperty(name: string, args: Value[], ctx: EvalCallContext): Value {
    const value = args.length === 0 ? ctx.block ?? NIL : args.length === 1 ? args[0] : arr(args);
    const known = !this.decl.schema || this.decl.schema.properties.has(name);
    this.decl.props.push({ name, value, loc: ctx.loc!, nameLoc: ctx.nameLoc, valueLoc: ctx.argLocs[0], known });
    return value;
  }

  private setAction(args: Value[], ctx: EvalCallContext): Value {
    const names: string[] = [];
    for (const a of args.flatMap((x) => (x.k === 'array' ? x.items : [x]))) {
      if (a.k === 'sym' || a.k === 'str') names.push(a.v);
      else names.push(`«${a.k === 'unknown' ? 'unknown: ' + a.reason : inspect(a)}»`);
    }
    this.decl.actions = names;
    this.decl.explicitAction = true;
    this.decl.actionLoc = ctx.loc;
    const words = new Map<string, SourceLocation>();
    for (const arg of argumentNodes(ctx)) for (const el of arg?.constructor.name === 'ArrayNode' ? arg.elements : [arg]) {
      const w = literalWord(ctx, el);
      if (w && !words.has(w.text)) words.set(w.text, w.loc);
    }
    this.decl.actionWordLocs = words;
    return NIL;
  }

  private addNotification(kind: 'notifies' | 'subscribes', args: Value[], ctx: EvalCallContext, fixedTiming?: Timing): void {
    const [actionV, targetV, timingV] = args;
    const n: NotificationDecl = {
      kind,
      action: actionV && (actionV.k === 'sym' || actionV.k === 'str') ? actionV.v : `«${actionV ? inspect(actionV) : 'missing'}»`,
      target: '',
      timing: fixedTiming ?? 'delayed',
      loc: ctx.loc!,
      actionLoc: literalWord(ctx, argumentNodes(ctx)[0])?.loc,
      targetLoc: ctx.argLocs[1],
    };
    if (!fixedTiming && timingV) {
      const t = timingV.k === 'sym' || timingV.k === 'str' ? timingV.v : undefined;
      if (t && TIMINGS.has(t)) n.timing = t === 'immediate' ? 'immediately' : (t as Timing);
      else if (timingV.k !== 'unknown') n.badTiming = inspect(timingV);
    }
    if (!targetV) n.malformed = 'no target given';
    else if (targetV.k === 'str') {
      n.target = targetV.v;
      const parsed = parseTarget(targetV.v);
      if (parsed) { n.targetType = parsed.type; n.targetName = parsed.name; } else n.malformed = `'${targetV.v}' is not of the form 'type[name]'`;
    } else if (targetV.k === 'object' && targetV.obj.className === 'ResourceRef') {
      const id = targetV.obj.describe();
      const parsed = parseTarget(id);
      n.target = id;
      if (parsed) { n.targetType = parsed.type; n.targetName = parsed.name; }
    } else if (targetV.k === 'hash') {
      // `resources(service: 'x')` style given inline: { service: 'x' }
      const first = [...targetV.map.values()][0];
      if (first) { n.targetType = toS(first.key); n.targetName = toS(first.value); n.target = `${n.targetType}[${n.targetName}]`; }
    } else {
      n.target = targetV.k === 'unknown' ? `«${targetV.reason}»` : inspect(targetV);
      n.targetUnknown = targetV.k === 'unknown' || !!findUnknown(targetV);
      if (!n.targetUnknown) n.malformed = `${inspect(targetV)} is not a resource or 'type[name]' string`;
    }
    this.decl.notifications.push(n);
  }

  private addGuard(kind: 'only_if' | 'not_if', args: Value[], ctx: EvalCallContext): void {
    const interp = ctx.interp;
    const g: GraphGuard = { kind, form: 'string', source: ctx.node ? interp.source(ctx.env.unit, ctx.node) : kind, location: ctx.loc! };
    const first = args[0];
    if (ctx.block && !first) {
      g.form = 'block';
      // Guard blocks run at converge time; evaluating them now is only safe because the evaluator has no side effects.
      const v = interp.callProc(ctx.block, []);
      const t = truthy(v);
      if (t === undefined) g.unknownReason = (findUnknown(v) ?? { reason: 'not known' }).reason;
      else g.value = t;
    } else if (first?.k === 'str') {
      g.command = first.v;
      const opts = args[1];
      if (opts?.k === 'hash') {
        const cwd = hashGetName(opts, 'cwd');
        if (cwd?.k === 'str') g.cwd = cwd.v;
        const env = hashGetName(opts, 'environment') ?? hashGetName(opts, 'env');
        if (env?.k === 'hash' && !findUnknown(env)) g.environment = Object.fromEntries([...env.map.values()].map((e) => [toS(e.key), toS(e.value)]));
      }
    } else if (first?.k === 'array') {
      g.form = 'array';
      const u = findUnknown(first);
      if (u) g.unknownReason = u.reason; else g.command = first.items.map(toS).join(' ');
    } else if (first?.k === 'unknown') {
      g.form = 'string';
      g.unknownReason = first.reason;
    } else if (first) {
      g.form = 'block';
      const t = truthy(first);
      if (t === undefined) g.unknownReason = 'guard value not known'; else g.value = t;
    }
    this.decl.guards.push(g);
  }
}

/** The argument nodes of the call being evaluated. */
function argumentNodes(ctx: EvalCallContext): any[] {
  return (ctx.node as any)?.arguments_?.arguments_ ?? [];
}

/** A literal symbol or string argument (`:start`, `'start'`): its text and where the word itself is. */
function literalWord(ctx: EvalCallContext, node: any): { text: string; loc: SourceLocation } | undefined {
  const kind = node?.constructor.name;
  const l = kind === 'SymbolNode' ? node.valueLoc : kind === 'StringNode' ? node.contentLoc : undefined;
  if (!l || typeof node.unescaped?.value !== 'string') return undefined;
  return { text: node.unescaped.value, loc: ctx.interp.locOf(ctx.env.unit, l) };
}

/** What `package 'x'` returns: a reference usable as a notification target or with `run_action`. */
export class ResourceRef implements RubyObject {
  readonly className = 'ResourceRef';
  constructor(readonly decl: ResourceDecl | undefined, private readonly id: string) {}
  describe(): string { return this.id; }
  toJson() { return this.id; }
  call(method: string, args: Value[], ctx: EvalCallContext): Value | undefined {
    const d = this.decl;
    if (method === 'run_action') { if (d) d.compileTime = true; return NIL; }
    if (method === 'to_s' || method === 'inspect') return str(this.id);
    if (method === 'name') return d ? d.name : unknown(`${this.id} is not declared in the workspace`);
    if (!d) return unknown(`${this.id} is not declared in the workspace`, ctx.loc);
    // edit_resource/find_resource blocks and `r.action(:x)`, `r.notifies …`, property getters.
    return new ResourceScope(d, { className: 'none', describe: () => 'none', call: () => undefined }).call(method, args, ctx);
  }
}

/** Statement nodes of a block body, looking through if/unless/case/begin but not into expressions. */
export function blockStatements(blockNode: unknown): Set<unknown> {
  const out = new Set<unknown>();
  const visit = (n: any, depth: number): void => {
    if (!n || depth > 50) return;
    switch (n.constructor.name) {
      case 'StatementsNode': for (const s of n.body) visit(s, depth + 1); return;
      case 'IfNode': visit(n.statements, depth + 1); visit(n.subsequent, depth + 1); return;
      case 'UnlessNode': visit(n.statements, depth + 1); visit(n.elseClause, depth + 1); return;
      case 'ElseNode': visit(n.statements, depth + 1); return;
      case 'CaseNode': for (const w of n.conditions) visit(w.statements, depth + 1); visit(n.elseClause, depth + 1); return;
      case 'BeginNode': visit(n.statements, depth + 1); return;
      case 'ParenthesesNode': visit(n.body, depth + 1); return;
      default: out.add(n);
    }
  };
  visit((blockNode as { body?: unknown } | undefined)?.body, 0);
  return out;
}
