/**
 * Rules about the run as a whole: duplicate declarations, attributes read but never set, findings
 * of the compiler (missing recipes, dependencies outside the workspace, raises, budgets).
 */
import type { Diagnostic } from '../../protocol';
import { rubyEquals } from '../../ruby/values';
import { propValue } from '../resourceDecl';
import { type Rule, diag } from './ruleTypes';
import { findAttributeRefs } from '../attributeRefs';

export const duplicateResource: Rule = {
  code: 'duplicate-resource',
  explanation: 'The same resource (type and name) declared twice in one run: Chef runs both (resource cloning is gone).',
  run({ compilation }) {
    const out: Diagnostic[] = [];
    const seen = new Map<string, typeof compilation.resources[number]>();
    for (const r of compilation.resources) {
      if (r.definition || r.name.k !== 'str' || r.conditional || r.repeated) continue;
      if (r.nameUnknown) continue;
      // Chef compares within one resource collection: the run's (per run-list entry here), or one action's.
      const key = `${r.collection ?? r.runItem}\u0000${r.resolvedType}[${r.nameText}]`;
      const first = seen.get(key);
      if (!first) { seen.set(key, r); continue; }
      // Declaring the same resource again with other actions is a common, deliberate pattern (e.g.
      // `service x do action :nothing end` for notifications, then `action :start` later).
      if (first.actions.join() !== r.actions.join() || first.actionUnknown || r.actionUnknown) continue;
      // Declaring it again the same way (a test of idempotence) is harmless; other values for the same
      // properties are likely a mistake: the second run undoes the first.
      const conflicts = r.props.filter((p) => { const v = propValue(first, p.name); return v !== undefined && rubyEquals(v, p.value) === false; }).map((p) => p.name);
      const where = `${first.file.split('/').slice(-2).join('/')}:${first.loc.line}`;
      const message = conflicts.length
        ? `${r.id} is already declared at ${where} with other values for ${[...new Set(conflicts)].join(', ')}; Chef runs both, in order.`
        : `${r.id} is already declared at ${where} with the same action; Chef runs both.`;
      // The same declaration reached twice (a loop over a known list) is deliberate: said, not warned.
      const sameSite = first.loc.file === r.loc.file && first.loc.line === r.loc.line && first.loc.column === r.loc.column;
      out.push(diag(r.nameLoc ?? r.loc, conflicts.length && !sameSite ? 'warning' : 'info', this.code, message, { related: [{ location: first.loc, message: 'first declaration' }], data: { other: first.nameLoc ?? first.loc } }));
    }
    return out;
  },
};

export const attributeNeverSet: Rule = {
  code: 'attribute-never-set',
  explanation: 'A node attribute read by a recipe that no attributes file of the run sets.',
  run({ compilation, incompleteCookbooks }) {
    if (compilation.missingCookbooks.size) return [];
    const out: Diagnostic[] = [];
    // Only reads the evaluator reached count: a read in a branch not taken on this platform is fine.
    const reached = new Set(compilation.attributeReads.map((r) => r.loc && `${r.loc.file}:${r.loc.line}:${r.loc.column}`));
    for (const recipe of compilation.recipes.values()) {
      const owner = compilation.model.ws.cookbookOf(recipe.file);
      if (owner && incompleteCookbooks.has(owner.name)) continue;
      const parsed = recipe.file.endsWith('.rb') ? compilation.model.ws.parse(recipe.file) : undefined;
      if (!parsed) continue;
      for (const ref of findAttributeRefs(parsed)) {
        if (compilation.store.isSet(ref.path)) continue;
        const start = parsed.lines.position(ref.startOffset), end = parsed.lines.position(ref.startOffset + ref.length);
        const loc = { file: recipe.file, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
        if (!reached.has(`${loc.file}:${loc.line}:${loc.column}`)) continue;
        const path = ref.path.map((p) => `['${p}']`).join('');
        out.push(diag(loc, 'hint', this.code, `node${path} is not set by any attributes file in the run (a role, environment or policy must set it).`));
      }
    }
    return out;
  },
};

export const compilerFindings: Rule = {
  code: 'compile',
  explanation: 'Problems found while compiling: missing recipes and partials, recipes that raise, evaluation budgets.',
  run({ compilation }) {
    return compilation.findings.map((f) => diag(f.loc, f.severity, f.code, f.message, {
      related: f.related?.length ? f.related.map((r) => ({ location: r.loc, message: r.message })) : undefined,
      data: f.data,
    }));
  },
};
