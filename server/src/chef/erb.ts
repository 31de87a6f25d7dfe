/**
 * ERB templates: translated to Ruby that appends to an output string, keeping the template's line
 * numbers, then rendered by the static evaluator with `@variables` from the template resource,
 * `node` and the library helpers. What the evaluator cannot know makes the content unknown, with why.
 */
import { type Value, type RubyObject, NIL, unknown, toS, hashGetName, findUnknown } from '../ruby/values';
import type { RModule } from '../ruby/objects';
import { invokeFound } from '../ruby/eval/calls';
import { Env, type EvalCallContext } from '../ruby/interpreter';
import { parseRuby } from '../ruby/prism';
import type { ChefWorld } from './dsl/chefWorld';
import { platformHelper } from './platformDsl';
import type { NodeObject } from './attributes';
import type { PlatformFacts } from './platforms';

const OUT = '_cloche_erbout';

/** Ruby source equivalent to an ERB template (same line numbers). */
export function erbToRuby(template: string): string {
  let out = `${OUT} = ''; `;
  let i = 0;
  let trimNextNewline = false;
  const emitText = (text: string) => {
    if (trimNextNewline && text.startsWith('\n')) text = text.slice(1);
    trimNextNewline = false;
    if (!text) return;
    out += `${OUT} += ${JSON.stringify(text).replace(/#\{/g, '\\#{')}; ` + '\n'.repeat(countNewlines(text));
  };
  while (i < template.length) {
    const open = template.indexOf('<%', i);
    if (open < 0) { emitText(template.slice(i)); break; }
    if (template.startsWith('<%%', open)) { emitText(template.slice(i, open) + '<%'); i = open + 3; continue; }
    let text = template.slice(i, open);
    const kind = template[open + 2];
    if (kind === '-') text = text.replace(/[ \t]+$/, '');
    emitText(text);
    const close = template.indexOf('%>', open + 2);
    const end = close < 0 ? template.length : close;
    let body = template.slice(open + 2 + (kind === '=' || kind === '-' || kind === '#' ? 1 : 0), end);
    const trimRight = body.endsWith('-');
    if (trimRight) body = body.slice(0, -1);
    const lines = '\n'.repeat(countNewlines(template.slice(open, end)));
    if (kind === '#') out += lines;
    else if (kind === '=') out += `${OUT} += (${body.trim() || 'nil'}).to_s; ${lines}`;
    else out += `${body.replace(/\n/g, ' ')}; ${lines}`;
    trimNextNewline = trimRight;
    i = close < 0 ? template.length : close + 2;
  }
  return out + `\n${OUT}`;
}

function countNewlines(s: string): number {
  let n = 0;
  for (const c of s) if (c === '\n') n++;
  return n;
}

/** `self` inside a template: `@x` reads the resource's variables; its helper modules, node and platform helpers work. */
class TemplateScope implements RubyObject {
  readonly className = 'Chef::Mixin::Template::TemplateContext';
  constructor(private readonly variables: Value, private readonly node: NodeObject, private readonly facts: PlatformFacts, private readonly helperModules: RModule[]) {}
  describe(): string { return 'template'; }
  call(method: string, args: Value[], ctx: EvalCallContext): Value | undefined {
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
  content?: string;
  unknown?: string;
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
  if (parsed.errors.length) return { unknown: `template has a Ruby syntax error: ${parsed.errors[0].message}` };
  const { world, node, facts } = inputs;
  const interp = world.interpreter({ facts, node });
  const env = new Env(undefined, new TemplateScope(inputs.variables, node, facts, inputs.helperModules), { file, parsed });
  const { value, raised } = interp.evalProgram(env);
  if (raised) return { unknown: `template raises: ${raised.message}` };
  const u = findUnknown(value);
  if (u) return { unknown: u.reason };
  return value.k === 'str' ? { content: value.v } : { unknown: 'template did not render to text' };
}

