/**
 * remote_file, checksum-aware, with the container's own tools (never downloaded on the host). A
 * `file://` source is a path in the container: the plan reads its hash and compares it with the
 * file (and the checksum), the converge copies it. An http(s)/ftp source is fetched at converge
 * inside the container with curl, else wget, else apt's `/usr/lib/apt/apt-helper download-file`
 * (in every image with apt, so the minimal base image downloads without curl); https also needs
 * the CA certificates (package ca-certificates). Sources are tried in order, as Chef does. A plan
 * has no network: with `checksum` and a local file whose sha256 starts with it, nothing to do
 * (Chef's rule); otherwise whether the remote content differs is unknown, and said so. The
 * downloaded file must match the checksum exactly (Chef's ChecksumMismatch).
 */
import type { PlanChange } from '../../protocol';
import type { Query } from '../probeScript';
import { PropReader } from '../props';
import type { VirtualState } from '../state';
import type { ApplyScript, EngineResource, PlanContext, Provider, ProviderStep } from '../types';
import { attrChanges, attrScript, change, checkOwnership, checkParent, failedStep, pathQueries, shQuote, unknownStep, upToDate } from './common';
import { fileWant } from './file';
import { installedEarlierBy, toolPackage } from './tools';

/** apt's downloader, present wherever apt is. */
export const APT_HELPER = '/usr/lib/apt/apt-helper';
/** The CA bundle curl, wget and apt verify https against on Debian and Ubuntu. */
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const DOWNLOADERS = ['curl', 'wget'] as const;

/** A source: a path in the container (`file://`), a URL the container downloads, or one Cloche cannot fetch. */
type Source = { url: string; local: string } | { url: string; remote: true; https: boolean } | { url: string; unsupported: string };

