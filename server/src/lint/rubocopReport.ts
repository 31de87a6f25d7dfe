/**
 * RuboCop's JSON report (`--format json`; Cookstyle writes the same, being RuboCop with its own cops
 * and defaults) as plain data: each offence with its cop, message, level and range in editor terms
 * (0-based lines, UTF-16 columns). Pure: it reads text and returns data, it never runs anything.
 */
import type { Severity } from '../protocol';
import type { Span } from '../lang/types';

/** Which program reported the offences (the diagnostics' `source`). */
export type LintTool = 'cookstyle' | 'rubocop';

/** RuboCop's own levels, lowest first. */
export const RUBOCOP_SEVERITIES = ['info', 'refactor', 'convention', 'warning', 'error', 'fatal'] as const;
export type RubocopSeverity = (typeof RUBOCOP_SEVERITIES)[number];

/** One offence in editor terms. */
export interface LintOffence {
  /** The cop's name, `Style/StringLiterals`: the diagnostic's code and what `--only` and disable comments name. */
  cop: string;
  message: string;
  severity: Severity;
  rubocopSeverity: RubocopSeverity;
  /** RuboCop has a correction for it (maybe only an unsafe one: then `--autocorrect` leaves it alone). */
  correctable: boolean;
  span: Span;
}

/** An offence as the report has it: 1-based lines and columns counted in characters, the last column inclusive. */
export interface ReportedOffence {
  severity: RubocopSeverity;
  message: string;
  cop_name: string;
  correctable: boolean;
  location: { start_line: number; start_column: number; last_line: number; last_column: number };
}

/** The report of one run: RuboCop's version and each inspected file's offences (paths as RuboCop wrote them). */
export interface LintReport {
  version?: string;
  files: { path: string; offences: ReportedOffence[] }[];
}

/**
 * Reads the report RuboCop printed on stdout, or undefined when it is not one (a crash, a message
 * instead of JSON). Anything before the first `{` (a warning some plugins print) is skipped; an
 * offence missing a field it needs is left out.
 */
export function parseReport(stdout: string): LintReport | undefined {
  const at = stdout.indexOf('{');
  if (at < 0) return undefined;
  let raw: unknown;
  try { raw = JSON.parse(stdout.slice(at)); } catch { return undefined; }
  if (!isObject(raw) || !Array.isArray(raw.files)) return undefined;
  const version = isObject(raw.metadata) && typeof raw.metadata.rubocop_version === 'string' ? raw.metadata.rubocop_version : undefined;
  const files: LintReport['files'] = [];
  for (const f of raw.files) {
    if (!isObject(f) || typeof f.path !== 'string') continue;
    const offences = Array.isArray(f.offenses) ? f.offenses.filter(isReportedOffence) : [];
    files.push({ path: f.path, offences });
  }
  return { ...(version ? { version } : {}), files };
}

/** The offences of one file in editor terms; `text` is the text RuboCop was given (for UTF-16 columns). */
export function offencesOf(reported: readonly ReportedOffence[], text: string): LintOffence[] {
  const lines = text.split('\n');
  return reported.map((o) => {
    const { start_line, start_column, last_line, last_column } = o.location;
    const startLine = clamp(start_line - 1, 0, lines.length - 1);
    const endLine = clamp(Math.max(last_line, start_line) - 1, startLine, lines.length - 1);
    const start = { line: startLine, character: utf16Column(lines[startLine], start_column - 1) };
    let end = { line: endLine, character: utf16Column(lines[endLine], last_column) };
    if (end.line === start.line && end.character < start.character) end = start;
    return {
      cop: o.cop_name,
      message: withoutCopName(o.message, o.cop_name),
      severity: severityOf(o.severity),
      rubocopSeverity: o.severity,
      correctable: o.correctable,
      span: { start, end },
    };
  });
}

/**
 * RuboCop's level as an editor's: fatal (it could not read the file) and error are errors, warning a
 * warning, and convention, refactor and info (style, not bugs) information.
 */
export function severityOf(level: RubocopSeverity): Severity {
  switch (level) {
    case 'fatal': case 'error': return 'error';
    case 'warning': return 'warning';
    default: return 'info';
  }
}

/** The message without a leading `Cop/Name: ` (RuboCop adds one when asked to display cop names; the code says it already). */
function withoutCopName(message: string, cop: string): string {
  return message.startsWith(`${cop}: `) ? message.slice(cop.length + 2) : message;
}

/** A column counted in characters (Ruby's code points) as UTF-16 code units, within the line. */
function utf16Column(line: string | undefined, chars: number): number {
  if (!line) return 0;
  let units = 0;
  let seen = 0;
  for (const ch of line) {
    if (seen >= chars) break;
    units += ch.length;
    seen++;
  }
  return units;
}

function isReportedOffence(v: unknown): v is ReportedOffence {
  if (!isObject(v) || typeof v.cop_name !== 'string' || typeof v.message !== 'string' || !isObject(v.location)) return false;
  const l = v.location;
  if (![l.start_line, l.start_column, l.last_line, l.last_column].every((n) => typeof n === 'number' && Number.isFinite(n))) return false;
  if (!(RUBOCOP_SEVERITIES as readonly unknown[]).includes(v.severity)) v.severity = 'warning';
  v.correctable = v.correctable === true;
  return true;
}

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
