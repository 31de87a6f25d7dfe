/**
 * The message of a missing recipe: the recipe written and at most three recipes close to it (edit
 * distance) — of the cookbook it names, and of the other cookbooks of the run's world
 * (`include_recipe 'web::ssl'` when `web_tls::ssl` exists) — never the cookbook's whole list or a path.
 */
import type { Cookbook } from './workspace';
import { editDistance } from './catalog/catalog';
import { closestNames, recipeNames } from './recipeNames';

/** "Recipe web::sll does not exist; did you mean web::ssl, web::default or web_tls::ssl?" */
export function missingRecipeMessage(id: string, cookbook: Cookbook, world: Iterable<Cookbook>): string {
  const candidates = [...recipeNames(cookbook).map((r) => `${cookbook.name}::${r}`)];
  for (const other of world) if (other.name !== cookbook.name) candidates.push(...recipeNames(other).map((r) => `${other.name}::${r}`));
  // Close ones only (a name of four letters is not what `mod_sl` meant); the nearest anyway when none is.
  const recipe = id.slice(id.indexOf('::') + 2);
  const ranked = closestNames(id, candidates, 3);
  const close = ranked.filter((n) => editDistance(id.toLowerCase(), n.toLowerCase()) <= Math.max(3, Math.ceil(recipe.length / 2)));
  const near = close.length ? close : ranked.slice(0, 1);
  if (!near.length) return `Recipe ${id} does not exist (cookbook ${cookbook.name} has no recipes).`;
  const list = near.length === 1 ? near[0] : `${near.slice(0, -1).join(', ')} or ${near[near.length - 1]}`;
  return `Recipe ${id} does not exist; did you mean ${list}?`;
}
