/**
 * A repository's own choices about findings: `.cloche.json` files (JSON, comments allowed) in a
 * cookbook's folder or any folder above it up to the workspace root (the outermost of: a workspace
 * root holding the file, the repository of its cookbook, the nearest folder holding `.git`):
 *
 *     { "severity": { "never-notified": "off", "unknown-property": "warning" },
 *       "ignore": ["test/fixtures/**", "recipes/legacy_*.rb"] }
 *
 * A nearer file wins per code; `ignore` globs (relative to their file's folder) of every file apply.
 * Both the editor and `cloche check` read them (diagnosticPolicy.ts); the editor's setting
 * `cloche.diagnostics.severity` and `check --severity` are applied over them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { Diagnostic, Severity } from '../protocol';
import type { Workspace } from './workspace';
import { repositoryRoot } from './repository';
import { InputError, parseJsonDocument } from './inputs/inputFile';
import { isRuleCode } from './rules/ruleCodes';

export const CONFIG_FILE = '.cloche.json';

/** A finding's level, or `off` (not reported). */
export type Level = Severity | 'off';
export const LEVELS: readonly Level[] = ['error', 'warning', 'info', 'hint', 'off'];
export type SeverityMap = Readonly<Record<string, Level>>;

export interface ProjectConfig {
  /** Level per code, merged from every file (the nearest wins). */
  severity: SeverityMap;
  /** Whether the findings of a file are left out (an `ignore` glob matches it). */
  ignored(file: string): boolean;
  /** The files read, outermost first. */
  files: string[];
}

/** One `.cloche.json`, read: what it says, and what is wrong with it (as diagnostics in it). */
export interface ConfigFile {
  severity: Record<string, Level>;
  ignore: string[];
  problems: Diagnostic[];
}

/** Reads a `.cloche.json` text; what cannot be used is a problem at its line, the rest still applies. */
export function readConfigFile(file: string, text: string): ConfigFile {
  const out: ConfigFile = { severity: {}, ignore: [], problems: [] };
  const problem = (line: number | undefined, message: string, severity: Severity = 'error', code = 'invalid-config') =>
    out.problems.push({ file, line: line ?? 1, column: 1, endLine: line ?? 1, endColumn: 1, severity, code, message });
  let doc;
  try { doc = parseJsonDocument(file, text); } catch (e) {
    if (e instanceof InputError) { problem(e.line, `${CONFIG_FILE}: ${e.message}.`); return out; }
    throw e;
  }
  const value = doc.value;
  if (!isObject(value)) { problem(1, `${CONFIG_FILE} must hold an object: { "severity": { CODE: LEVEL }, "ignore": [GLOB] }.`); return out; }
  for (const key of Object.keys(value)) if (key !== 'severity' && key !== 'ignore' && key !== '$schema') problem(doc.lineOf([key]), `Unknown key '${key}' in ${CONFIG_FILE} (known: severity, ignore).`, 'warning');
  if (value.severity !== undefined && !isObject(value.severity)) problem(doc.lineOf(['severity']), `"severity" must be an object of rule codes to ${LEVELS.join(' | ')}.`);
  for (const [code, level] of Object.entries(isObject(value.severity) ? value.severity : {})) {
    const line = doc.lineOf(['severity', code]);
    if (typeof level !== 'string' || !(LEVELS as readonly string[]).includes(level)) { problem(line, `The level of '${code}' must be one of ${LEVELS.join(', ')}.`); continue; }
    if (!isRuleCode(code)) problem(line, `Cloche has no rule '${code}'.`, 'warning', 'unknown-rule-code');
    out.severity[code] = level as Level;
  }
  if (value.ignore !== undefined && !(Array.isArray(value.ignore) && value.ignore.every((g) => typeof g === 'string' && g.length > 0))) problem(doc.lineOf(['ignore']), '"ignore" must be a list of glob patterns (relative to this file\'s folder).');
  else if (Array.isArray(value.ignore)) out.ignore = value.ignore as string[];
  return out;
}

/** The configuration files of a workspace, read through its overlay (open documents) and cached by text. */
export class ProjectConfigs {
  private readonly parsed = new Map<string, { text: string; config: ConfigFile }>();
  private readonly byDir = new Map<string, ProjectConfig>();

  constructor(private readonly ws: Workspace) {}

  /** The configuration that applies to a file's findings. */
  for(file: string): ProjectConfig {
    const dir = path.dirname(path.resolve(file));
    let config = this.byDir.get(dir);
    if (!config) { config = this.merge(this.filesFor(file, dir)); this.byDir.set(dir, config); }
    return config;
  }

  /** A configuration file as read (undefined when there is none at that path). */
  file(file: string): ConfigFile | undefined {
    const abs = path.resolve(file);
    const text = this.ws.readFile(abs);
    if (text === undefined) return undefined;
    const cached = this.parsed.get(abs);
    if (cached?.text === text) return cached.config;
    const config = readConfigFile(abs, text);
    this.parsed.set(abs, { text, config });
    return config;
  }

  /** The configuration files read so far (those that exist). */
  readFiles(): string[] {
    return [...this.parsed.keys()].filter((f) => this.ws.readFile(f) !== undefined);
  }

  /** A configuration file changed: what was merged from it is read again. */
  forget(): void {
    this.byDir.clear();
  }

  private filesFor(file: string, dir: string): string[] {
    const top = this.topFor(file, dir);
    const out: string[] = [];
    for (let d = dir; ; d = path.dirname(d)) {
      const f = path.join(d, CONFIG_FILE);
      if (this.file(f)) out.unshift(f);
      if (d === top || path.dirname(d) === d) break;
    }
    return out;
  }

  /** The outermost folder searched: a workspace root holding the file, its cookbook's repository, the nearest `.git` above it. */
  private topFor(file: string, dir: string): string {
    const candidates: string[] = [];
    for (const r of this.ws.roots.map((x) => path.resolve(x))) if (dir === r || dir.startsWith(r + path.sep)) candidates.push(r);
    const cb = this.ws.cookbookOf(file);
    if (cb) candidates.push(repositoryRoot(cb.dir));
    for (let d = dir; ; d = path.dirname(d)) {
      if (fs.existsSync(path.join(d, '.git'))) { candidates.push(d); break; }
      if (path.dirname(d) === d) break;
    }
    const within = candidates.filter((c) => dir === c || dir.startsWith(c + path.sep));
    return within.sort((a, b) => a.length - b.length)[0] ?? cb?.dir ?? dir;
  }

  private merge(files: string[]): ProjectConfig {
    const severity: Record<string, Level> = {};
    const matchers: ((file: string) => boolean)[] = [];
    for (const f of files) {
      const c = this.file(f)!;
      Object.assign(severity, c.severity);
      if (c.ignore.length) {
        const base = path.dirname(f);
        const isMatch = picomatch(c.ignore, { dot: true });
        matchers.push((file) => { const rel = path.relative(base, file); return !rel.startsWith('..') && isMatch(rel.split(path.sep).join('/')); });
      }
    }
    return { severity, files, ignored: (file) => matchers.some((m) => m(path.resolve(file))) };
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
