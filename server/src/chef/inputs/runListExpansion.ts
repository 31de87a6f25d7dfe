/**
 * Expanding a run list as Chef does: `recipe[a::b]`, `a::b` and `a` (its default recipe) are
 * recipes, kept once each in order; `role[x]` is replaced by the role's run list (for the
 * environment, when the role has one for it), depth first, each role once. Each role's attributes
 * are applied after the roles it includes, so the including role wins; a missing role is an error
 * that names who includes it, and the rest of the run list still expands.
 */
import * as path from 'node:path';
import { InputError } from './inputFile';
import type { AttributeLayer } from './runInputs';
import type { Role } from './roles';

export interface Expansion {
  /** `cookbook::recipe` entries, in run order. */
  recipes: string[];
  /** Roles applied, in order. */
  roles: string[];
  /** The roles' attributes (role_default, role_override), in the order Chef merges them. */
  layers: AttributeLayer[];
  errors: InputError[];
}

/** Where a run list came from, for messages about it. */
export interface RunListOrigin {
  label: string;
  file?: string;
  line?: number;
}

export interface RoleFinder {
  /** The role of that name; undefined when there is none. Throws InputError for a role file that cannot be read. */
  find(name: string): Role | undefined;
  /** The names there are (for the message about a missing one). */
  names(): string[];
}

const RECIPE = /^recipe\[([^\]@]+)(?:@[^\]]*)?\]$/;
const ROLE = /^role\[([^\]]+)\]$/;

/** `recipe[a::b@1.0]`, `a::b`, `a` → `a::b` / `a::default`; undefined for what is not a recipe item. */
export function recipeOf(item: string): string | undefined {
  const s = item.trim();
  if (ROLE.test(s)) return undefined;
  const m = RECIPE.exec(s);
  const r = m ? m[1] : s;
  if (!/^[\w.-]+(::[\w.-]+)?$/.test(r)) return undefined;
  return r.includes('::') ? r : `${r}::default`;
}

/** The cookbook a recipe item names (`recipe[a::b]`, `a::b`, `a` → `a`); undefined for a role or what is not a recipe item. */
export function cookbookOfItem(item: string): string | undefined {
  return recipeOf(item)?.split('::')[0];
}

export function expandRunList(items: string[], origin: RunListOrigin, roles: RoleFinder, environment?: string): Expansion {
  const out: Expansion = { recipes: [], roles: [], layers: [], errors: [] };
  const visit = (list: string[], from: RunListOrigin, depth: number): void => {
    for (const raw of list) {
      const item = raw.trim();
      const role = ROLE.exec(item)?.[1];
      if (role === undefined) {
        const recipe = recipeOf(item);
        if (!recipe) { out.errors.push(new InputError(`${from.label}: '${item}' is not a run list item (recipe[cookbook::recipe], cookbook::recipe or role[name])`, from.file, from.line)); continue; }
        if (!out.recipes.includes(recipe)) out.recipes.push(recipe);
        continue;
      }
      if (out.roles.includes(role)) continue; // each role once, as Chef guards against loops
      out.roles.push(role);
      let found: Role | undefined;
      try { found = roles.find(role); } catch (e) { if (e instanceof InputError) { out.errors.push(e); continue; } throw e; }
      if (!found) {
        const known = roles.names();
        out.errors.push(new InputError(`role[${role}] (in ${from.label}) does not exist${known.length ? `; roles: ${known.join(', ')}` : ' (no roles folder was found)'}`, from.file, from.line));
        continue;
      }
      if (depth < 32) visit((environment !== undefined && found.envRunLists.get(environment)) || found.runList, { label: `role[${role}]`, file: found.file, line: 1 }, depth + 1);
      const source = { kind: 'role' as const, label: `role ${role}`, file: found.file };
      out.layers.push({ level: 'role_default', values: found.defaults, source, lineOf: (p) => found!.lineOf('default', p), unionArrays: true });
      out.layers.push({ level: 'role_override', values: found.overrides, source, lineOf: (p) => found!.lineOf('override', p), unionArrays: true });
    }
  };
  visit(items, origin, 0);
  return out;
}

/** A role finder over role files by name (see roles.ts listNamedFiles), reading each once. */
export function roleFinder(files: Map<string, string>, read: (file: string) => Role): RoleFinder {
  const cache = new Map<string, Role>();
  return {
    find: (name) => {
      const file = files.get(name);
      if (!file) return undefined;
      let r = cache.get(file);
      if (!r) { r = read(file); cache.set(file, r); }
      return r;
    },
    names: () => [...files.keys()].sort(),
  };
}

/** `roles/web.json` relative to a base, for messages. */
export function shortPath(file: string, base: string): string {
  const rel = path.relative(base, file);
  return rel.startsWith('..') ? file : rel;
}
