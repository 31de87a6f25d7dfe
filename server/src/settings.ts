/**
 * The server's settings, typed and read in one place (section `cloche` of the client's
 * configuration). How to add a setting: add it to `ClocheSettings` and `DEFAULT_SETTINGS`, read it in
 * `readSettings`, and declare it in package.json `contributes.configuration` (SETTING_KEYS lists the
 * keys a test keeps in step with that declaration).
 */
import { getPlatformProfile } from './chef/platforms';
import type { RunSettings } from './runChoices';
import { LEVELS, type Level } from './chef/projectConfig';
import { validNodeName } from './chef/nodeName';

export interface ClocheSettings {
  /** Platform profile for diagnostics, completion and hover (`debian-12`, `almalinux-9`, …), or `auto`: each cookbook's metadata `supports` decides. */
  platform: string;
  /** The run's inputs besides its recipes (see runChoices.ts). */
  run: RunSettings;
  /** Inlay hints after `node['a']['b']` showing the resolved value. */
  inlayHints: { attributeValues: boolean };
  /** Extra folders searched for cookbooks, besides the workspace folders. */
  cookbookPaths: string[];
  /** A level per rule code (`off`: not reported), over what the repository's `.cloche.json` says. */
  diagnostics: { severity: Record<string, Level> };
  /** Cookstyle/RuboCop on Ruby files (lint/): when it runs, which program, how far autocorrect goes, how long a run may take. */
  lint: LintSettings;
}

export type LintRunMode = 'onSave' | 'onType' | 'off';

export interface LintSettings {
  /** Lint when a document is opened and saved, also as you type, or never (no Format Document either). */
  run: LintRunMode;
  /** The linter's path or name; empty: `cookstyle`, else `rubocop`, on PATH. */
  command: string;
  /** `safe`: `--autocorrect` (corrections that keep the code's meaning); `all`: `--autocorrect-all`. */
  autocorrect: 'safe' | 'all';
  /** Seconds a run may take before it is killed. */
  timeoutSeconds: number;
}

/** Keys under `cloche.` that the settings read (for the package.json consistency test). */
export const SETTING_KEYS = ['cloche.platform', 'cloche.inlayHints.attributeValues', 'cloche.cookbookPaths', 'cloche.run.attributesFile', 'cloche.run.attributes', 'cloche.run.environment', 'cloche.run.nodeName', 'cloche.diagnostics.severity',
  'cloche.lint.run', 'cloche.lint.command', 'cloche.lint.autocorrect', 'cloche.lint.timeoutSeconds'] as const;

export const DEFAULT_SETTINGS: ClocheSettings = {
  platform: 'auto',
  run: {},
  inlayHints: { attributeValues: true },
  cookbookPaths: [],
  diagnostics: { severity: {} },
  lint: { run: 'onSave', command: '', autocorrect: 'safe', timeoutSeconds: 10 },
};

/** Reads the `cloche` configuration section; anything missing or malformed falls back to its default. */
export function readSettings(raw: unknown): ClocheSettings {
  const o = isObject(raw) ? raw : {};
  const hints = isObject(o.inlayHints) ? o.inlayHints : {};
  const platform = typeof o.platform === 'string' && (o.platform === 'auto' || getPlatformProfile(o.platform)) ? o.platform : DEFAULT_SETTINGS.platform;
  const run = isObject(o.run) ? o.run : {};
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const attributesFile = text(run.attributesFile);
  const environment = text(run.environment);
  const nodeName = text(run.nodeName);
  return {
    platform,
    run: {
      ...(attributesFile ? { attributesFile } : {}),
      ...(isObject(run.attributes) && Object.keys(run.attributes).length ? { attributes: run.attributes } : {}),
      ...(environment ? { environment } : {}),
      ...(nodeName && validNodeName(nodeName) ? { nodeName } : {}),
    },
    inlayHints: { attributeValues: typeof hints.attributeValues === 'boolean' ? hints.attributeValues : DEFAULT_SETTINGS.inlayHints.attributeValues },
    cookbookPaths: Array.isArray(o.cookbookPaths) ? o.cookbookPaths.filter((p): p is string => typeof p === 'string' && p.length > 0) : [],
    diagnostics: { severity: severityOf(isObject(o.diagnostics) ? o.diagnostics.severity : undefined) },
    lint: lintOf(isObject(o.lint) ? o.lint : {}),
  };
}

function lintOf(l: Record<string, unknown>): LintSettings {
  const d = DEFAULT_SETTINGS.lint;
  const oneOf = <T extends string>(v: unknown, allowed: readonly T[], def: T): T => (typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : def);
  return {
    run: oneOf(l.run, ['onSave', 'onType', 'off'], d.run),
    command: typeof l.command === 'string' ? l.command.trim() : d.command,
    autocorrect: oneOf(l.autocorrect, ['safe', 'all'], d.autocorrect),
    timeoutSeconds: typeof l.timeoutSeconds === 'number' && Number.isFinite(l.timeoutSeconds) && l.timeoutSeconds > 0 ? l.timeoutSeconds : d.timeoutSeconds,
  };
}

/** Code → level pairs with a known level (codes are kept as written: a code of a newer Cloche is harmless). */
function severityOf(raw: unknown): Record<string, Level> {
  const out: Record<string, Level> = {};
  if (!isObject(raw)) return out;
  for (const [code, level] of Object.entries(raw)) if (typeof level === 'string' && (LEVELS as readonly string[]).includes(level)) out[code] = level as Level;
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
