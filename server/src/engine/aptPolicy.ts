/**
 * apt's candidate version, computed as apt computes it (apt_preferences(5); apt-pkg's policy and
 * version matching, apt 2.x), from data the probe read without running apt: the Release metadata
 * of each list, the preferences files and APT::Default-Release. Pure: plain data in and out.
 *
 * Priorities of package files (lists): 500 by default; 100 for the dpkg status file (the installed
 * version) and for archives whose Release says `ButAutomaticUpgrades: yes`; 1 for `NotAutomatic:
 * yes` alone. Then the general pins (`Package: *`) in order — APT::Default-Release first (990),
 * then /etc/apt/preferences, then /etc/apt/preferences.d in apt's file order: the first pin that
 * matches a file sets its priority, except that a `never` pin always wins.
 *
 * A version's priority: the first package-specific pin (`Package: name`, globs, `/regex/`,
 * `src:name`, `name:arch`) that matches it — unless every file of the version is `never` — else
 * the highest priority of the files it is in. The candidate: the highest version among those of
 * the highest priority above 0; versions below the installed one are skipped unless their
 * priority is 1000 or more (a downgrade), so on a tie the installed version keeps its place over
 * lower ones and loses only to a higher version of the same priority.
 *
 * Not modelled: phased updates (Ubuntu's APT::Get::Phase-Policy, off by default) and apt's
 * version hashes (two builds with the same version string are one version here).
 */
import { compareDebVersions } from './debVersion';
import { RE2JS } from 're2js';

/** `Pin-Priority: never`: no version from such a file is ever a candidate. */
export const NEVER = -32768;

/** What a Release (or InRelease) file says about an archive. */
export interface AptRelease {
  /** `Suite:` (apt's "archive", `a=`). */
  suite?: string;
  codename?: string;
  version?: string;
  origin?: string;
  label?: string;
  /** The host of the repository's URI (`Pin: origin`); '' for file: and other host-less URIs. */
  site?: string;
  notAutomatic: boolean;
  butAutomaticUpgrades: boolean;
}

/** One package file apt reads: a Packages list (with its Release, if any) or the dpkg status file. */
export interface AptIndex {
  /** Stable identity (the list's file name, or `status`). */
  id: string;
  /** For people: `deb.debian.org/debian bookworm/main`. */
  describe: string;
  release?: AptRelease;
  /** `c=`: the component of the sources entry (`main`); 'now' for the status file. */
  component?: string;
  /** `b=`: the list's architecture. */
  arch?: string;
  /** The dpkg status file (only the installed version is in it). */
  status?: boolean;
}

/** The status file, as apt sees it. */
export const STATUS_INDEX: AptIndex = { id: 'status', describe: 'the dpkg status file (installed)', component: 'now', status: true };

/** One version of a package and the lists it is in. */
export interface AptVersion {
  version: string;
  /** `all` or an architecture. */
  arch: string;
  /** The source package's name (the package's own when the stanza has no `Source:`). */
  source?: string;
  indexes: AptIndex[];
}

/** One pin of a preferences file. */
export interface AptPin {
  file: string;
  /** Line of the record's first field (1-based). */
  line: number;
  /** Package-specific names as written (`nginx`, `lib*`, `/^php/`, `src:foo`, `foo:i386`); absent for `Package: *`. */
  packages?: string[];
  type: 'version' | 'release' | 'origin';
  data: string;
  priority: number;
}

/** Preferences parsed: the pins, apt's warnings, and the error that makes apt refuse to run. */
export interface ParsedPreferences { pins: AptPin[]; warnings: string[]; error?: string }

/** strtol(…, 10) as apt's FindI uses it: leading blanks, a sign, digits; junk after them ignored; none: undefined. */
function strtol(s: string): number | undefined {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m ? Number(m[1]) : undefined;
}

/**
 * Parses one preferences file as apt does (pkgTagFile with comments; ReadPinFile): records
 * separated by empty lines (a line of blanks does not end one, nor does a comment), `#` comment
 * lines, case-insensitive field names (the last of a repeated field counts), continuation lines.
 * A record without `Package`, a zero or missing priority, an out-of-range one, or `never` for
 * specific packages makes apt fail (`error`); an unknown pin type is a warning and skipped.
 */
