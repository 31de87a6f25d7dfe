/**
 * What the fixes of a missing recipe or cookbook need: the names closest to the one written, where
 * that name is in the source, and the file that would make a recipe exist.
 */
import * as path from 'node:path';
import type { DiagnosticData, SourceLocation } from '../protocol';
import { editDistance } from './catalog/catalog';
import type { Cookbook } from './workspace';

/** A cookbook's recipe names (files under recipes/, without extension). */
export function recipeNames(cb: Cookbook): string[] {
  return cb.files.recipes.map((f) => path.basename(f).replace(/\.(rb|ya?ml)$/, ''));
}

/** The `count` names closest to `name` (edit distance, then name), however far. */
export function closestNames(name: string, names: Iterable<string>, count = 3): string[] {
  return [...new Set(names)].filter((n) => n !== name)
    .map((n) => ({ n, d: editDistance(name.toLowerCase(), n.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, count).map((x) => x.n);
}

/**
 * Where the cookbook or recipe part of an include_recipe argument is written, when the argument is a
 * plain one-line literal (`'cb::name'`, `'recipe[cb::name]'`, no escapes) that spells it.
 */
export function nameInLiteral(spec: string, name: string, literal: SourceLocation | undefined, part: 'cookbook' | 'recipe'): SourceLocation | undefined {
  if (!literal || literal.endLine !== literal.line || literal.endColumn === undefined || literal.endColumn - literal.column !== spec.length + 2) return undefined;
  const inner = spec.replace(/^recipe\[(.*)\]$/, '$1');
  const sep = inner.indexOf('::');
  const at = part === 'cookbook' ? 0 : sep + 2;
  if ((part === 'cookbook' ? inner.slice(0, sep < 0 ? undefined : sep) : sep < 0 ? undefined : inner.slice(sep + 2)) !== name) return undefined;
  const column = literal.column + 1 + spec.indexOf(inner) + at;
  return { file: literal.file, line: literal.line, column, endLine: literal.line, endColumn: column + name.length };
}

/**
 * Fix data for `include_recipe 'cb::name'` of a recipe `cb` lacks: the file to create
 * (recipes/name.rb) and, where the name is written (`word`), the closest recipe names.
 */
export function missingRecipeData(cb: Cookbook, recipe: string, word: SourceLocation | undefined): DiagnosticData | undefined {
  if (!/^[\w.-]+$/.test(recipe) || recipe.startsWith('.')) return undefined;
  const data: DiagnosticData = { create: path.join(cb.dir, 'recipes', `${recipe}.rb`) };
  const suggestions = word ? closestNames(recipe, recipeNames(cb)) : [];
  if (word && suggestions.length) Object.assign(data, { suggestions, replace: word });
  return data;
}
