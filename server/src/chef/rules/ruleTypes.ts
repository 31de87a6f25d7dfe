/**
 * What a validation rule sees and returns. Each rule lives in its own file with a stable code and a
 * one-line explanation (listed in rules/index.ts); it reads the compilation and returns findings.
 */
import type { Diagnostic, Severity, SourceLocation } from '../../protocol';
import type { Compilation } from '../compilation';
import type { Model } from '../model';

export interface RuleContext {
  model: Model;
  compilation: Compilation;
  /** Cookbooks whose declared dependencies are not all in the workspace (their unknowns are not errors). */
  incompleteCookbooks: Set<string>;
}

export interface Rule {
  code: string;
  /** One line saying what the rule finds. */
  explanation: string;
  run(ctx: RuleContext): Diagnostic[];
}

/** A diagnostic at a source location. */
export function diag(loc: SourceLocation, severity: Severity, code: string, message: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  return {
    file: loc.file,
    line: loc.line,
    column: loc.column,
    endLine: loc.endLine ?? loc.line,
    endColumn: loc.endColumn ?? loc.column,
    severity,
    code,
    message,
    ...definedOnly(extra),
  };
}

/** The fields that are set (so an absent `data` or `tags` stays absent, not `undefined`). */
function definedOnly<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
