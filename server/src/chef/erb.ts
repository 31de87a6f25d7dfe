/**
 * ERB templates: translated to Ruby that hands each piece of output to the template scope, keeping
 * the template's line numbers, then rendered by the static evaluator with `@variables` from the
 * template resource, `node` and the library helpers. What the evaluator cannot know becomes a hole
 * in the rendered text, with why: an expression it cannot know, text under a condition it cannot
 * decide (either branch may be written), text in a loop over a collection it cannot know.
 */
import { type Value, type RubyObject, NIL, unknown, toS, hashGetName, findUnknown } from '../ruby/values';
import type { RModule } from '../ruby/objects';
import { invokeFound } from '../ruby/eval/calls';
import { Env, type EvalCallContext, type Interpreter } from '../ruby/interpreter';
import { parseRuby } from '../ruby/prism';
import type { UnknownMarker } from '../protocol';
import { MAX_STRING_LENGTH } from '../ruby/core/limits';
import type { ChefWorld } from './dsl/chefWorld';
import { platformHelper } from './platformDsl';
import type { NodeObject } from './attributes';
import type { PlatformFacts } from './platforms';

/** The template scope's method that receives output (a name no template uses). */
const EMIT = '_cloche_emit';
/** Called last: its value tells a complete evaluation from one that stopped (a budget). */
const DONE = '_cloche_done';

/**
 * Ruby source equivalent to an ERB template (same line numbers), trimmed as Chef's Erubis trims:
 * a statement or comment tag alone on its line (only spaces before it, a line break right after
 * it) leaves neither the spaces nor the line break in the output; `-%>` after an expression drops
 * the line break that follows.
 */
export function erbToRuby(template: string): string {
  let out = '';
  let i = 0;
  let trimNextNewline = false;
  /** Whether the text that follows starts a line (the start, or after a tag whose line break was consumed). */
  let atLineStart = true;
  const emitText = (text: string) => {
    if (trimNextNewline && text.startsWith('\n')) text = text.slice(1);
    trimNextNewline = false;
    if (!text) return;
    // A double-quoted Ruby string: `#{`, `#@` and `#$` would interpolate.
    out += `${EMIT}(${JSON.stringify(text).replace(/#([{@$])/g, '\\#$1')}); ` + '\n'.repeat(countNewlines(text));
  };
  while (i < template.length) {
    const open = template.indexOf('<%', i);
    if (open < 0) { emitText(template.slice(i)); break; }
    if (template.startsWith('<%%', open)) { emitText(template.slice(i, open) + '<%'); i = open + 3; atLineStart = false; continue; }
    let text = template.slice(i, open);
    const kind = template[open + 2];
    const close = template.indexOf('%>', open + 2);
    const end = close < 0 ? template.length : close;
    const after = close < 0 ? '' : /^[ \t]*\r?\n/.exec(template.slice(close + 2))?.[0] ?? '';
    // Spaces between the start of the line and a statement or comment tag (an expression keeps them).
    const lineStart = text.lastIndexOf('\n');
    const indent: string | undefined = lineStart >= 0 ? text.slice(lineStart + 1) : atLineStart ? text : undefined;
    const alone: boolean = kind !== '=' && indent !== undefined && /^[ \t]*$/.test(indent) && after !== '';
    if (alone) text = text.slice(0, text.length - indent!.length);
    emitText(text);
    let body = template.slice(open + 2 + (kind === '=' || kind === '-' || kind === '#' ? 1 : 0), end);
    const trimRight = body.endsWith('-');
    if (trimRight) body = body.slice(0, -1);
    const lines = '\n'.repeat(countNewlines(template.slice(open, end)) + (alone ? countNewlines(after) : 0));
    if (kind === '#') out += lines;
    else if (kind === '=') {
      const expr = body.trim() || 'nil';
      out += `${EMIT}((${expr}).to_s); ${lines.slice(countNewlines(expr))}`;
    }
    // Code keeps its own line breaks (Ruby's newlines end statements), so its lines stay the template's.
    else out += `${body}; ${lines.slice(countNewlines(body))}`;
    trimNextNewline = trimRight && kind === '=';
    atLineStart = alone;
    i = close < 0 ? template.length : close + 2 + (alone ? after.length : 0);
  }
  return out + `\n${DONE}`;
}

function countNewlines(s: string): number {
  let n = 0;
  for (const c of s) if (c === '\n') n++;
  return n;
}

/** A piece of rendered text: known text, or a hole saying why it is not known. */
export type RenderedPart = string | UnknownMarker;

/** Collects the output, marking what is written under an undecided condition or loop as a hole. */
class Output {
  readonly parts: RenderedPart[] = [];
  /** Characters of known text so far: past `MAX_STRING_LENGTH` the rest is one hole, never built. */
  private length = 0;

