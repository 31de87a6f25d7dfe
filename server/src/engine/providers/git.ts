/**
 * git (:sync, :checkout, :export) with the container's own git, as Chef's git provider does it:
 * a missing or empty destination is cloned (`-o remote`, `--depth N --no-single-branch`), then
 * the target revision checked out (a branch becomes a local branch tracking the remote, a tag or
 * sha a detached HEAD, `checkout_branch` a branch of that name), submodules and
 * additional_remotes set up; an existing checkout is synced only when its HEAD is not the target
 * (fetch --prune, fetch --tags, reset or branch); `:checkout` leaves a non-empty destination
 * alone; `:export` removes `.git` after the checkout. The target is resolved with `git ls-remote`
 * by Chef's rules (tags, then branches, then the bare name; `^{}` first; exactly one match).
 *
 * The plan probes the checkout (HEAD, branch, the remote's URL) and, for a repository that is a
 * path in the container, its refs; a network repository is never contacted by a plan, so
 * whether a branch moved is unknown until the converge fetches it — said so, never "up to date".
 */
import { posix } from 'node:path';
import type { PlanChange } from '../../protocol';
import { queryKey, type Query } from '../probeScript';
import { PropReader } from '../props';
import type { EngineResource, Provider } from '../types';
import { change, checkParent, failedStep, needAccount, shQuote, unknownStep, upToDate } from './common';
import { missingTool } from './tools';

const SHA = /^[0-9a-f]{40}$/;

function want(r: EngineResource) {
  const reader = new PropReader(r);
  const repository = reader.str('repository') ?? reader.str('repo');
  return {
    reader, destination: (reader.str('destination') ?? r.name).replace(/(.)\/+$/, '$1'), repository,
    revision: reader.str('revision') ?? reader.str('branch') ?? reader.str('reference') ?? 'HEAD',
    remote: reader.str('remote') ?? 'origin', depth: reader.num('depth'), submodules: reader.bool('enable_submodules') ?? false,
    enableCheckout: reader.bool('enable_checkout') ?? true, checkoutBranch: reader.str('checkout_branch'),
    additionalRemotes: reader.map('additional_remotes') ?? {}, user: reader.str('user'), group: reader.str('group'),
    env: { ...reader.map('environment'), ...reader.map('env') }, sshWrapper: reader.str('ssh_wrapper'), timeout: reader.num('timeout'),
    // A repository that is a path in the container: the probe may list its refs (no network).
    local: repository && repository.startsWith('/') ? repository : repository?.startsWith('file:///') ? decodeURIComponent(repository.slice(7)) : undefined,
  };
}

const gitQuery = (w: ReturnType<typeof want>): Extract<Query, { kind: 'git' }> => ({ kind: 'git', path: w.destination, remote: w.remote, ...(w.local ? { repository: w.local } : {}) });

/** Chef's ls-remote search order for a revision: each a ref name and what a match makes it. */
export function refCandidates(revision: string): { ref: string; kind: 'tag' | 'branch' | 'other' }[] {
  const rev = revision === '' ? 'HEAD' : revision;
  const prefixed = (prefix: string): string => (rev.startsWith(prefix) ? rev : prefix + rev);
  const plain = (suffix: string) => [
    { ref: prefixed('refs/tags/') + suffix, kind: 'tag' as const }, { ref: prefixed('refs/heads/') + suffix, kind: 'branch' as const }, { ref: rev + suffix, kind: 'other' as const },
  ];
  return rev === 'HEAD' ? [{ ref: 'HEAD', kind: 'other' }, ...plain('')] : [...plain('^{}'), ...plain('')];
}

/** The target of `revision` among `refs` (`sha\tname` lines), as Chef's remote_resolve_reference. */
export function resolveRevision(revision: string, refs: string[]): { sha: string; kind: 'tag' | 'branch' | 'other' } | { problem: string } {
  if (SHA.test(revision)) return { sha: revision, kind: 'other' };
  const parsed = refs.map((l) => l.split('\t')).filter((f) => f.length >= 2);
  for (const c of refCandidates(revision)) {
    const found = parsed.filter((f) => f[1] === c.ref);
    if (!found.length) continue;
    return found.length === 1 ? { sha: found[0][0], kind: c.kind } : { problem: `${found.length} refs match ${c.ref}` };
  }
  return { problem: 'no ref matches it' };
}

