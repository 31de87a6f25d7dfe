/**
 * What a missing recipe's fixes need: the recipes of its cookbook closest to the name written, where
 * that name is in the source, and the file that would make it exist.
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
 * Fix data for `include_recipe 'cb::name'` of a recipe `cb` lacks: the file to create
 * (recipes/name.rb) and, when the argument is a plain one-line literal that spells the recipe name,
 * the closest recipe names with the range of that name.
 */
export function missingRecipeData(cb: Cookbook, spec: string, recipe: string, literal: SourceLocation | undefined): DiagnosticData | undefined {
  if (!/^[\w.-]+$/.test(recipe) || recipe.startsWith('.')) return undefined;
  const data: DiagnosticData = { create: path.join(cb.dir, 'recipes', `${recipe}.rb`) };
  const inner = spec.replace(/^recipe\[(.*)\]$/, '$1');
  const sep = inner.lastIndexOf('::');
  const plain = literal && literal.endLine === literal.line && literal.endColumn !== undefined && literal.endColumn - literal.column === spec.length + 2;
  if (plain && sep >= 0 && inner.slice(sep + 2) === recipe) {
    const at = literal.column + 1 + spec.indexOf(inner) + sep + 2;
    const suggestions = closestNames(recipe, recipeNames(cb));
    if (suggestions.length) Object.assign(data, { suggestions, replace: { file: literal.file, line: literal.line, column: at, endLine: literal.line, endColumn: at + recipe.length } });
  }
  return data;
}
