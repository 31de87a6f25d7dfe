/**
 * `cloche check --lint`: the cookbook author's Cookstyle or RuboCop over the checked paths (one run,
 * its own file discovery and `.rubocop.yml`s), its offences as findings with the tool as `source` and
 * the cop as `code`. RuboCop's `Lint/Syntax` is left out where Cloche reports the file's syntax error.
 */
import * as fs from 'node:fs';
import type { Diagnostic } from '../protocol';
import { findLinter, lintPaths } from '../lint/cookstyle';
import { offencesOf } from '../lint/rubocopReport';

/** A whole repository may take a while; a hung linter still ends. */
const CHECK_LINT_TIMEOUT_MS = 300_000;

/** The offences under the paths as findings, or why there are none (the linter is missing, timed out, failed). */
export async function lintFindings(paths: string[], cloche: Diagnostic[]): Promise<{ diagnostics: Diagnostic[] } | { error: string }> {
  const linter = findLinter(undefined);
  if (typeof linter === 'string') return { error: `--lint: ${linter}` };
  const r = await lintPaths(linter, paths, { cwd: process.cwd(), timeoutMs: CHECK_LINT_TIMEOUT_MS });
  if (!r.ok) return { error: `--lint: ${r.message}` };
  const syntaxErrors = new Set(cloche.filter((d) => d.code === 'syntax-error').map((d) => d.file));
  const diagnostics: Diagnostic[] = [];
  for (const f of r.value.files) {
    let text: string;
    try { text = fs.readFileSync(f.path, 'utf8'); } catch { continue; }
    for (const o of offencesOf(f.offences, text)) {
      if (o.cop === 'Lint/Syntax' && syntaxErrors.has(f.path)) continue;
      diagnostics.push({
        file: f.path, line: o.span.start.line + 1, column: o.span.start.character + 1, endLine: o.span.end.line + 1, endColumn: o.span.end.character + 1,
        severity: o.severity, code: o.cop, message: o.message, source: linter.tool,
      });
    }
  }
  return { diagnostics };
}
