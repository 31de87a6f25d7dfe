/**
 * Whether a run compiles, as Chef's compile phase would decide before converging anything: a
 * syntax error in a file Chef loads for the run (every library, attributes, resource, provider and
 * definition file of the run's cookbooks, and the recipes the run includes), a recipe that raises,
 * a custom resource action that raises, a missing recipe, or an evaluation Cloche had to stop (its
 * budget, or code nested too deeply to parse or evaluate, in the same files) — then nothing is
 * planned or converged: what would be planned is not the run.
 */
import * as path from 'node:path';
import type { Diagnostic, Graph } from '../protocol';

/** Findings that stop a run before anything converges. */
const FATAL = new Set(['recipe-raises', 'action-raises', 'missing-recipe', 'evaluation-budget']);

/** The findings of a compiled run that mean it does not compile (empty when it does). */
export function compileFailures(graph: Pick<Graph, 'diagnostics' | 'recipes'>): Diagnostic[] {
  const recipes = new Set(graph.recipes.map((r) => path.resolve(r.file)));
  return graph.diagnostics.filter((d) => {
    if (FATAL.has(d.code)) return true;
    if (d.code !== 'syntax-error' && d.code !== 'nesting-too-deep') return false;
    const file = path.resolve(d.file);
    // A recipe the run never includes is never loaded by Chef; templates fail only the resource that renders them.
    if (!file.endsWith('.rb')) return false;
    return recipes.has(file) || path.basename(path.dirname(file)) !== 'recipes';
  });
}

/** The failures as `file:line: message` lines, paths relative to `cwd`. */
export function describeCompileFailures(failures: Diagnostic[], cwd = process.cwd()): string {
  const shown = failures.slice(0, 10).map((d) => `${path.relative(cwd, d.file) || d.file}:${d.line}: ${d.message}`);
  if (failures.length > shown.length) shown.push(`… and ${failures.length - shown.length} more (see \`cloche check\`)`);
  return shown.join('\n');
}
