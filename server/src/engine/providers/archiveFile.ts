/**
 * archive_file (and its legacy name libarchive_file): extracts tar, tar.gz, tar.bz2, tar.xz,
 * tar.zst and zip archives with the container's own tools (tar and its decompressor, unzip; Chef
 * uses libarchive). Chef's rule: a missing archive fails; a missing destination is created
 * (FileUtils.mkdir_p with `mode`, default 0755) and the archive extracted; an existing destination
 * is extracted into only with `overwrite true`, or with `overwrite :auto` when an entry of the
 * archive is missing there or has another mtime (compared in the container by the probe, with
 * Chef's exact rule: the disk's mtime, nanoseconds included, against the entry's whole seconds).
 * With `owner` or `group`, Chef chowns every entry on every run (a change each time, as Chef
 * reports it). Entries that would land outside the destination are refused, as Chef refuses them.
 * The extracted files cannot be simulated: an extraction is opaque (the converge re-probes after it).
 */
import { posix } from 'node:path';
import type { PlanChange } from '../../protocol';
import { ARCHIVE_FORMAT_FUNCTION, ARCHIVE_LIST_FUNCTION, MAX_ARCHIVE_ENTRIES } from '../probeFunctions';
import { queryKey, type Query } from '../probeScript';
import { PropReader, showMode } from '../props';
import type { EngineResource, Provider, ProviderStep } from '../types';
import { change, checkOwnership, failedStep, shQuote, unknownStep } from './common';
import { missingTool, toolPackage } from './tools';

type Format = 'tar' | 'gzip' | 'bzip2' | 'xz' | 'zstd' | 'zip';
const FORMATS: readonly Format[] = ['tar', 'gzip', 'bzip2', 'xz', 'zstd', 'zip'];

/** The commands extracting each format needs. */
const NEEDS: Record<Format, string[]> = { tar: ['tar'], gzip: ['tar', 'gzip'], bzip2: ['tar', 'bzip2'], xz: ['tar', 'xz'], zstd: ['tar', 'zstd'], zip: ['unzip'] };

/** Extraction flags (Chef's `options`) → GNU tar's and unzip's; undefined: Cloche cannot honour it. */
const TAR_OPTIONS: Record<string, string | undefined> = {
  time: '', owner: '--same-owner', permissions: '--same-permissions', no_overwrite: '--keep-old-files', no_overwrite_newer: '--keep-newer-files',
  acl: '--acls', xattr: '--xattrs', extended_information: '--xattrs', fflags: undefined,
};

/** The format a file name suggests, for an archive that an earlier step creates (its bytes are not known yet). */
export function formatFromName(path: string): Format | undefined {
  const n = path.toLowerCase();
  if (/\.(tar\.gz|tgz|taz)$/.test(n)) return 'gzip';
  if (/\.(tar\.bz2|tbz2?|tb2)$/.test(n)) return 'bzip2';
  if (/\.(tar\.xz|txz)$/.test(n)) return 'xz';
  if (/\.(tar\.zst|tzst)$/.test(n)) return 'zstd';
  if (n.endsWith('.zip')) return 'zip';
  if (n.endsWith('.tar')) return 'tar';
  return undefined;
}

/** What an archive_file resource asks for. */
function want(r: EngineResource) {
  const reader = new PropReader(r);
  const path = reader.str('path') ?? r.name;
  const destination = reader.str('destination') ?? reader.str('extract_to');
  const overwrite = reader.str('overwrite') ?? 'false';
  const options = (reader.list('options') ?? reader.list('extract_options') ?? ['time']).map((o) => o.replace(/^:/, ''));
  const strip = reader.num('strip_components') ?? 0;
  return { reader, path, destination, overwrite, options, strip, mode: reader.mode() ?? '755', owner: reader.str('owner'), group: reader.str('group') };
}

const archiveQuery = (w: ReturnType<typeof want>): Extract<Query, { kind: 'archive' }> =>
  ({ kind: 'archive', path: w.path, dest: w.destination ?? '', strip: w.strip, list: w.overwrite === 'auto' });

/** What the plan decided, for apply (keyed by the step the plan returned). */
interface Decision { create: boolean; extract: boolean; chown: boolean; format?: Format }
const decisions = new WeakMap<ProviderStep, Decision>();

/** `2024-01-02 03:04:05[.frac]` (UTC, as the listing prints it) → whole seconds since the epoch. */
function entrySeconds(stamp: string): number | undefined {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)/.exec(stamp);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000 : undefined;
}

