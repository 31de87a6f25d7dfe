/**
 * `libraries/*.rb`: helper methods recipes call (`def fx_conf_path` in a module mixed into the
 * recipe DSL), and resource names declared by library classes (older cookbooks define resources
 * as Ruby classes there). Helpers are evaluated when called, with the caller's `self`.
 */
import type { Value, RubyObject } from '../ruby/values';
import { NIL } from '../ruby/values';
import { Interpreter, Env, type MethodDef } from '../ruby/interpreter';
import type { ParsedRuby } from '../ruby/prism';
import { resolveChefConstant } from './constants';
import type { Workspace, Cookbook } from './workspace';

export interface LibraryInfo {
  /** Helper methods by name (the last definition wins, as in Ruby). */
  helpers: Map<string, MethodDef>;
  /** Names given to resources by `resource_name :x` / `provides :x` in library classes. */
  resourceNames: Set<string>;
}

/** A library file's top-level `self`: class bodies, `include`, `require` and the like do nothing here. */
const LIBRARY_SELF: RubyObject = {
  className: 'main',
  describe: () => 'library',
  call: (method: string): Value | undefined =>
    ['include', 'extend', 'require', 'require_relative', 'attr_accessor', 'attr_reader', 'attr_writer', 'private', 'public', 'protected',
      'module_function', 'provides', 'resource_name', 'property', 'attribute', 'actions', 'default_action', 'allowed_actions', 'use_inline_resources',
      'unified_mode', 'action', 'load_current_value', 'action_class', 'alias_method', 'private_constant', 'define_method', 'helper_method'].includes(method)
      ? NIL : undefined,
};

export function loadLibraries(ws: Workspace, cookbooks: Cookbook[]): LibraryInfo {
  const helpers = new Map<string, MethodDef>();
  const resourceNames = new Set<string>();
  const interp = new Interpreter(undefined, resolveChefConstant);
  for (const cb of cookbooks) {
    for (const file of cb.files.libraries) {
      const parsed = ws.parse(file);
      if (!parsed) continue;
      collectResourceNames(parsed, resourceNames);
      interp.evalProgram(new Env(undefined, LIBRARY_SELF, { file, parsed }, helpers));
    }
  }
  return { helpers, resourceNames };
}

function collectResourceNames(parsed: ParsedRuby, out: Set<string>): void {
  const visit = (node: any, depth: number): void => {
    if (!node || depth > 200) return;
    if (node.constructor.name === 'CallNode' && !node.receiver && (node.name === 'provides' || node.name === 'resource_name')) {
      const first = node.arguments_?.arguments_?.[0];
      if (first?.constructor.name === 'SymbolNode') out.add(first.unescaped.value);
    }
    for (const child of node.childNodes?.() ?? []) visit(child, depth + 1);
  };
  visit(parsed.tree, 0);
}