export function parsePreferences(text: string, file: string): ParsedPreferences {
  const out: ParsedPreferences = { pins: [], warnings: [] };
  const records: { line: number; fields: Map<string, string> }[] = [];
  let cur: { line: number; fields: Map<string, string> } | undefined;
  let last: string | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].replace(/\r$/, '');
    // Comment lines (even indented) vanish without ending the record; only an empty line ends it.
    if (/^\s*#/.test(l)) continue;
    if (!l) { cur = undefined; last = undefined; continue; }
    if (/^[ \t]/.test(l)) {
      if (cur && last) cur.fields.set(last, `${cur.fields.get(last)}\n${l.trim()}`.trim());
      continue;
    }
    const m = /^([^:\s]+)\s*:(.*)$/.exec(l);
    if (!m) { out.error = `Invalid record in the preferences file ${file}, no Package header (line ${i + 1}: ${JSON.stringify(l)})`; return out; }
    if (!cur) { cur = { line: i + 1, fields: new Map() }; records.push(cur); }
    // A field given twice: the last one counts (as apt 2.x reads it).
    last = m[1].toLowerCase();
    cur.fields.set(last, m[2].trim());
  }
  for (const r of records) {
    const name = r.fields.get('package') ?? '';
    if (!name) { out.error = `Invalid record in the preferences file ${file}, no Package header (line ${r.line})`; return out; }
    const pin = r.fields.get('pin');
    if (pin === undefined) continue;
    const word = /^\S*/.exec(pin)![0];
    const data = pin.slice(word.length).trim();
    const general = name === '*';
    const t = word.toLowerCase();
    const type = t === 'version' && !general ? 'version' : t === 'release' ? 'release' : t === 'origin' ? 'origin' : undefined;
    if (!type) { out.warnings.push(`${file}:${r.line}: apt does not understand pin type ${word} (record ignored)`); continue; }
    const sp = r.fields.get('pin-priority') ?? '';
    let priority = sp === 'never' ? NEVER : strtol(sp) ?? 0;
    if (sp === 'never' && !general) { out.error = `${file}: The special 'Pin-Priority: never' can only be used for 'Package: *' records (line ${r.line})`; return out; }
    if (priority === NEVER && sp !== 'never') priority = NEVER + 1;
    if (priority < NEVER || priority > 32767) { out.error = `${file}: Value ${sp} is outside the range of valid pin priorities (${NEVER} to 32767) (line ${r.line})`; return out; }
    if (priority === 0) { out.error = `${file}: No priority (or zero) specified for pin (line ${r.line})`; return out; }
    out.pins.push({ file, line: r.line, ...(general ? {} : { packages: name.split(/\s+/).filter(Boolean) }), type, data, priority });
  }
  return out;
}

/**
 * Which files of a preferences.d directory apt reads, in its order: regular files whose name has
 * the extension `pref` or none, made of letters, digits, `_`, `-`, `:` and `.`, not ending with
 * a period, not hidden; sorted bytewise.
 */
export function preferencePartsOrder(names: string[]): string[] {
  return names.filter((n) => {
    if (!n || n.startsWith('.') || n.endsWith('.')) return false;
    if (!/^[A-Za-z0-9_:.-]+$/.test(n)) return false;
    const dot = n.lastIndexOf('.');
    return dot < 0 || n.slice(dot + 1) === 'pref';
  }).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** fnmatch(3) with FNM_CASEFOLD (no FNM_PATHNAME, no FNM_PERIOD) as a RegExp. */
function globRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]);
    else if (c === '[') {
      let j = i + 1;
      let neg = false;
      if (pattern[j] === '!' || pattern[j] === '^') { neg = true; j++; }
      let body = '';
      let first = true;
      for (; j < pattern.length && (first || pattern[j] !== ']'); j++, first = false) {
        const d = pattern[j];
        if (d === '\\' && j + 1 < pattern.length) body += escapeRe(pattern[++j]);
        else if (d === '-' && !first && j + 1 < pattern.length && pattern[j + 1] !== ']') body += '-';
        else body += escapeRe(d);
      }
      if (j >= pattern.length) { re += '\\['; continue; } // no closing bracket: a literal '['
      re += `[${neg ? '^' : ''}${body}]`;
      i = j;
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, 'i');
}

