/**
 * Where Chef finds a template or cookbook_file source for a platform: the most specific of
 * `host-<fqdn>/`, `<platform>-<version>/`, `<platform>-<major>/`, `<platform>/`, `default/` and the
 * folder itself.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toS, type Value } from '../ruby/values';
import type { PlatformFacts } from './platforms';
import type { Cookbook } from './workspace';
import { type ResourceDecl, propValue } from './resourceDecl';

export type SourceKind = 'templates' | 'files';

/** The folders searched, most specific first. */
export function specificityDirs(facts: PlatformFacts): string[] {
  const v = facts.platformVersion;
  const out = [];
  if (facts.fqdn) out.push(`host-${facts.fqdn}`);
  out.push(`${facts.platform}-${v}`);
  const parts = v.split('.');
  for (let i = parts.length - 1; i >= 1; i--) out.push(`${facts.platform}-${parts.slice(0, i).join('.')}`);
  out.push(facts.platform, 'default', '');
  return out;
}

/** A cookbook's file list as a set (file lists are replaced, never changed, when a cookbook is read again). */
const listSets = new WeakMap<readonly string[], Set<string>>();
function asSet(list: readonly string[]): Set<string> {
  let set = listSets.get(list);
  if (!set) { set = new Set(list); listSets.set(list, set); }
  return set;
}

/** Answers of findSource per file list and platform (a file list is replaced when its cookbook is read again). */
const found = new WeakMap<readonly string[], WeakMap<PlatformFacts, Map<string, string | null>>>();

/** The file a source name resolves to in a cookbook, or undefined. */
export function findSource(cb: Cookbook, kind: SourceKind, source: string, facts: PlatformFacts): string | undefined {
  const list = kind === 'templates' ? cb.files.templates : cb.files.files;
  let perFacts = found.get(list);
  if (!perFacts) { perFacts = new WeakMap(); found.set(list, perFacts); }
  let answers = perFacts.get(facts);
  if (!answers) { answers = new Map(); perFacts.set(facts, answers); }
  const key = `${cb.dir}\0${source}`;
  let answer = answers.get(key);
  if (answer === undefined) {
    const all = asSet(list);
    answer = null;
    for (const dir of specificityDirs(facts)) {
      const candidate = path.join(cb.dir, kind, dir, source);
      if (all.has(candidate)) { answer = candidate; break; }
    }
    answers.set(key, answer);
  }
  return answer ?? undefined;
}

/**
 * Why a cookbook file must not be read, or undefined when it may: a file (or a folder on its way)
 * that is a symlink leading outside the cookbook would carry whatever it points at — a host's
 * secret — into a plan's diff and a container, so it is never read.
 */
export function outsideCookbook(cb: Pick<Cookbook, 'dir'>, file: string): string | undefined {
  let real: string, root: string;
  try { real = fs.realpathSync(file); root = fs.realpathSync(cb.dir); } catch (e) { return `cannot resolve ${file}: ${(e as Error).message}`; }
  if (real === root || real.startsWith(root + path.sep)) return undefined;
  return `${path.relative(cb.dir, file)} is a symlink to ${real}, outside the cookbook: Cloche never reads such a file into a plan or a container`;
}

/** A cookbook file larger than this is not read into a plan or a preview (its content is unknown, saying so). */
export const MAX_COOKBOOK_FILE_BYTES = 64 * 1024 * 1024;

/**
 * A cookbook file's bytes, or why they are not read: only a regular file is (a named pipe would
 * block the reader for ever, a device never ends), and only up to {@link MAX_COOKBOOK_FILE_BYTES}.
 */
export function readCookbookFile(file: string, label = file): { bytes: Buffer } | { error: string } {
  let stat: fs.Stats;
  try { stat = fs.statSync(file); } catch (e) { return { error: `cannot read ${label}: ${(e as Error).message}` }; }
  if (!stat.isFile()) return { error: `${label} is not a regular file: Cloche does not read it` };
  if (stat.size > MAX_COOKBOOK_FILE_BYTES) return { error: `${label} holds more than ${MAX_COOKBOOK_FILE_BYTES / (1024 * 1024)} MiB: too large to plan` };
  try { return { bytes: fs.readFileSync(file) }; } catch (e) { return { error: `cannot read ${label}: ${(e as Error).message}` }; }
}

/**
 * Where a new source file belongs so every platform finds it: the folder itself, or `default/` when
 * the cookbook keeps its files there (the legacy layout). Undefined for a name that leaves the folder.
 */
export function newSourcePath(cb: Cookbook, kind: SourceKind, source: string): string | undefined {
  if (!source || path.isAbsolute(source) || source.split(/[\\/]/).includes('..')) return undefined;
  const existing = kind === 'templates' ? cb.files.templates : cb.files.files;
  const legacy = existing.some((f) => f.startsWith(path.join(cb.dir, kind, 'default') + path.sep));
  return path.join(cb.dir, kind, legacy ? 'default' : '', source);
}

export interface SourceRequest {
  kind: SourceKind;
  /** Names to try, in order (the first found wins). */
  names: string[];
  cookbook: string;
}

/**
 * What a template / cookbook_file resource asks for, or undefined when it is not known statically,
 * is `local`, or is not such a resource.
 */
export function sourceRequest(r: ResourceDecl): SourceRequest | undefined {
  const t = r.resolvedType;
  const kind: SourceKind | undefined = t === 'template' ? 'templates' : t === 'cookbook_file' ? 'files' : undefined;
  if (!kind) return undefined;
  const local = propValue(r, 'local');
  if (local?.k === 'bool' && local.v) return undefined;
  const source = propValue(r, 'source');
  const cookbookV = propValue(r, 'cookbook');
  const byDefault = r.sourceCookbook === undefined ? r.cookbook : r.sourceCookbook ?? undefined;
  const cookbook = cookbookV?.k === 'str' ? cookbookV.v : cookbookV ? undefined : byDefault;
  if (!cookbook) return undefined;
  let names: string[] | undefined;
  if (source === undefined) {
    const pathV = propValue(r, 'path') ?? r.name;
    if (pathV.k !== 'str') return undefined;
    names = [path.basename(pathV.v) + (kind === 'templates' ? '.erb' : '')];
  } else names = stringsOf(source);
  return names ? { kind, names, cookbook } : undefined;
}

function stringsOf(v: Value): string[] | undefined {
  if (v.k === 'str') return [v.v];
  if (v.k === 'array' && v.items.every((i) => i.k === 'str')) return v.items.map(toS);
  return undefined;
}
