/**
 * Runs every rule over a compilation and adds the workspace-level findings: syntax errors of the
 * cookbooks involved, and each dependency that is not in the workspace — reported once, not as a
 * cascade of unknowns.
 */
import type { Diagnostic } from '../protocol';
import type { Compilation } from './compilation';
import type { Model } from './model';
import { RULES } from './rules';
import { diag } from './rules/ruleTypes';
import { syntaxDiagnostics, rubyFilesOf } from './rules/syntaxRule';
import { suggest } from './catalog/catalog';

export function validate(model: Model, c: Compilation): Diagnostic[] {
  const involved = new Set<string>([...c.recipes.keys()].map((id) => id.split('::')[0]));
  for (const r of c.resources) involved.add(r.cookbook);
  const incomplete = new Set<string>();
  const out: Diagnostic[] = [];
  for (const name of involved) {
    const cb = model.cookbook(name);
    if (!cb) continue;
    for (const dep of cb.depends) {
      if (model.cookbooks.has(dep.name)) continue;
      incomplete.add(name);
      if (model.resolution.unsatisfied.has(dep.name)) continue; // said on the depends line by the resolution
      const line = dep.line ?? metadataLine(model, cb.metadataFile, dep.name);
      out.push(diag({ file: cb.metadataFile ?? cb.dir, line, column: 1, endLine: line, endColumn: 1 }, 'info', 'dependency-not-in-workspace',
        `Dependency '${dep.name}' is not in the workspace: its recipes, resources and attributes are not checked (add it under cookbooks/ or a sibling folder).`));
    }
    for (const file of rubyFilesOf(cb)) out.push(...syntaxDiagnostics(model.ws, file));
    for (const def of model.customDefs.values()) {
      if (def.schema.cookbook === name) for (const f of def.findings) out.push(diag(f.loc, f.severity, f.code, f.message));
    }
  }
  for (const [name, loc] of c.missingCookbooks) {
    const from = loc ? model.ws.cookbookOf(loc.file) : undefined;
    if (from && from.depends.some((d) => d.name === name)) continue; // already reported on metadata.rb
    const elsewhere = model.ws.named(name).length > 0;
    // The fix: declare it in the metadata.rb of the cookbook that uses it.
    const addDepends = from?.metadataFile?.endsWith('metadata.rb') && from.name !== name && /^[\w.-]+$/.test(name) ? { name, metadata: from.metadataFile } : undefined;
    // A cookbook nowhere in the workspace may be a typo of one that is.
    const word = c.missingCookbookNames.get(name);
    const close = !elsewhere && word ? suggest(name, model.ws.all.map((cb) => cb.name)) : [];
    const data = { ...(addDepends && (elsewhere || !close.length) ? { addDepends } : {}), ...(close.length ? { suggestions: close, replace: word } : {}) };
    if (loc) out.push(diag(loc, 'warning', 'dependency-not-in-workspace', elsewhere
      ? `Cookbook '${name}' is not a dependency of this run${from ? ` (not in ${from.name}'s metadata.rb)` : ''}: Chef's tooling does not make it available, so its recipes are not checked.`
      : `Cookbook '${name}' is not in the workspace${from ? ` and not declared in ${from.name}'s metadata.rb` : ''}.${close.length ? ` Did you mean ${close.map((x) => `'${x}'`).join(' or ')}?` : ''}`, Object.keys(data).length ? { data } : {}));
  }
  // How the run's cookbooks were chosen: clashes, constraints nothing satisfies (once per line).
  out.push(...model.resolution.findings);
  for (const rule of RULES) out.push(...rule.run({ model, compilation: c, incompleteCookbooks: incomplete }));
  return dedupe(afterSyntaxErrors(out));
}

/**
 * Past a syntax error the structure is prism's recovery, a guess: findings there would be noise
 * (Chef would not run the file at all). The syntax errors themselves stay.
 */
function afterSyntaxErrors(list: Diagnostic[]): Diagnostic[] {
  const firstError = new Map<string, number>();
  for (const d of list) if (d.code === 'syntax-error') firstError.set(d.file, Math.min(firstError.get(d.file) ?? Infinity, d.line));
  if (!firstError.size) return list;
  return list.filter((d) => d.code === 'syntax-error' || !(d.line >= (firstError.get(d.file) ?? Infinity)));
}

function metadataLine(model: Model, file: string | undefined, dep: string): number {
  const text = file ? model.ws.readFile(file) : undefined;
  // The name is the cookbook's text: matched literally (a name with `(` or `+` in it is no pattern).
  const name = dep.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const i = text?.split('\n').findIndex((l) => new RegExp(`^\\s*depends\\s+['"]${name}['"]`).test(l)) ?? -1;
  return i >= 0 ? i + 1 : 1;
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.file}:${d.line}:${d.column}:${d.code}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