  add(value: Value, interp: Interpreter): void {
    if (this.length > MAX_STRING_LENGTH) return;
    // The outermost uncertainty names the hole, so all text under one `if` or loop is one hole.
    const condition = interp.conditions[0], loop = interp.repetitions[0];
    if (loop !== undefined) return this.hole(`text repeated for each item of a collection not known statically (${loop})`, true);
    if (condition !== undefined) return this.hole(`text under ${condition}`, true);
    const u = findUnknown(value);
    if (u) return this.hole(u.reason, false);
    this.text(value.k === 'str' ? value.v : toS(value));
  }

  text(t: string): void {
    if (!t) return;
    this.length += t.length;
    if (this.length > MAX_STRING_LENGTH) return this.hole(`the rendered text is longer than ${MAX_STRING_LENGTH} characters, too large to evaluate statically`, false);
    const last = this.parts.length - 1;
    if (typeof this.parts[last] === 'string') this.parts[last] = (this.parts[last] as string) + t;
    else this.parts.push(t);
  }

  /** A hole; under one condition consecutive holes are one (either branch, or several pieces of one loop). */
  hole(reason: string, merge: boolean): void {
    const last = this.parts[this.parts.length - 1];
    if (merge && typeof last === 'object' && last.$unknown === reason) return;
    this.parts.push({ $unknown: reason });
  }
}

/** `self` inside a template: `@x` reads the resource's variables; its helper modules, node and platform helpers work. */
class TemplateScope implements RubyObject {
  readonly className = 'Chef::Mixin::Template::TemplateContext';
  constructor(private readonly variables: Value, private readonly node: NodeObject, private readonly facts: PlatformFacts, private readonly helperModules: RModule[],
    private readonly output: Output) {}
  describe(): string { return 'template'; }
  call(method: string, args: Value[], ctx: EvalCallContext): Value | undefined {
    if (method === EMIT) { this.output.add(args[0] ?? NIL, ctx.interp); return NIL; }
    if (method === DONE) return { k: 'sym', v: 'done' };
    for (const m of this.helperModules) {
      const r = invokeFound(ctx.interp, m.findMethod(method), { k: 'object', obj: this }, this, args, ctx);
      if (r !== undefined) return r;
    }
    if (method === 'instance_variable_get') {
      const name = toS(args[0] ?? NIL).replace(/^@/, '');
      return this.variables.k === 'hash' ? hashGetName(this.variables, name) ?? NIL : unknown('template variables are not known');
    }
    if (method === 'instance_variable_set') return args[1] ?? NIL;
    if (method === 'node') return { k: 'object', obj: this.node };
    if (method === 'render') return unknown('renders a partial template');
    return platformHelper(method, args, this.facts);
  }
}

export interface RenderResult {
  /** The whole text, when all of it is known. */
  content?: string;
  /** Why the text is not (wholly) known: the first hole's reason, or why nothing could be rendered. */
  unknown?: string;
  /** With `unknown`: the text as far as it is known, holes marked (absent when nothing is). */
  parts?: RenderedPart[];
}

export interface TemplateInputs {
  variables: Value;
  node: NodeObject;
  facts: PlatformFacts;
  world: ChefWorld;
  /** Modules given with the template resource's `helpers`. */
  helperModules: RModule[];
}

/** Renders a template file's text with the given variables. Never throws. */
export function renderErb(template: string, file: string, inputs: TemplateInputs): RenderResult {
  const parsed = parseRuby(erbToRuby(template), file);
  if (parsed.failure) return { unknown: `template is not analysed: ${parsed.failure.message}` };
  if (parsed.errors.length) return { unknown: `template has a Ruby syntax error: ${parsed.errors[0].message}` };
  const { world, node, facts } = inputs;
  const interp = world.interpreter({ facts, node });
  const output = new Output();
  const env = new Env(undefined, new TemplateScope(inputs.variables, node, facts, inputs.helperModules, output), { file, parsed });
  const { value, raised } = interp.evalProgram(env);
  if (raised) return { unknown: `template raises: ${raised.message}` };
  // Stopped before the end (a budget): the rest is not known.
  if (value.k !== 'sym' || value.v !== 'done') output.hole(value.k === 'unknown' ? value.reason : 'the template stopped before its end', false);
  const holes = output.parts.filter((p): p is UnknownMarker => typeof p !== 'string');
  if (!holes.length) return { content: output.parts.join('') };
  return output.parts.some((p) => typeof p === 'string') ? { unknown: holes[0].$unknown, parts: output.parts } : { unknown: holes[0].$unknown };
}
