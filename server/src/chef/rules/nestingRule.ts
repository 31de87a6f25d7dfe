/**
 * Files nested deeper than Cloche can take. A file the Ruby parser cannot parse (its stack, or the
 * reading of its tree, runs out: `ParsedRuby.failure`) is not analysed at all, which is said on its
 * first line; the evaluator's own depth bound is reported where it stops (`interpreter.ts`).
 */
import type { Diagnostic } from '../../protocol';
import type { Workspace } from '../workspace';
import { type Rule, diag } from './ruleTypes';
import { rubyFilesOf } from './syntaxRule';

export const NESTING_TOO_DEEP = 'nesting-too-deep';

/** The finding for a file the parser could not take (none for a file it parsed, errors or not). */
export function parseFailureDiagnostics(ws: Workspace, file: string): Diagnostic[] {
  const parsed = ws.parse(file);
  const failure = parsed?.failure;
  if (!failure) return [];
  const firstLine = parsed.text.split('\n', 1)[0];
  return [diag({ file, line: 1, column: 1, endLine: 1, endColumn: firstLine.length + 1 }, 'warning', NESTING_TOO_DEEP,
    `This file is not analysed: ${failure.message}. None of its resources, attributes or definitions are known.`)];
}

export const nestingTooDeep: Rule = {
  code: NESTING_TOO_DEEP,
  explanation: 'A file nested deeper than Cloche can parse or evaluate (about a hundred levels of brackets or blocks): not analysed past that depth.',
  run({ model, compilation }) {
    const involved = new Set<string>([...compilation.recipes.keys()].map((id) => id.split('::')[0]));
    for (const r of compilation.resources) involved.add(r.cookbook);
    const out: Diagnostic[] = [];
    for (const name of involved) {
      const cb = model.cookbook(name);
      if (cb) for (const file of rubyFilesOf(cb)) out.push(...parseFailureDiagnostics(model.ws, file));
    }
    return out;
  },
};