/** Classifies a source URL as Chef's fetchers do (http, https, ftp, file; sftp and others are not Cloche's). */
export function classifySource(url: string): Source {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  const scheme = m?.[1].toLowerCase();
  if (scheme === 'file') {
    const u = /^file:\/\/([^/]*)(\/.*)?$/i.exec(url);
    if (!u || (u[1] && u[1] !== 'localhost') || !u[2]) return { url, unsupported: `${url} is not a local file:// URL` };
    try { return { url, local: decodeURIComponent(u[2]) }; } catch { return { url, unsupported: `${url} is not a valid file:// URL` }; }
  }
  if (scheme === 'http' || scheme === 'https' || scheme === 'ftp') return { url, remote: true, https: scheme === 'https' };
  return { url, unsupported: `Cloche cannot fetch ${scheme ? `${scheme}://` : url} sources` };
}

function want(r: EngineResource) {
  const w = fileWant(r);
  const reader = new PropReader(r);
  const source = reader.list('source') ?? [];
  return { ...w, reasons: [...w.reader.reasons, ...reader.reasons], source, sources: source.map(classifySource), checksum: reader.str('checksum')?.toLowerCase() };
}

/** Whether the container can download `s` (a tool, or the CA bundle https needs), or why not; assumptions for what an earlier step installs. */
function canDownload(state: VirtualState, ctx: PlanContext, s: Extract<Source, { remote: true }>): { ok: true; assumptions: string[] } | { ok: false; reason: string } {
  const assumptions: string[] = [];
  const has = DOWNLOADERS.filter((t) => { const k = state.system(`which:${t}`); return k.ok && Boolean(k.value.v?.[0]); });
  const helper = state.path(APT_HELPER);
  if (!has.length && !(helper.ok && helper.value.kind === 'file')) {
    const by = installedEarlierBy(state, toolPackage('curl', ctx.facts)) ?? installedEarlierBy(state, toolPackage('wget', ctx.facts));
    if (!by) return { ok: false, reason: `downloading ${s.url} needs curl, wget or apt's ${APT_HELPER} in the container, and it has none (install package '${toolPackage('curl', ctx.facts)}' earlier in the run)` };
    assumptions.push(`a downloader is installed by ${by} earlier in this run`);
  }
  if (s.https) {
    const ca = state.path(CA_BUNDLE);
    if (!ca.ok) return { ok: false, reason: ca.reason };
    if (ca.value.kind === 'missing') {
      const by = installedEarlierBy(state, 'ca-certificates');
      if (!by) return { ok: false, reason: `${s.url} is https and the container has no CA certificates (${CA_BUNDLE}) to verify it: install package 'ca-certificates' earlier in the run` };
      assumptions.push(`the CA certificates are installed by ${by} earlier in this run`);
    }
  }
  return { ok: true, assumptions };
}

export const remoteFileProvider: Provider = {
  types: ['remote_file'],
  actions: ['create', 'create_if_missing', 'delete', 'touch', 'nothing'],
  queries(r) {
    const w = want(r);
    // Content is read so the sha256 can be compared; large files are hashed in the container.
    const qs: Query[] = pathQueries(w.path, w.attrs, true);
    for (const s of w.sources) {
      if ('local' in s) qs.push({ kind: 'path', path: s.local, content: true });
      if ('remote' in s) {
        qs.push(...DOWNLOADERS.map((t): Query => ({ kind: 'system', name: `which:${t}` })), { kind: 'path', path: APT_HELPER });
        if (s.https) qs.push({ kind: 'path', path: CA_BUNDLE });
      }
    }
    return qs;
  },
  plan(ctx) {
    const { state, resource: r } = ctx;
    const w = want(r);
    if (w.reasons.length) return unknownStep(w.reasons.join('; '));
    const cur = state.path(w.path);
    if (!cur.ok) return unknownStep(cur.reason);
    const c = cur.value;
    if (ctx.action === 'delete') {
      if (c.kind === 'missing') return upToDate();
      state.setPath(w.path, { kind: 'missing', by: r.id });
      return change([{ property: 'path', from: w.path, to: null, message: `would delete ${w.path}` }]);
    }
    if (!w.sources.length) return failedStep('remote_file has an empty source');
    if (c.kind === 'directory') return failedStep(`${w.path} is a directory, not a file`);
    const own = checkOwnership(state, w.attrs);
    if (own.failed) return failedStep(own.failed);
    if (own.unknown) return unknownStep(own.unknown);
    const assumptions = [...own.assumptions];
    const exists = c.kind !== 'missing';
    const attrs = attrChanges(w.path, exists ? c : undefined, w.attrs);
    const matches = Boolean(exists && w.checksum && c.sha256 && c.sha256.startsWith(w.checksum));
    if (exists && (ctx.action === 'create_if_missing' || matches)) {
      if (attrs.length) state.setPath(w.path, { ...c, ...w.attrs, by: r.id });
      return change(attrs, { reason: matches ? 'checksum matches' : `${w.path} exists`, assumptions });
    }
    if (!exists) {
      const p = checkParent(state, w.path);
      if (p.failed) return failedStep(p.failed);
      if (p.unknown) return unknownStep(p.unknown);
      if (p.assumption) assumptions.push(p.assumption);
    }

    // The first source that will answer, as Chef tries them in order.
    const problems: string[] = [];
    for (const s of w.sources) {
      if ('unsupported' in s) { problems.push(s.unsupported); continue; }
      if ('local' in s) {
        const k = state.path(s.local);
        if (!k.ok) return unknownStep(k.reason);
        if (k.value.kind === 'missing' && !k.value.by && !state.opaque.length) { problems.push(`${s.local} does not exist`); continue; }
        if (k.value.kind === 'directory') { problems.push(`${s.local} is a directory`); continue; }
        const created = k.value.kind === 'missing' ? `assuming ${s.local} is created by ${state.opaque.join(', ')} (planned earlier; its files cannot be simulated)`
          : k.value.by ? `${s.local} is written earlier by ${k.value.by}` : undefined;
        if (created) assumptions.push(created);
        const srcSha = k.value.kind === 'missing' ? undefined : k.value.sha256;
        if (srcSha && w.checksum && srcSha !== w.checksum) return failedStep(`checksum mismatch: ${s.url} has sha256 ${srcSha.slice(0, 12)}…, not ${w.checksum.slice(0, 12)}… (Chef raises ChecksumMismatch)`);
        if (srcSha && exists && c.sha256 === srcSha) {
          if (attrs.length) state.setPath(w.path, { ...c, ...w.attrs, by: r.id });
          return change(attrs, { reason: `${w.path} has the content of ${s.local}`, assumptions });
        }
        return copyStep(ctx, w, srcSha, [{ property: exists ? 'content' : 'source', from: exists ? c.sha256 ?? null : null, to: s.url,
          message: exists ? `would update ${w.path} from ${s.local}` : `would copy ${s.local} to ${w.path}` }, ...attrs], assumptions);
      }
      const d = canDownload(state, ctx, s);
      if (!d.ok) return unknownStep(d.reason, { assumptions });
      assumptions.push(...d.assumptions);
      if (!exists) {
        return copyStep(ctx, w, w.checksum, [{ property: 'source', from: null, to: s.url, message: `would download ${s.url} to ${w.path}` }, ...attrs], assumptions,
          w.checksum ? `checksum ${w.checksum.slice(0, 12)}…` : 'content unknown until downloaded (plans run without network)');
      }
      if (w.checksum) {
        return copyStep(ctx, w, w.checksum, [{ property: 'checksum', from: c.sha256 ?? null, to: w.checksum, message: `would download ${s.url} (local checksum differs)` }, ...attrs], assumptions);
      }
      return unknownStep(`whether ${s.url} differs from ${w.path} cannot be known without network (give a checksum to decide offline)`, { changes: attrs, assumptions });
    }
    return failedStep(`no source can be fetched: ${problems.join('; ')}`);
  },
  apply(ctx): ApplyScript {
    const w = want(ctx.resource);
    const p = shQuote(w.path);
    if (ctx.action === 'delete') return { script: `rm -f ${p}` };
    if (w.reasons.length) throw new Error(`cannot fetch ${w.path}: ${w.reasons.join('; ')}`);
    const tries = w.sources.flatMap((s) => ('local' in s ? [`cp -- ${shQuote(s.local)} "$t"`] : 'remote' in s ? [`fetch_url ${shQuote(s.url)}`] : []));
    const verify = w.checksum
      ? `echo ${shQuote(`${w.checksum}  `)}"$t" | sha256sum -c --status || { echo "cloche: checksum mismatch for the file from "${shQuote(w.source.join(', '))}": sha256 $(sha256sum < "$t" | cut -c1-64), expected "${shQuote(w.checksum)} >&2; exit 1; }`
      : '';
    return { script: [
      'set -e', `p=${p}`, 't=$(mktemp "$(dirname "$p")/.cloche-XXXXXX")', 'trap \'rm -f "$t"\' EXIT',
      // curl, wget, or apt's own downloader (as the _apt user, into a directory it may write).
      'fetch_url() {',
      '  if command -v curl >/dev/null 2>&1; then curl -fsSL -o "$t" "$1"',
      '  elif command -v wget >/dev/null 2>&1; then wget -q -O "$t" "$1"',
      `  elif [ -x ${APT_HELPER} ]; then _d=$(mktemp -d); chown _apt "$_d" 2>/dev/null || true; _r=0; ${APT_HELPER} download-file "$1" "$_d/f" || _r=$?; [ $_r -eq 0 ] && cat "$_d/f" > "$t"; rm -rf "$_d"; return $_r`,
      `  else echo "cloche: downloading $1 needs curl, wget or ${APT_HELPER} in the container" >&2; return 2; fi`,
      '}',
      'ok=',
      ...tries.map((x) => `[ -n "$ok" ] || { ${x} && ok=1 || true; }`),
      `[ -n "$ok" ] || { echo "cloche: could not fetch "${shQuote(w.source.join(', '))} >&2; [ -e ${CA_BUNDLE} ] || echo "cloche: (an https source needs the CA certificates: package ca-certificates)" >&2; exit 1; }`,
      verify,
      'if [ -e "$p" ]; then chmod --reference="$p" "$t"; chown --reference="$p" "$t"; else chmod 0644 "$t"; fi',
      attrScript('"$t"', w.attrs), 'mv -f "$t" "$p"', 'trap - EXIT',
    ].filter(Boolean).join('\n') };
  },
};

/** A step that writes the file: its effect in the state (the new hash when known). */
function copyStep(ctx: PlanContext, w: ReturnType<typeof want>, to: string | undefined, changes: PlanChange[], assumptions: string[], reason?: string): ProviderStep {
  const c = ctx.state.path(w.path);
  const base = c.ok && c.value.kind !== 'missing' ? c.value : { kind: 'file' as const };
  ctx.state.setPath(w.path, { ...base, kind: 'file', content: undefined, sha256: to, ...w.attrs, by: ctx.resource.id });
  return change(changes, { assumptions, ...(reason ? { reason } : {}) });
}
