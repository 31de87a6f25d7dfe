/**
 * `libraries/*.rb`: Ruby files Chef loads before anything else, cookbook by cookbook (dependencies
 * first, files in name order). They are evaluated into the world: the modules and classes they
 * define, the helpers they mix into Chef's classes, the resource and provider classes they declare.
 */
import * as path from 'node:path';
import { RModule } from '../ruby/objects';
import type { RequireHost } from '../ruby/natives/kernel';
import { Env, type MethodDef } from '../ruby/interpreter';
import type { ParsedRuby } from '../ruby/prism';
import type { ChefWorld } from './dsl/chefWorld';
import { loadingInterpreter } from './customResources';
import type { Workspace, Cookbook } from './workspace';

export interface LibraryInfo {
  /** Methods the libraries define, by name (the last one wins): for hover and go to definition. */
  helpers: Map<string, MethodDef>;
  /** Names given to resources by `resource_name :x` / `provides :x` in library files, read from the source. */
  resourceNames: Set<string>;
  /** Library file → its cookbook. */
  owners: Map<string, Cookbook>;
}

/** The cookbooks in Chef's load order: each after what it depends on, otherwise by name. */
export function loadOrder(cookbooks: Cookbook[]): Cookbook[] {
  const byName = new Map(cookbooks.map((c) => [c.name, c]));
  const out: Cookbook[] = [];
  const seen = new Set<string>();
  const visit = (cb: Cookbook, depth: number) => {
    if (seen.has(cb.name) || depth > 64) return;
    seen.add(cb.name);
    for (const d of cb.depends) { const dep = byName.get(d.name); if (dep) visit(dep, depth + 1); }
    out.push(cb);
  };
  for (const cb of [...cookbooks].sort((a, b) => (a.name < b.name ? -1 : 1))) visit(cb, 0);
  return out;
}

export function loadLibraries(ws: Workspace, world: ChefWorld, cookbooks: Cookbook[]): LibraryInfo {
  const resourceNames = new Set<string>();
  const owners = new Map<string, Cookbook>();
  const loaded = new Set<string>();
  const libraryFiles = new Map<string, Cookbook>();
  for (const cb of cookbooks) for (const f of cb.files.libraries) libraryFiles.set(path.resolve(f), cb);
  // `require_relative 'helpers'` in a library loads that file first, as Ruby would (once).
  const host: RequireHost = {
    requireRelative(rel, from) {
      const file = path.resolve(path.dirname(from), rel.endsWith('.rb') ? rel : rel + '.rb');
      const cb = libraryFiles.get(file);
      if (!cb || loaded.has(file)) return false;
      load(file, cb);
      return true;
    },
  };
  const interp = loadingInterpreter(world, host);
  const load = (file: string, cb: Cookbook) => {
    loaded.add(file);
    const parsed = ws.parse(file);
    if (!parsed) return;
    owners.set(file, cb);
    collectResourceNames(parsed, resourceNames);
    const { raised } = interp.evalProgram(new Env(undefined, world.main, { file, parsed }, { nesting: [], definee: world.object }));
    if (raised) interp.finding('library-raises', `Loading this library stops with an error: ${raised.message}`, raised.loc ?? { file, line: 1, column: 1 }, 'warning');
  };
  for (const cb of loadOrder(cookbooks)) {
    for (const file of [...cb.files.libraries].sort()) if (!loaded.has(path.resolve(file))) load(path.resolve(file), cb);
  }
  return { helpers: libraryMethods(world, owners), resourceNames, owners };
}

/** Every method a library file defined, found through the constants of Object. */
function libraryMethods(world: ChefWorld, owners: Map<string, Cookbook>): Map<string, MethodDef> {
  const out = new Map<string, MethodDef>();
  const seen = new Set<RModule>();
  const visit = (m: RModule, depth: number) => {
    if (seen.has(m) || depth > 12) return;
    seen.add(m);
    for (const owner of [m, ...(m.hasSingleton() ? [m.singleton()] : [])]) {
      for (const [name, e] of owner.methods) if (e.def && owners.has(e.def.unit.file)) out.set(name, e.def);
    }
    for (const v of m.constants.values()) if (v.k === 'object' && v.obj instanceof RModule) visit(v.obj, depth + 1);
  };
  visit(world.object, 0);
  return out;
}

/** The names a library file `provides`, per parse (every world that loads the file asks again). */
const providedNames = new WeakMap<ParsedRuby, string[]>();

function collectResourceNames(parsed: ParsedRuby, out: Set<string>): void {
  let names = providedNames.get(parsed);
  if (!names) {
    const found: string[] = [];
    const visit = (node: any, depth: number): void => { // eslint-disable-line @typescript-eslint/no-explicit-any
      if (!node || depth > 200) return;
      if (node.constructor.name === 'CallNode' && !node.receiver && node.name === 'provides') {
        const first = node.arguments_?.arguments_?.[0];
        if (first?.constructor.name === 'SymbolNode') found.push(first.unescaped.value);
      }
      for (const child of node.childNodes?.() ?? []) visit(child, depth + 1);
    };
    visit(parsed.tree, 0);
    providedNames.set(parsed, names = found);
  }
  for (const n of names) out.add(n);
}
