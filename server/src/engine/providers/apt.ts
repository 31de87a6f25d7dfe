/**
 * apt_update and apt_repository. apt_update :periodic compares the age of apt's success stamp with
 * `frequency`, as Chef does; :update always runs. apt_repository writes a sources.list.d entry (a
 * file diff) — a signing key fetched from a URL cannot be known in a plan (no network).
 */
import { PropReader } from '../props';
import type { PlanContext, Provider } from '../types';
import { change, shQuote, unknownStep, upToDate } from './common';
import { planContentFile, writeFileScript } from './file';

/** apt's success stamp, touched by the hook Chef's apt_update installs. */
const STAMP = '/var/lib/apt/periodic/update-success-stamp';
const HOOK = '/etc/apt/apt.conf.d/15update-stamp';
const HOOK_CONTENT = 'APT::Update::Post-Invoke-Success {"touch /var/lib/apt/periodic/update-success-stamp 2>/dev/null || true";};\n';

const PACKAGE_TYPES = new Set(['package', 'apt_package', 'dpkg_package']);

/**
 * Whether refreshing the apt lists can change how a later step plans: only an `:upgrade` of a
 * package (declared or notified) reads the candidate version; installs, pinned versions and
 * removals do not (a package's default action is :install). When it cannot, an update need not end the converge's batch for a re-probe
 * (one exec less); the steps after it are planned with `listsRefreshedBy` set, as in a plan.
 */
function candidatesMatter(ctx: PlanContext): boolean {
  return ctx.input.resources.some((r) => (PACKAGE_TYPES.has(r.resolvedType) || PACKAGE_TYPES.has(r.type)) && r.actions.some((a) => a.replace(/^:/, '') === 'upgrade'))
    || ctx.input.resources.some((r) => r.notifies.some((n) => n.action.replace(/^:/, '') === 'upgrade'));
}

export const aptUpdateProvider: Provider = {
  types: ['apt_update'],
  actions: ['periodic', 'update', 'nothing'],
  queries() {
    return [{ kind: 'path', path: STAMP }];
  },
  plan(ctx) {
    const reader = new PropReader(ctx.resource);
    const frequency = reader.num('frequency') ?? 86_400;
    if (reader.reasons.length) return unknownStep(reader.reasons.join('; '));
    const st = ctx.state.path(STAMP);
    if (ctx.action === 'periodic') {
      if (!st.ok) return unknownStep(st.reason);
      if (st.value.kind !== 'missing' && st.value.mtime !== undefined) {
        const age = ctx.state.now - st.value.mtime;
        if (age < frequency) return upToDate(`apt lists updated ${age} s ago (frequency ${frequency} s)`);
      }
    }
    ctx.state.setPath(STAMP, { kind: 'file', mtime: ctx.state.now, by: ctx.resource.id });
    ctx.state.aptLists = true;
    // Not pushed to `state.opaque`: an update changes candidates, not files later steps manage.
    ctx.state.listsRefreshedBy = ctx.resource.id;
    const why = st.ok && st.value.kind === 'missing' ? 'never updated' : st.ok ? `last updated ${ctx.state.now - (st.value.mtime ?? 0)} s ago` : 'always';
    return change([{ property: 'lists', from: null, to: 'updated', message: `would run apt-get update (${ctx.action === 'periodic' ? why : 'action :update'})` }], { opaque: candidatesMatter(ctx) });
  },
  apply() {
    return { script: [
      'set -e', 'mkdir -p /var/lib/apt/periodic',
      `[ -e ${HOOK} ] || printf '%s' ${shQuote(HOOK_CONTENT)} > ${HOOK}`,
      'apt-get -q update',
    ].join('\n') };
  },
};

function listContent(r: PropReader, name: string): string {
  const uri = r.str('uri') ?? '';
  const dist = r.str('distribution') ?? '';
  const comps = (r.list('components') ?? []).join(' ');
  const opts = [r.str('arch') ? `arch=${r.str('arch')}` : '', r.str('signed_by') ? `signed-by=${r.str('signed_by')}` : ''].filter(Boolean);
  const o = opts.length ? `[${opts.join(' ')}] ` : '';
  const lines = [`deb      ${o}"${uri}" ${dist} ${comps}`.trimEnd()];
  if (r.bool('deb_src')) lines.push(`deb-src  ${o}"${uri}" ${dist} ${comps}`.trimEnd());
  void name;
  return `${lines.join('\n')}\n`;
}

export const aptRepositoryProvider: Provider = {
  types: ['apt_repository'],
  actions: ['add', 'remove', 'nothing'],
  queries(r) {
    return [{ kind: 'path', path: `/etc/apt/sources.list.d/${r.name}.list`, content: true }, { kind: 'path', path: '/etc/apt/sources.list.d' }];
  },
  plan(ctx) {
    const r = new PropReader(ctx.resource);
    const path = `/etc/apt/sources.list.d/${r.str('repo_name') ?? ctx.resource.name}.list`;
    if (ctx.action === 'remove') {
      const cur = ctx.state.path(path);
      if (!cur.ok) return unknownStep(cur.reason);
      if (cur.value.kind === 'missing') return upToDate();
      ctx.state.setPath(path, { kind: 'missing', by: ctx.resource.id });
      return change([{ property: 'path', from: path, to: null, message: `would remove ${path}` }]);
    }
    const content = listContent(r, ctx.resource.name);
    if (r.reasons.length) return unknownStep(r.reasons.join('; '));
    const step = planContentFile(ctx, path, { mode: '644' }, content, 'apt source');
    const key = r.list('key');
    if (key?.length && step.status === 'change') {
      ctx.state.listsRefreshedBy = ctx.resource.id;
      return { ...step, opaque: true, assumptions: [...(step.assumptions ?? []), `signing key ${key.join(', ')} is not fetched in a plan (no network)`] };
    }
    if (step.status === 'change') { ctx.state.listsRefreshedBy = ctx.resource.id; step.opaque = candidatesMatter(ctx); }
    return step;
  },
  apply(ctx) {
    const r = new PropReader(ctx.resource);
    const path = `/etc/apt/sources.list.d/${r.str('repo_name') ?? ctx.resource.name}.list`;
    if (ctx.action === 'remove') return { script: `rm -f ${shQuote(path)}` };
    const keys = (r.list('key') ?? []).filter((k) => /^https?:\/\//.test(k));
    const keyScript = keys.map((k, i) => `curl -fsSL ${shQuote(k)} | gpg --dearmor > /etc/apt/keyrings/${ctx.resource.name}-${i}.gpg`).join('\n');
    const script = [writeFileScript(path, { mode: '644' }), keys.length ? `mkdir -p /etc/apt/keyrings\n${keyScript}` : '',
      // Chef rebuilds the cache after adding a repository (cache_rebuild true).
      r.bool('cache_rebuild') === false ? '' : 'apt-get -q update'].filter(Boolean).join('\n');
    return { script, stdin: listContent(r, ctx.resource.name) };
  },
};