/**
 * Chef's archive_differs_from_disk?: an entry (inside the destination) missing on disk, or whose
 * disk mtime is not the entry's (libarchive's entry mtime has whole seconds; File.mtime has nanoseconds).
 */
function differences(entries: string[]): { differ: string[] } | { unknown: string } {
  const differ: string[] = [];
  for (const line of entries) {
    const [type, stamp, disk, ...rest] = line.split('|');
    const name = rest.join('|');
    if (name.includes('\\')) return { unknown: `the archive entry name ${JSON.stringify(name)} has characters the listing escapes` };
    if (name.startsWith('/') || name.split('/').includes('..')) continue; // outside the destination: Chef skips it here
    const sec = entrySeconds(stamp);
    if (sec === undefined) return { unknown: `unreadable mtime ${JSON.stringify(stamp)} of archive entry ${name}` };
    if (disk === '-') { differ.push(`${name} is missing`); continue; }
    const [s, ns = '0'] = disk.split('.');
    if (Number(s) !== sec || Number(ns) !== 0) differ.push(`${name}${type === 'd' ? ' (directory)' : ''} has another mtime`);
  }
  return { differ };
}

export const archiveFileProvider: Provider = {
  types: ['archive_file', 'libarchive_file'],
  actions: ['extract', 'nothing'],
  queries(r) {
    const w = want(r);
    const qs: Query[] = [{ kind: 'path', path: w.path }];
    if (w.destination) qs.push({ kind: 'path', path: w.destination }, archiveQuery(w));
    if (w.owner && !/^\d+$/.test(w.owner)) qs.push({ kind: 'user', name: w.owner });
    if (w.group && !/^\d+$/.test(w.group)) qs.push({ kind: 'group', name: w.group });
    return qs;
  },
  plan(ctx) {
    const { state, resource: r } = ctx;
    const w = want(r);
    if (w.reader.reasons.length) return unknownStep(w.reader.reasons.join('; '));
    if (!w.destination) return failedStep('archive_file needs a destination (a required property)');
    if (!posix.isAbsolute(w.path)) return unknownStep(`path ${w.path} is relative: Chef expands it against its own working directory`);
    if (!posix.isAbsolute(w.destination)) return unknownStep(`destination ${w.destination} is relative: Chef extracts relative to its own working directory`);
    if (!['true', 'false', 'auto'].includes(w.overwrite)) return unknownStep(`overwrite ${w.overwrite} is not true, false or :auto`);
    const unsupported = w.options.filter((o) => !(o in TAR_OPTIONS) || TAR_OPTIONS[o] === undefined);
    if (unsupported.length) return unknownStep(`Cloche cannot extract with the option${unsupported.length > 1 ? 's' : ''} ${unsupported.map((o) => `:${o}`).join(', ')}`);
    const assumptions: string[] = [];
    const notes: string[] = [];

    // The archive: Chef raises when it is not there.
    const a = state.path(w.path);
    if (!a.ok) return unknownStep(a.reason);
    const archiveChanged = Boolean(a.value.by);
    if (a.value.kind === 'missing') {
      if (!state.opaque.length) return failedStep(`No archive found at ${w.path}! Cannot continue. (and no earlier resource creates it)`);
      assumptions.push(`assuming ${w.path} is created by ${state.opaque.join(', ')} (planned earlier; its files cannot be simulated)`);
    } else if (a.value.kind === 'directory') return failedStep(`${w.path} is a directory, not an archive`);

    // Its format: from its bytes as the probe read them, else (created later in the run) from its name.
    const rec = state.system(queryKey(archiveQuery(w)));
    if (!rec.ok) return unknownStep(rec.reason);
    let format: Format | undefined;
    const probed = rec.value.format?.[0];
    if (!archiveChanged && a.value.kind !== 'missing') {
      if (rec.value.problem) return failedStep(`${w.path} ${rec.value.problem[0]}`);
      if (probed === 'unknown' || !probed) return failedStep(`${w.path} is not an archive Cloche can extract (not tar, gzip, bzip2, xz, zstd or zip by its first bytes)`);
      format = probed as Format;
    } else {
      // Made earlier in this run: its bytes are known only once it is there; its name says what it is.
      format = formatFromName(w.path);
      const made = archiveChanged ? `the archive is created earlier by ${a.value.by}` : undefined;
      if (made) assumptions.push(`${made}; its format is taken from its name (${format ?? 'which does not say'})`);
      else if (!format) assumptions.push(`the format of ${w.path} is known only once it exists (its name does not say)`);
    }
    if (format && !FORMATS.includes(format)) return unknownStep(`unexpected archive format ${format}`);
    const tools = new Set(rec.value.tool ?? []);
    for (const tool of format ? NEEDS[format] : []) {
      if (tools.has(tool)) continue;
      const m = missingTool(state, ctx.facts, tool, `extracting ${w.path} (${format === 'tar' || format === 'zip' ? format : `tar.${format}`}) needs ${tool}`);
      if ('unknown' in m) return unknownStep(m.unknown);
      assumptions.push(m.assumption);
    }

    // The destination.
    const d = state.path(w.destination);
    if (!d.ok) return unknownStep(d.reason);
    const create = d.value.kind === 'missing';
    let extract = create;
    const changes: PlanChange[] = [];
    if (create) {
      changes.push({ property: 'destination', from: null, to: w.destination, message: `would create directory ${w.destination} (mode ${showMode(w.mode)})` });
      changes.push({ property: 'archive', from: null, to: w.path, message: `would extract ${w.path} into ${w.destination}` });
    } else if (w.overwrite === 'true' || w.overwrite === 'auto') {
      if (d.value.kind !== 'directory') return failedStep(`${w.destination} exists and is not a directory (${d.value.kind}): the archive cannot be extracted into it`);
      if (w.overwrite === 'true') {
        extract = true;
        changes.push({ property: 'archive', from: null, to: w.path, message: `would extract ${w.path} into ${w.destination} (overwrite true)` });
      } else if (archiveChanged || a.value.kind === 'missing') {
        return unknownStep(`whether ${w.path} differs from ${w.destination} (overwrite :auto) is known only once the archive exists: it is created earlier in this run`, { assumptions });
      } else if (d.value.by) {
        extract = true;
        changes.push({ property: 'archive', from: null, to: w.path, message: `would extract ${w.path} into ${w.destination} (created earlier by ${d.value.by}; overwrite :auto)` });
      } else {
        if (rec.value.listrc?.[0] !== '0') return unknownStep(`the probe could not list ${w.path} to compare it with ${w.destination} (exit ${rec.value.listrc?.[0] ?? 'none'})`);
        const entries = rec.value.e ?? [];
        if (entries.length > MAX_ARCHIVE_ENTRIES) return unknownStep(`${w.path} has more than ${MAX_ARCHIVE_ENTRIES} entries: Cloche does not compare it entry by entry`);
        const diff = differences(entries);
        if ('unknown' in diff) return unknownStep(diff.unknown);
        if (diff.differ.length) {
          extract = true;
          const shown = diff.differ.slice(0, 3).join(', ') + (diff.differ.length > 3 ? ` and ${diff.differ.length - 3} more` : '');
          changes.push({ property: 'archive', from: null, to: w.path, message: `would extract ${w.path} into ${w.destination}: ${shown} (overwrite :auto)` });
        } else notes.push(`every entry of ${w.path} is in ${w.destination} with the archive's mtime`);
      }
    } else notes.push(`${w.destination} exists and overwrite is false`);

    const chown = Boolean(w.owner || w.group);
    if (chown) {
      const own = checkOwnership(state, { owner: w.owner, group: w.group });
      if (own.failed) return failedStep(own.failed);
      if (own.unknown) return unknownStep(own.unknown);
      notes.push(...own.notes);
      assumptions.push(...own.assumptions);
      const who = `${w.owner ?? ''}${w.group ? `:${w.group}` : ''}`;
      changes.push({ property: 'owner', from: null, to: who, message: `would set the owner of the files extracted in ${w.destination} to ${who} (Chef does it on every run)` });
    }
    if (create) state.setPath(w.destination, { kind: 'directory', owner: 'root', group: 'root', mode: w.mode, by: r.id });
    if (extract) state.opaque.push(r.id);
    const step = change(changes, { reason: notes.join('; ') || undefined, assumptions, opaque: extract });
    decisions.set(step, { create, extract, chown, format });
    return step;
  },
  apply(ctx, step) {
    const w = want(ctx.resource);
    const dec = decisions.get(step);
    if (!dec || !w.destination) throw new Error(`archive_file ${w.path}: the plan's decision is missing`);
    if (!dec.extract && !dec.chown) return undefined;
    const strip = Math.max(0, Math.floor(w.strip));
    const lines = [
      'set -e', `a=${shQuote(w.path)}`, `d=${shQuote(w.destination)}`, 'set -f',
      `[ -e "$a" ] || { echo "cloche: No archive found at $a! Cannot continue." >&2; exit 1; }`,
      ARCHIVE_FORMAT_FUNCTION + ARCHIVE_LIST_FUNCTION,
      'f=$(_arfmt "$a")',
      `case $f in zip) need=unzip ;; tar) need=tar ;; gzip|bzip2|xz|zstd) need="tar $f" ;; *) echo "cloche: $a is not an archive Cloche can extract (tar, gzip, bzip2, xz, zstd or zip)" >&2; exit 1 ;; esac`,
      `for t in $need; do command -v $t >/dev/null 2>&1 || { case $t in ${['tar', 'gzip', 'xz', 'bzip2', 'zstd', 'unzip'].map((t) => `${t}) p=${toolPackage(t, ctx.facts)} ;;`).join(' ')} *) p=$t ;; esac; echo "cloche: extracting $a needs $t, which is not installed in the container (package $p)" >&2; exit 1; }; done`,
      // The entries as they land (strip_components applied); Chef refuses any outside the destination.
      `l=$(_arls "$a" "$f" ${strip})`,
      `case $l in *"rc|0") ;; *) echo "cloche: cannot list $a" >&2; exit 1 ;; esac`,
    ];
    if (dec.extract) {
      lines.push(
        // Chef's check on each entry as stored: where it lands once stripped and resolved (`a/../b` stays inside, `../x` and `/x` do not).
        `r=$(_arls "$a" "$f" 0 raw)`,
        `printf '%s\\n' "$r" | awk -F'|' -v n=${strip} '$1 != "rc" { name = $0; sub(/^[^|]*\\|[^|]*\\|/, "", name); abs = name ~ /^\\//; k = split(name, c, "/"); s = 0; depth = 0; out = 0
          for (i = 1; i <= k; i++) { if (c[i] == "" ) continue; if (s < n) { s++; continue } if (c[i] == ".") continue; if (c[i] == "..") { if (--depth < 0) out = 1 } else depth++ }
          if (s < n) next
          if (abs || out) { print "cloche: Refusing to extract archive entry " name ": it resolves outside the destination (a path traversal), as Chef refuses it" > "/dev/stderr"; bad = 1; exit }
          if (name ~ /(^|\\/)\\.\\.(\\/|$)/) { print "cloche: GNU tar will not extract the archive entry " name " (it contains ..), which Chef would: Cloche cannot extract this archive" > "/dev/stderr"; bad = 1; exit } }
          END { exit bad }'`,
        // FileUtils.mkdir_p(destination, mode:) chmods every directory it creates.
        `mk() { [ -d "$1" ] && return 0; mk "$(dirname "$1")"; mkdir "$1"; chmod ${w.mode.padStart(4, '0')} "$1"; }`,
        'mk "$d"',
      );
      const tarFlags = w.options.map((o) => TAR_OPTIONS[o]).filter(Boolean) as string[];
      if (!w.options.includes('time')) tarFlags.push('--touch');
      if (!w.options.includes('owner')) tarFlags.push('--no-same-owner');
      if (!w.options.includes('permissions')) tarFlags.push('--no-same-permissions');
      const zipFlags = [w.options.includes('no_overwrite') ? '-n' : '-o', ...(w.options.includes('time') ? [] : ['-DD']), ...(w.options.includes('owner') ? ['-X'] : [])];
      const zip = strip === 0
        ? `unzip -q ${zipFlags.join(' ')} "$a" -d "$d"`
        // unzip cannot strip components: into a temporary directory beside, then what lies below the stripped levels is merged in.
        : [`x=$(mktemp -d "$d/.cloche-XXXXXX"); trap 'rm -rf "$x"' EXIT`, `unzip -q ${zipFlags.join(' ')} "$a" -d "$x"`,
          `(cd "$x" && find . -mindepth ${strip + 1} -maxdepth ${strip + 1} -exec cp -a${w.options.includes('no_overwrite') ? 'n' : ''} {} "$d/" \\;)`, 'rm -rf "$x"; trap - EXIT'].join('\n');
      lines.push(`if [ "$f" = zip ]; then\n${zip}\nelse\ntar -x -f "$a" -C "$d" --strip-components=${strip} ${tarFlags.join(' ')}\nfi`);
    }
    if (dec.chown) {
      const who = `${w.owner ? shQuote(w.owner) : ''}${w.group ? `:${shQuote(w.group)}` : ''}`;
      lines.push(`printf '%s\\n' "$l" | while IFS='|' read -r t m n; do [ "$t" = rc ] && continue; case "/$n/" in */../*) continue ;; esac; p="$d/$n"; if [ -e "$p" ] || [ -L "$p" ]; then chown -h ${who} "$p"; fi; done`);
    }
    return { script: lines.join('\n') };
  },
};