function escapeRe(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

/**
 * apt's ExpressionMatches: `/regex/` is a case-insensitive POSIX extended regular expression
 * (searched, not anchored), anything else an fnmatch glob, case-insensitive. A field the Release
 * file does not have never matches.
 */
export function expressionMatches(pattern: string, s: string | undefined): boolean {
  if (s === undefined) return false;
  if (pattern.length >= 2 && pattern.startsWith('/') && pattern.endsWith('/')) {
    // A recipe can write the preferences (apt_preference): its pattern runs in linear time (RE2 reads POSIX EREs), never backtracking.
    try { return RE2JS.compile(pattern.slice(1, -1), RE2JS.CASE_INSENSITIVE).test(s); } catch { return false; }
  }
  try { return globRegExp(pattern).test(s); } catch { return false; }
}

/** apt's MatchVer: case-insensitive, a prefix when the pattern ended with `*`. */
function matchVer(a: string | undefined, b: string, prefix: boolean): boolean {
  if (a === undefined) return false;
  if (prefix ? a.length < b.length : a.length !== b.length) return false;
  return a.slice(0, b.length).toLowerCase() === b.toLowerCase();
}

/** pkgVersionMatch: a pin's `Pin:` value, cut up by type. */
class VersionMatch {
  private verStr = '';
  private verPrefix = false;
  private matchAll = false;
  private rel: { v?: string; vPrefix?: boolean; o?: string; a?: string; n?: string; l?: string; c?: string; b?: string; release?: string } = {};
  private site: string | undefined;
  private none = false;

  constructor(data: string, readonly type: 'version' | 'release' | 'origin') {
    if (!data.length) { this.none = true; return; }
    if (type === 'version') {
      this.verPrefix = data.endsWith('*');
      this.verStr = this.verPrefix ? data.slice(0, -1) : data;
      return;
    }
    if (type === 'origin') {
      this.site = data.length >= 2 && data.startsWith('"') && data.endsWith('"') ? data.slice(1, -1) : data;
      return;
    }
    if (data === '*') { this.matchAll = true; return; }
    if (!data.includes('=')) {
      if (/^\d/.test(data)) { this.rel.vPrefix = data.endsWith('*'); this.rel.v = this.rel.vPrefix ? data.slice(0, -1) : data; } else this.rel.release = data;
      return;
    }
    for (const frag of data.split(',').map((f) => f.trim()).filter(Boolean)) {
      if (frag.length < 3 || frag[1] !== '=') continue;
      const k = frag[0].toLowerCase();
      const v = frag.slice(2);
      if (k === 'v') this.rel.v = v;
      else if (k === 'o') this.rel.o = v;
      else if (k === 'a') this.rel.a = v;
      else if (k === 'n') this.rel.n = v;
      else if (k === 'l') this.rel.l = v;
      else if (k === 'c') this.rel.c = v;
      else if (k === 'b') this.rel.b = v;
    }
    if (this.rel.v?.endsWith('*')) { this.rel.vPrefix = true; this.rel.v = this.rel.v.slice(0, -1); }
  }

  /** FileMatch against a Release file. */
  private releaseMatch(r: AptRelease): boolean {
    if (this.type === 'origin') {
      if (this.site !== '' && r.site === undefined) return false;
      return expressionMatches(this.site ?? '', r.site);
    }
    if (this.matchAll) return true;
    const x = this.rel;
    if (x.v === undefined && x.o === undefined && x.a === undefined && x.l === undefined && x.release === undefined && x.n === undefined && x.c === undefined && x.b === undefined) return false;
    if (x.v !== undefined && !matchVer(r.version, x.v, !!x.vPrefix) && !expressionMatches(x.v, r.version)) return false;
    if (x.o !== undefined && !expressionMatches(x.o, r.origin)) return false;
    if (x.a !== undefined && !expressionMatches(x.a, r.suite)) return false;
    if (x.n !== undefined && !expressionMatches(x.n, r.codename)) return false;
    if (x.release !== undefined && !expressionMatches(x.release, r.suite) && !expressionMatches(x.release, r.codename)) return false;
    if (x.l !== undefined && !expressionMatches(x.l, r.label)) return false;
    return true;
  }

  /** FileMatch against a package file (a list, or the status file which has no Release). */
  fileMatch(ix: AptIndex): boolean {
    if (this.none) return false;
    if (ix.release) {
      if (!this.releaseMatch(ix.release)) return false;
    } else if (this.type === 'release') {
      // Files without a Release (the status file) keep their archive ("now") as the component.
      const x = this.rel;
      if (x.a !== undefined && !expressionMatches(x.a, ix.component)) return false;
      if (x.release !== undefined && !expressionMatches(x.release, ix.component)) return false;
      if (x.o !== undefined || x.l !== undefined || x.v !== undefined || x.n !== undefined) return false;
    } else return false;
    if (this.type === 'release') {
      if (this.matchAll) return true;
      if (this.rel.c !== undefined && !expressionMatches(this.rel.c, ix.component)) return false;
      if (this.rel.b !== undefined && !expressionMatches(this.rel.b, ix.arch)) return false;
    }
    return true;
  }

  /** VersionMatches: the version string for `Pin: version`, else any of its files. */
  versionMatches(version: string, indexes: AptIndex[]): boolean {
    if (this.none) return false;
    if (this.type === 'version') return matchVer(version, this.verStr, this.verPrefix) || expressionMatches(this.verStr, version);
    return indexes.some((ix) => this.fileMatch(ix));
  }
}

/** A version's priority and where it comes from. */
export interface VersionPriority {
  version: string;
  priority: number;
  /** `from deb.debian.org/debian bookworm/main`, `pinned by /etc/apt/preferences.d/x line 1`, `installed` … */
  why: string;
  indexes: AptIndex[];
}

/** apt's answer for one package. */
export interface CandidateResult {
  /** Undefined: apt has no installation candidate (nothing above priority 0, or only lower versions). */
  candidate?: string;
  priority?: number;
  /** Every version, highest first, with its priority. */
  table: VersionPriority[];
  /** Set when apt itself would fail before choosing (bad preferences, bad Default-Release). */
  error?: string;
}

/** A package as the policy sees it: its name (`name:arch` allowed), installed version, versions in the lists. */
export interface PolicyPackage {
  name: string;
  installed?: string;
  versions: AptVersion[];
}

/** The configuration a policy is built from. */
export interface PolicyConfig {
  /** Every package file apt reads (lists; the status file is implicit). */
  indexes: AptIndex[];
  pins: AptPin[];
  defaultRelease?: string;
  nativeArch?: string;
  /** An error found while reading the preferences (apt refuses to run). */
  error?: string;
}

/**
 * apt's pkgPolicy over a fixed set of package files: file priorities computed once, candidates
 * per package.
 */
export class AptPolicy {
  private readonly filePrio = new Map<string, { priority: number; why: string }>();
  private readonly specific: { pin: AptPin; match: VersionMatch }[];
  readonly error: string | undefined;

  constructor(private readonly cfg: PolicyConfig) {
    let error = cfg.error;
    const defaults: { pin: AptPin; match: VersionMatch; why: string }[] = [];
    const dr = cfg.defaultRelease;
    if (dr) {
      const found = (dr.length > 2 && dr[1] === '=') || cfg.indexes.some((ix) => ix.release
        && (expressionMatches(dr, ix.release.suite) || expressionMatches(dr, ix.release.codename) || expressionMatches(dr, ix.release.version)));
      if (!found) error ??= `The value '${dr}' is invalid for APT::Default-Release as such a release is not available in the sources`;
      else defaults.push({ pin: { file: 'APT::Default-Release', line: 0, type: 'release', data: dr, priority: 990 }, match: new VersionMatch(dr, 'release'), why: `APT::Default-Release ${dr}` });
    }
    for (const pin of cfg.pins) {
      if (!pin.packages) defaults.push({ pin, match: new VersionMatch(pin.data, pin.type), why: `pinned by ${pin.file} line ${pin.line}` });
    }
    this.error = error;
    for (const ix of [...cfg.indexes, STATUS_INDEX]) {
      const r = ix.release;
      let p = ix.status ? { priority: 100, why: '' }
        : r?.butAutomaticUpgrades ? { priority: 100, why: `${r.notAutomatic ? 'NotAutomatic, ' : ''}ButAutomaticUpgrades` }
          : r?.notAutomatic ? { priority: 1, why: 'NotAutomatic' } : { priority: 500, why: '' };
      let fixed = false;
      for (const d of defaults) {
        if ((!fixed || d.pin.priority === NEVER) && p.priority !== NEVER && d.match.fileMatch(ix)) {
          p = { priority: d.pin.priority, why: d.why };
          fixed = true;
        }
      }
      this.filePrio.set(ix.id, p);
    }
    this.specific = cfg.pins.filter((p) => p.packages).map((pin) => ({ pin, match: new VersionMatch(pin.data, pin.type) }));
  }

  /** A package file's priority (lists not given to the constructor: 500). */
  filePriority(ix: AptIndex): number {
    return this.filePrio.get(ix.id)?.priority ?? 500;
  }

  /** `from deb.debian.org/debian bookworm/main`, with what set the file's priority when it is not the default. */
  private fileWhy(ix: AptIndex): string {
    const why = this.filePrio.get(ix.id)?.why;
    return `${ix.status ? 'installed' : `from ${ix.describe}`}${why ? ` (${why})` : ''}`;
  }

  /**
   * Whether a package-specific pin's name applies to this package (CreatePin's lookup): the name,
   * a glob or `/regex/` over names (not the same literal name), `src:` for the source package;
   * without `:arch` a pin is for the native architecture's package, `:any` for all.
   */
  private pinApplies(pin: AptPin, pkgName: string, pkgArch: string, source: string | undefined): boolean {
    const native = this.cfg.nativeArch;
    return (pin.packages ?? []).some((raw) => {
      let name = raw;
      const src = name.startsWith('src:');
      if (src) name = name.slice(4);
      const colon = name.lastIndexOf(':');
      const arch = colon >= 0 ? name.slice(colon + 1) : undefined;
      if (colon >= 0) name = name.slice(0, colon);
      if (arch !== undefined ? arch !== 'any' && arch !== pkgArch : native !== undefined && pkgArch !== native) return false;
      const subject = src ? source ?? pkgName : pkgName;
      const wildcard = (name.length >= 2 && name.startsWith('/') && name.endsWith('/')) || /[*[?]/.test(name);
      return wildcard ? name !== subject && expressionMatches(name, subject) : name === subject;
    });
  }

  /** apt's GetPriority(version). */
  private versionPriority(pkgName: string, pkgArch: string, v: AptVersion): { priority: number; why: string } {
    for (const { pin, match } of this.specific) {
      if (!this.pinApplies(pin, pkgName, pkgArch, v.source) || !match.versionMatches(v.version, v.indexes)) continue;
      const why = `pinned by ${pin.file} line ${pin.line}`;
      if (pin.priority === NEVER) return { priority: NEVER, why };
      if (v.indexes.some((ix) => this.filePriority(ix) !== NEVER)) return { priority: pin.priority, why };
      break; // the first matching pin is the version's pin; all its files are `never`
    }
    let best: { priority: number; why: string } | undefined;
    for (const ix of v.indexes) {
      const p = this.filePriority(ix);
      if (!best || p > best.priority) best = { priority: p, why: this.fileWhy(ix) };
    }
    return best ?? { priority: 0, why: 'in no package file' };
  }

  /**
   * The candidate for `pkg`: versions are those in the lists (of the package's architecture or
   * `all`), plus the installed one (in the status file).
   */
  candidate(pkg: PolicyPackage): CandidateResult {
    if (this.error) return { table: [], error: this.error };
    const colon = pkg.name.indexOf(':');
    const name = colon >= 0 ? pkg.name.slice(0, colon) : pkg.name;
    const arch = colon >= 0 ? pkg.name.slice(colon + 1) : this.cfg.nativeArch ?? '';
    const byVersion = new Map<string, AptVersion>();
    for (const v of pkg.versions) {
      const prev = byVersion.get(v.version);
      byVersion.set(v.version, prev ? { ...prev, indexes: [...prev.indexes, ...v.indexes.filter((ix) => !prev.indexes.includes(ix))] } : { ...v, indexes: [...v.indexes] });
    }
    if (pkg.installed) {
      const prev = byVersion.get(pkg.installed);
      byVersion.set(pkg.installed, prev ? { ...prev, indexes: [...prev.indexes, STATUS_INDEX] } : { version: pkg.installed, arch, source: name, indexes: [STATUS_INDEX] });
    }
    const versions = [...byVersion.values()].sort((a, b) => compareDebVersions(b.version, a.version));
    const table: VersionPriority[] = [];
    let cand: VersionPriority | undefined;
    for (const v of versions) {
      const p = this.versionPriority(name, arch, v);
      const row: VersionPriority = { version: v.version, priority: p.priority, why: p.why, indexes: v.indexes };
      table.push(row);
      if (p.priority === 0 || p.priority <= (cand?.priority ?? -1)) continue;
      if (pkg.installed && p.priority < 1000 && compareDebVersions(v.version, pkg.installed) < 0) continue;
      cand = row;
    }
    return { candidate: cand?.version, priority: cand?.priority, table };
  }
}

/**
 * One line saying why apt picks what it picks: the candidate's priority and origin, then the
 * other versions' (at most `max`).
 */
export function explainCandidate(name: string, r: CandidateResult, max = 4): string {
  const show = (p: VersionPriority) => `${p.version} (priority ${p.priority === NEVER ? 'never' : p.priority}, ${p.why})`;
  const others = r.table.filter((p) => p.version !== r.candidate);
  const rest = others.slice(0, max).map(show).join(', ') + (others.length > max ? `, and ${others.length - max} more` : '');
  const cand = r.table.find((p) => p.version === r.candidate);
  if (!cand) return `apt has no installation candidate for ${name}${rest ? `: ${rest}` : ''}`;
  return `apt's candidate for ${name} is ${show(cand)}${rest ? `; also ${rest}` : ''}`;
}