export const gitProvider: Provider = {
  types: ['git'],
  actions: ['sync', 'checkout', 'export', 'nothing'],
  queries(r) {
    const w = want(r);
    const qs: Query[] = [gitQuery(w), { kind: 'path', path: w.destination }, { kind: 'path', path: posix.dirname(w.destination) }];
    if (w.user && !/^\d+$/.test(w.user)) qs.push({ kind: 'user', name: w.user });
    return qs;
  },
  plan(ctx) {
    const { state, resource: r } = ctx;
    const w = want(r);
    if (w.reader.reasons.length) return unknownStep(w.reader.reasons.join('; '));
    if (!w.repository) return failedStep('git needs a repository');
    if (!posix.isAbsolute(w.destination)) return unknownStep(`destination ${w.destination} is relative: Chef resolves it against its own working directory`);
    if (w.revision.startsWith('origin/')) return failedStep(`Deploying remote branches is not supported. Specify the remote branch as a local branch for the git repository you're deploying from (ie: '${w.revision.replace('origin/', '')}' rather than '${w.revision}').`);
    const assumptions: string[] = [];
    const notes: string[] = [];
    if (w.user && !/^\d+$/.test(w.user)) {
      const u = needAccount(state, 'user', w.user);
      if (u.unknown) return unknownStep(u.unknown);
      if (u.failed) return failedStep(`${w.user} required by resource ${r.id} does not exist`);
      if (u.assumption) assumptions.push(u.assumption);
      if (u.note) notes.push(u.note);
    }
    const rec = state.system(queryKey(gitQuery(w)));
    if (!rec.ok) return unknownStep(rec.reason);
    const one = (f: string): string | undefined => rec.value[f]?.[0];
    if (!one('git')) {
      const m = missingTool(state, ctx.facts, 'git', `the git resource runs git in the container`);
      if ('unknown' in m) return unknownStep(m.unknown);
      assumptions.push(m.assumption);
    }

    // The destination as the converge will find it: an earlier step may have made or removed it.
    const d = state.path(w.destination);
    if (!d.ok) return unknownStep(d.reason);
    const changedEarlier = d.value.by;
    const dest = changedEarlier ? (d.value.kind === 'missing' ? 'missing' : d.value.kind === 'directory' ? 'empty' : 'file') : one('dest');
    const isCheckout = !changedEarlier && one('dotgit') === '1';
    if (changedEarlier) notes.push(`${w.destination} is ${d.value.kind === 'missing' ? 'removed' : 'made'} earlier by ${changedEarlier}`);

    // The target revision: a sha as written; otherwise the refs of a repository in the container; a network one only at converge.
    let target: { sha: string; kind: string } | undefined;
    let targetUnknown: string | undefined;
    const repo = r.sensitive ? '**Suppressed Sensitive URL**' : w.repository;
    if (SHA.test(w.revision)) target = { sha: w.revision, kind: 'other' };
    else if (w.local && rec.value.lsremote?.[0] === 'ok') {
      const t = resolveRevision(w.revision, rec.value.ref ?? []);
      if ('problem' in t) return failedStep(`Unable to parse SHA reference for '${w.revision}' in repository '${repo}' (${t.problem})`);
      target = t;
    } else if (w.local && one('git')) {
      if (!state.opaque.length) return failedStep(`git ls-remote ${repo} failed: ${rec.value.lsremote?.[0] ?? 'no answer'}`);
      assumptions.push(`assuming the repository ${w.local} is made by ${state.opaque.join(', ')} (planned earlier; its files cannot be simulated)`);
      targetUnknown = `the repository ${w.local} does not exist yet`;
    } else targetUnknown = w.local ? 'git is not installed yet' : 'plans run without network';
    const at = target ? `${w.revision}${w.revision === target.sha ? '' : ` (${target.sha.slice(0, 12)})`}` : `${w.revision} (its commit is known only when fetched: ${targetUnknown})`;

    const changes: PlanChange[] = [];
    const remotes = Object.entries(w.additionalRemotes);
    const addRemotes = (): void => {
      // Chef's add_remotes converges every additional remote on every run.
      for (const [name, url] of remotes) changes.push({ property: 'additional_remotes', from: null, to: `${name} ${url}`, message: `would set up remote ${name} (${url}) (Chef does it on every run)` });
    };
    const clone = (): void => {
      const p = checkParent(state, w.destination);
      if (p.failed) throw new PlanFailure(`Cannot clone ${r.id} to ${w.destination}, the enclosing directory ${posix.dirname(w.destination)} does not exist`);
      if (p.unknown) throw new PlanUnknown(p.unknown);
      if (p.assumption) assumptions.push(p.assumption);
      changes.push({ property: 'repository', from: null, to: w.repository!, message: `would clone ${repo} into ${w.destination}${w.depth ? ` (depth ${w.depth})` : ''}` });
      if (w.enableCheckout) changes.push({ property: 'revision', from: null, to: target?.sha ?? w.revision, message: `would check out ${at}${w.checkoutBranch ? ` as branch ${w.checkoutBranch}` : ''}` });
      if (w.submodules) changes.push({ property: 'enable_submodules', from: null, to: true, message: 'would initialise and update its submodules' });
      addRemotes();
      state.setPath(w.destination, { kind: 'directory', owner: w.user ?? 'root', group: w.group ?? 'root', mode: '755', by: r.id });
      state.opaque.push(r.id);
    };
    try {
      if (dest === 'file') return failedStep(`${w.destination} exists and is not a directory`);
      const empty = dest === 'missing' || dest === 'empty';
      if (ctx.action === 'sync' && isCheckout) {
        const head = one('head');
        if (!head || !SHA.test(head)) return unknownStep(`${w.destination}/.git exists but git rev-parse HEAD did not answer a commit (${JSON.stringify(head ?? '')})`);
        if (!target) {
          addRemotes();
          return unknownStep(`${w.destination} is at ${head.slice(0, 12)}; whether ${w.revision} of ${repo} moved is known only when fetched (${targetUnknown})`, { changes, assumptions });
        }
        if (head === target.sha) {
          addRemotes();
          notes.unshift(`${w.destination} is at ${at}`);
        } else {
          changes.push({ property: 'revision', from: head, to: target.sha, message: `would fetch ${w.remote} and move ${w.destination} from ${head.slice(0, 12)} to ${at}` });
          if (w.submodules) changes.push({ property: 'enable_submodules', from: null, to: true, message: 'would update its submodules' });
          addRemotes();
          state.setPath(w.destination, { ...d.value, kind: 'directory', by: r.id });
          state.opaque.push(r.id);
        }
      } else if (empty) clone();
      else notes.push(ctx.action === 'sync' ? `${w.destination} exists, is not empty and is not a git checkout: Chef leaves it alone` : `${w.destination} exists and is not empty`);
      if (ctx.action === 'export') changes.push({ property: 'export', from: null, to: w.destination, message: `would remove ${w.destination}/.git (the export; Chef does it on every run)` });
    } catch (e) {
      if (e instanceof PlanFailure) return failedStep(e.message);
      if (e instanceof PlanUnknown) return unknownStep(e.message);
      throw e;
    }
    if (!changes.length) return { ...upToDate(notes.join('; ') || undefined), assumptions };
    return change(changes, { reason: notes.join('; ') || undefined, assumptions, opaque: changes.some((c) => c.property !== 'export') });
  },
  apply(ctx) {
    const w = want(ctx.resource);
    if (w.reader.reasons.length || !w.repository) throw new Error(`git ${w.destination}: ${w.reader.reasons.join('; ') || 'no repository'}`);
    const q = shQuote;
    const env = Object.entries({ ...w.env, ...(w.sshWrapper ? { GIT_SSH: w.sshWrapper } : {}) }).filter(([k]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k)).map(([k, v]) => `${k}=${q(v)}`);
    const asUser = w.user ? `runuser -u ${q(w.user)}${w.group ? ` -g ${q(w.group)}` : ''} -- env HOME="$(getent passwd ${q(w.user)} | cut -d: -f6)" ` : 'env ';
    const cands = refCandidates(w.revision).map((c) => `${c.ref} ${c.kind}`).join('\n');
    const branchOf = w.checkoutBranch ?? w.revision;
    const lines = [
      'set -e', `d=${q(w.destination)}`, `repo=${q(w.repository)}`, `rev=${q(w.revision)}`, `remote=${q(w.remote)}`,
      `G() { ${asUser}${env.join(' ')} git "$@"; }`,
      'command -v git >/dev/null 2>&1 || { echo "cloche: git is not installed in the container" >&2; exit 1; }',
      // The target, as Chef's remote_resolve_reference: a sha as written, else ls-remote and the first candidate with matches (exactly one).
      `if printf '%s' "$rev" | grep -Eqx '[0-9a-f]{40}'; then target=$rev; kind=other; else`,
      `  refs=$(G ls-remote "$repo" ${q(w.revision === 'HEAD' || w.revision === '' ? 'HEAD' : `${w.revision}*`)})`,
      `  set -- $(printf '%s\\n' "$refs" | awk -v cands=${q(cands)} 'BEGIN { n = split(cands, C, "\\n") } { sha[NR] = $1; name[NR] = $2 }
    END { for (i = 1; i <= n; i++) { split(C[i], p, " "); m = 0; for (j = 1; j <= NR; j++) if (name[j] == p[1]) { m++; s = sha[j] } if (m == 1) { print s, p[2]; exit } if (m > 1) exit } }')`,
      `  target=\${1:-}; kind=\${2:-}`,
      `  [ -n "$target" ] || { echo ${q(`cloche: Unable to parse SHA reference for '${w.revision}' in repository '${ctx.resource.sensitive ? '**Suppressed Sensitive URL**' : w.repository}'`)} >&2; exit 1; }`,
      'fi',
      `on_branch() { [ "$(G -C "$d" rev-parse --abbrev-ref HEAD 2>/dev/null)" = ${q(branchOf)} ]; }`,
      'set_remote() {',
      '  _rc=0; _u=$(G -C "$d" config --get "remote.$1.url") || _rc=$?',
      '  case $_rc in 0|2) if [ $_rc -eq 2 ] || [ "$_u" != "$2" ]; then G -C "$d" config --replace-all "remote.$1.url" "$2"; fi ;; 1) G -C "$d" remote add "$1" "$2" ;; *) exit $_rc ;; esac',
      '}',
      `submodules() { ${w.submodules ? 'G -C "$d" submodule sync; G -C "$d" submodule update --init --recursive' : ':'}; }`,
      `add_remotes() { ${Object.entries(w.additionalRemotes).map(([n, u]) => `set_remote ${q(n)} ${q(u)}`).join('; ') || ':'}; }`,
      'checkout() {',
      w.checkoutBranch ? `  G -C "$d" branch -f ${q(w.checkoutBranch)} "$target"; G -C "$d" checkout ${q(w.checkoutBranch)}`
        : `  if [ "$kind" != branch ]; then G -C "$d" checkout "$target"
  elif on_branch; then G -C "$d" reset --hard "$target"
  else G -C "$d" branch -f "$rev" "$target"; G -C "$d" checkout "$rev"; G -C "$d" branch -u "$remote/$rev"; fi`,
      '}',
      'action_checkout() {',
      '  if [ ! -e "$d" ] || [ -z "$(ls -A -- "$d")" ]; then',
      `    G clone${w.remote === 'origin' ? '' : ` -o ${q(w.remote)}`}${w.depth ? ` --depth ${Math.floor(w.depth)} --no-single-branch` : ''} "$repo" "$d"`,
      `    ${w.enableCheckout ? 'checkout' : ':'}; submodules; add_remotes`,
      '  fi',
      '}',
    ];
    switch (ctx.action) {
      case 'sync':
        lines.push(
          'if [ -e "$d/.git" ]; then',
          '  if [ "$(G -C "$d" rev-parse HEAD 2>/dev/null)" != "$target" ]; then',
          '    set_remote "$remote" "$repo"; G -C "$d" fetch --prune "$remote"; G -C "$d" fetch "$remote" --tags',
          // Chef: a sha revision, a tag, or the branch already checked out is reset; otherwise the branch is (re)made.
          `    if [ "$target" = "$rev" ] || [ "$kind" = tag ] || on_branch; then G -C "$d" reset --hard "$target"`,
          w.checkoutBranch ? `    else G -C "$d" branch -f ${q(w.checkoutBranch)} "$target"; G -C "$d" checkout ${q(w.checkoutBranch)}; fi`
            : '    else G -C "$d" branch -f "$rev" "$target"; G -C "$d" checkout "$rev"; G -C "$d" branch -u "$remote/$rev"; fi',
          '    submodules',
          '  fi',
          '  add_remotes',
          'else action_checkout; fi',
        );
        break;
      case 'checkout': lines.push('action_checkout'); break;
      case 'export': lines.push('action_checkout', 'rm -rf -- "$d/.git"'); break;
    }
    return { script: lines.join('\n'), ...(w.timeout ? { timeoutSec: w.timeout } : {}) };
  },
};

class PlanFailure extends Error {}
class PlanUnknown extends Error {}
