/**
 * Diagnostics for what custom resources' actions declare, used by a recipe or not. Each custom
 * resource (and LWRP) of a cookbook that is provided on the platform has its actions run for an
 * instance nobody declared (name and properties unknown, the cookbook's attributes loaded), and the
 * rules that do not depend on the rest of a run check the resources those actions declare. Findings
 * are kept for the resource's own files (resources/, providers/): nested expansions and included
 * recipes are checked where they are declared. Definitions (definitions/) are checked the same way,
 * their body run for a call nobody made (`params` unknown).
 */
import * as path from 'node:path';
import type { Diagnostic } from '../protocol';
import { Compilation } from './compilation';
import type { CustomResourceDef } from './customResources';
import type { Model } from './model';
import type { PlatformFacts } from './platforms';
import type { Cookbook } from './workspace';
import { ACTION_BODY_RULES } from './rules';
import { diag } from './rules/ruleTypes';

export function actionBodyDiagnostics(model: Model, cb: Cookbook, facts: PlatformFacts): Diagnostic[] {
  const incomplete = new Set(cb.depends.some((d) => !model.cookbooks.has(d.name)) ? [cb.name] : []);
  const out: Diagnostic[] = [];
  for (const def of model.customDefs.values()) {
    if (def.schema.cookbook !== cb.name || !providedOn(model, def, facts)) continue;
    for (const f of def.findings) out.push(diag(f.loc, f.severity, f.code, f.message));
    try {
      const compilation = new Compilation(model, facts);
      compilation.loadAttributes(cb.name);
      compilation.runUndeclared(def);
      const files = new Set([path.resolve(def.file), ...[...def.actions.values()].flatMap((a) => (a.loc ? [path.resolve(a.loc.file)] : []))]);
      for (const rule of ACTION_BODY_RULES) {
        for (const d of rule.run({ model, compilation, incompleteCookbooks: incomplete })) if (files.has(path.resolve(d.file))) out.push(d);
      }
    } catch (e) {
      // A defect of ours must not cost the cookbook its other findings; say so where it happened.
      out.push(diag({ file: def.file, line: 1, column: 1 }, 'info', 'internal-error', `Cloche could not check the actions of ${def.schema.name}: ${e instanceof Error ? e.message : String(e)}`));
    }
  }
  for (const def of model.definitions.values()) {
    if (def.cookbook !== cb.name) continue;
    try {
      const compilation = new Compilation(model, facts);
      compilation.loadAttributes(cb.name);
      compilation.runUndeclaredDefinition(def);
      const file = path.resolve(def.file);
      for (const rule of ACTION_BODY_RULES) {
        for (const d of rule.run({ model, compilation, incompleteCookbooks: incomplete })) if (path.resolve(d.file) === file) out.push(d);
      }
    } catch (e) {
      out.push(diag({ file: def.file, line: 1, column: 1 }, 'info', 'internal-error', `Cloche could not check the definition ${def.name}: ${e instanceof Error ? e.message : String(e)}`));
    }
  }
  return out;
}

/** Whether one of the names the resource provides resolves to it on this platform (else its actions never run there). */
function providedOn(model: Model, def: CustomResourceDef, facts: PlatformFacts): boolean {
  const names = def.schema.provides.length ? def.schema.provides.map((p) => p.name) : [def.schema.name];
  return names.some((n) => model.catalog.resolve(n, facts) === def.schema);
}
