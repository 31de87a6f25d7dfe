/**
 * The platforms a cookbook says it supports (`supports 'windows'` in metadata.rb, `platforms` in
 * metadata.json), and the platform profile a cookbook is checked on when the user names none: an
 * IIS cookbook is checked as Windows, not as Debian.
 *
 * metadata.rb is read from its syntax tree, never run: `supports 'x'[, 'constraint']` at the top
 * level, and the common loop `%w(a b).each do |os| supports os end` (an array of literals).
 */
import * as path from 'node:path';
import type { ParsedRuby } from '../ruby/prism';
import { compareVersions, DEFAULT_PROFILE, familyOf, getPlatformProfile, listPlatformProfiles, platformVersionMatches, type PlatformFacts } from './platforms';

export interface SupportedPlatform {
  /** Ohai's platform name as metadata writes it (`windows`, `ubuntu`, `mac_os_x`). */
  platform: string;
  /** The version constraint (`>= 20.04`), when one is given. */
  constraint?: string;
}

/** The cookbook files `cookbookSupports` reads: a parser and a reader with the workspace's overlay. */
export interface MetadataReader {
  parse(file: string): ParsedRuby | undefined;
  readFile(file: string): string | undefined;
}

/** The `supports` of a cookbook folder: metadata.rb if there is one, else metadata.json. */
export function cookbookSupports(ws: MetadataReader, dir: string): SupportedPlatform[] {
  const parsed = ws.parse(path.join(dir, 'metadata.rb'));
  if (parsed) return supportsFromRuby(parsed);
  const json = ws.readFile(path.join(dir, 'metadata.json'));
  return json ? supportsFromJson(json) : [];
}

/** `supports` calls of a parsed metadata.rb, in order. */
export function supportsFromRuby(parsed: ParsedRuby): SupportedPlatform[] {
  const out: SupportedPlatform[] = [];
  for (const stmt of (parsed.tree as AnyNode).statements?.body ?? []) {
    if (stmt.constructor.name !== 'CallNode') continue;
    if (!stmt.receiver && stmt.name === 'supports') {
      const [platform, constraint] = args(stmt).map((a) => literal(a));
      if (platform) out.push(constraint ? { platform, constraint } : { platform });
    } else if (stmt.name === 'each' && stmt.receiver?.constructor.name === 'ArrayNode' && stmt.block) {
      out.push(...supportsInLoop(stmt));
    }
  }
  return out;
}

/** `%w(a b).each do |os| supports os[, 'c'] end`: one entry per literal element. */
function supportsInLoop(each: AnyNode): SupportedPlatform[] {
  const param: string | undefined = each.block.parameters?.parameters?.requireds?.[0]?.name;
  const items = (each.receiver.elements ?? []).map((e: AnyNode) => literal(e));
  if (!param || items.some((i: string | undefined) => i === undefined)) return [];
  const out: SupportedPlatform[] = [];
  for (const call of each.block.body?.body ?? []) {
    if (call.constructor.name !== 'CallNode' || call.receiver || call.name !== 'supports') continue;
    const [first, second] = args(call);
    if (first?.constructor.name !== 'LocalVariableReadNode' || first.name !== param) continue;
    const constraint = second ? literal(second) : undefined;
    for (const platform of items as string[]) out.push(constraint ? { platform, constraint } : { platform });
  }
  return out;
}

/** metadata.json's `platforms` object (`{ "windows": ">= 0.0.0" }`). */
export function supportsFromJson(text: string): SupportedPlatform[] {
  try {
    const platforms = (JSON.parse(text) as { platforms?: unknown }).platforms;
    if (!platforms || typeof platforms !== 'object' || Array.isArray(platforms)) return [];
    return Object.entries(platforms as Record<string, unknown>).map(([platform, c]) => (typeof c === 'string' && c.trim() ? { platform, constraint: c } : { platform }));
  } catch {
    return [];
  }
}

/** Names metadata uses for a platform Ohai names otherwise, or that one profile stands for. */
const ALIASES: Record<string, string> = {
  centos_stream: 'centos', rockylinux: 'rocky', opensuse: 'opensuseleap', macos: 'mac_os_x', mac_os: 'mac_os_x', solaris: 'solaris2',
};

/** The platform profile chosen for a cookbook, and why when it is not the default. */
export interface DefaultPlatform {
  profile: string;
  /** Set when `supports` chose it: `supports 'windows'`. */
  from?: string;
}

/**
 * The profile to check a cookbook on when none is given: the default (debian-12) when the cookbook
 * names no platform or supports Debian (in a version debian-12 satisfies); otherwise the newest
 * profile of the first supported platform that has one (its version constraint holding), else of
 * the first supported platform's family (`redhat` → almalinux-9); else the default.
 */
export function defaultPlatformFor(supports: SupportedPlatform[]): DefaultPlatform {
  if (!supports.length) return { profile: DEFAULT_PROFILE };
  const def = getPlatformProfile(DEFAULT_PROFILE)!;
  if (supports.some((s) => platformOf(s) === def.platform && satisfies(s, def))) return { profile: DEFAULT_PROFILE };
  const profiles = listPlatformProfiles().map((n) => getPlatformProfile(n)!)
    .sort((a, b) => compareVersions(b.platformVersion, a.platformVersion));
  const pick = (match: (f: PlatformFacts, s: SupportedPlatform) => boolean): DefaultPlatform | undefined => {
    for (const s of supports) {
      const f = profiles.find((p) => match(p, s) && satisfies(s, p));
      if (f) return { profile: f.profile, from: `supports '${s.platform}'${s.constraint ? `, '${s.constraint}'` : ''}` };
    }
    return undefined;
  };
  return pick((f, s) => f.platform === platformOf(s))
    ?? pick((f, s) => f.platformFamily === (familyOf(platformOf(s)) ?? platformOf(s)))
    ?? { profile: DEFAULT_PROFILE };
}

function platformOf(s: SupportedPlatform): string {
  return ALIASES[s.platform] ?? s.platform;
}

function satisfies(s: SupportedPlatform, f: PlatformFacts): boolean {
  return !s.constraint || platformVersionMatches(s.constraint, f.platformVersion);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyNode = any;

function args(call: AnyNode): AnyNode[] {
  return call.arguments_?.arguments_ ?? [];
}

function literal(n: AnyNode): string | undefined {
  const name = n?.constructor.name;
  return name === 'StringNode' || name === 'SymbolNode' ? n.unescaped.value : undefined;
}
