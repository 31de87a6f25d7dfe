/**
 * The one place where what the author chose is applied to findings, for the editor and `cloche check`
 * alike (check.ts `cookbookFindings`, which both pass once per cookbook run): findings of files an
 * `ignore` glob matches are left out; each finding takes the level of its code (the editor's setting
 * or `--severity` over `.cloche.json`, else its own), and `off` leaves it out; a `# cloche:disable…`
 * comment of its file covering its line leaves it out. A code in such a comment that Cloche does not
 * have is a finding of its own (`unknown-rule-code`, with did-you-mean data).
 */
import type { Diagnostic } from '../protocol';
import type { Workspace } from './workspace';
import type { ParsedRuby } from '../ruby/prism';
import { type ProjectConfigs, type SeverityMap } from './projectConfig';
import { type Directive, directiveSyntax, erbDirectives, isSuppressed, rubyDirectives } from './suppression';
import { RULE_CODES, isRuleCode } from './rules/ruleCodes';
import { suggest } from './catalog/catalog';
import { diag } from './rules/ruleTypes';

export const UNKNOWN_RULE_CODE = 'unknown-rule-code';

export interface DiagnosticPolicy {
  /** Level per code from the editor's settings or the command line, over `.cloche.json`. */
  severity: SeverityMap;
  /** The `.cloche.json` files of the workspace. */
  configs: ProjectConfigs;
}

/** Per parse, then per file: files holding the same text share a parse, and a directive says which file it is in. */
const rubyCache = new WeakMap<ParsedRuby, Map<string, Directive[]>>();

/** The directives of a file (none for files without comment syntax, or that cannot be read). */
export function directivesIn(ws: Workspace, file: string): Directive[] {
  const syntax = directiveSyntax(file);
  if (syntax === 'ruby') {
    const parsed = ws.parse(file);
    if (!parsed) return [];
    let byFile = rubyCache.get(parsed);
    if (!byFile) rubyCache.set(parsed, byFile = new Map());
    let list = byFile.get(file);
    if (!list) { list = rubyDirectives(parsed, file); byFile.set(file, list); }
    return list;
  }
  if (syntax === 'erb') {
    const text = ws.readFile(file);
    return text === undefined ? [] : erbDirectives(text, file);
  }
  return [];
}

/**
 * The findings as the author wants them. `commentFiles`: files whose directives are checked for
 * unknown codes (a cookbook's Ruby files and templates), whether or not they have findings.
 */
export function applyPolicy(ws: Workspace, diags: readonly Diagnostic[], policy: DiagnosticPolicy, commentFiles: readonly string[] = []): Diagnostic[] {
  const directives = new Map<string, Directive[]>();
  const directivesOf = (file: string) => directives.get(file) ?? directives.set(file, directivesIn(ws, file)).get(file)!;
  const unknownCodes: Diagnostic[] = [];
  for (const file of commentFiles) {
    for (const d of directivesOf(file)) {
      for (const c of d.codes) {
        if (isRuleCode(c.code)) continue;
        const close = suggest(c.code, RULE_CODES.keys());
        unknownCodes.push(diag(c.loc, 'info', UNKNOWN_RULE_CODE,
          `Cloche has no rule '${c.code}': this comment switches nothing off.${close.length ? ` Did you mean ${close.map((x) => `'${x}'`).join(' or ')}?` : ''}`,
          close.length ? { data: { suggestions: close, replace: c.loc } } : {}));
      }
    }
  }
  const out: Diagnostic[] = [];
  for (const d of [...diags, ...unknownCodes]) {
    const config = policy.configs.for(d.file);
    if (config.ignored(d.file)) continue;
    const level = policy.severity[d.code] ?? config.severity[d.code] ?? d.severity;
    if (level === 'off') continue;
    if (isSuppressed(directivesOf(d.file), d.code, d.line)) continue;
    out.push(level === d.severity ? d : { ...d, severity: level });
  }
  return out;
}
