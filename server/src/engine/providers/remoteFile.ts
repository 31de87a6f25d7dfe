/**
 * remote_file: checksum-aware. With `checksum` and a local file whose sha256 matches, nothing to
 * do; otherwise a plan cannot know the remote content (plans run without network), and says so.
 * The converge downloads with curl or wget inside the container and verifies the checksum.
 */
import { PropReader } from '../props';
import type { Provider } from '../types';
import { attrChanges, attrScript, change, checkOwnership, checkParent, failedStep, pathQueries, shQuote, unknownStep, upToDate } from './common';
import { fileWant } from './file';

function want(r: Parameters<Provider['queries']>[0]) {
  const w = fileWant(r);
  const reader = new PropReader(r);
  return { ...w, source: reader.list('source') ?? [], checksum: reader.str('checksum')?.toLowerCase() };
}

export const remoteFileProvider: Provider = {
  types: ['remote_file'],
  actions: ['create', 'create_if_missing', 'delete', 'touch', 'nothing'],
  queries(r) {
    const w = want(r);
    // Content is read so the sha256 can be compared; large files are hashed in the container.
    return pathQueries(w.path, w.attrs, true);
  },
  plan(ctx) {
    const w = want(ctx.resource);
    if (w.reader.reasons.length) return unknownStep(w.reader.reasons.join('; '));
    const cur = ctx.state.path(w.path);
    if (!cur.ok) return unknownStep(cur.reason);
    const c = cur.value;
    if (ctx.action === 'delete') {
      if (c.kind === 'missing') return upToDate();
      ctx.state.setPath(w.path, { kind: 'missing', by: ctx.resource.id });
      return change([{ property: 'path', from: w.path, to: null, message: `would delete ${w.path}` }]);
    }
    const own = checkOwnership(ctx.state, w.attrs);
    if (own.failed) return failedStep(own.failed);
    const src = w.source[0] ?? '(no source)';
    if (c.kind === 'missing') {
      const p = checkParent(ctx.state, w.path);
      if (p.failed) return failedStep(p.failed);
      ctx.state.setPath(w.path, { kind: 'file', sha256: w.checksum, ...w.attrs, by: ctx.resource.id });
      return change([{ property: 'source', from: null, to: src, message: `would download ${src} to ${w.path}` }, ...attrChanges(w.path, undefined, w.attrs)],
        { assumptions: [...own.assumptions, ...(p.assumption ? [p.assumption] : [])], reason: w.checksum ? `checksum ${w.checksum.slice(0, 12)}…` : 'content unknown until downloaded (plans run without network)' });
    }
    const attrs = attrChanges(w.path, c, w.attrs);
    const matches = w.checksum && c.sha256 && c.sha256.startsWith(w.checksum);
    if (ctx.action === 'create_if_missing' || matches) {
      if (attrs.length) ctx.state.setPath(w.path, { ...c, ...w.attrs, by: ctx.resource.id });
      return change(attrs, { reason: matches ? 'checksum matches' : `${w.path} exists`, assumptions: own.assumptions });
    }
    if (w.checksum) {
      ctx.state.setPath(w.path, { ...c, sha256: w.checksum, ...w.attrs, by: ctx.resource.id });
      return change([{ property: 'checksum', from: c.sha256 ?? null, to: w.checksum, message: `would download ${src} (local checksum differs)` }, ...attrs], { assumptions: own.assumptions });
    }
    return unknownStep(`whether ${src} differs from ${w.path} cannot be known without network (give a checksum to decide offline)`, { changes: attrs });
  },
  apply(ctx) {
    const w = want(ctx.resource);
    const p = shQuote(w.path);
    if (ctx.action === 'delete') return { script: `rm -f ${p}` };
    const fetch = w.source.map((s) => `{ curl -fsSL -o "$t" ${shQuote(s)} 2>/dev/null || wget -q -O "$t" ${shQuote(s)}; }`).join(' || ');
    const verify = w.checksum ? `\necho ${shQuote(`${w.checksum}  `)}"$t" | sha256sum -c --status || { echo "cloche: checksum mismatch for ${w.source[0]}" >&2; exit 1; }` : '';
    return { script: [
      'set -e', `p=${p}`, 't=$(mktemp "$(dirname "$p")/.cloche-XXXXXX")', 'trap \'rm -f "$t"\' EXIT',
      `command -v curl >/dev/null 2>&1 || command -v wget >/dev/null 2>&1 || { echo "cloche: remote_file needs curl or wget in the container" >&2; exit 1; }`,
      `${fetch || 'false'} || { echo "cloche: could not download ${w.source.join(', ')}" >&2; exit 1; }${verify}`,
      'if [ -e "$p" ]; then chmod --reference="$p" "$t"; chown --reference="$p" "$t"; else chmod 0644 "$t"; fi',
      attrScript('"$t"', w.attrs), 'mv -f "$t" "$p"', 'trap - EXIT',
    ].filter(Boolean).join('\n') };
  },
};
