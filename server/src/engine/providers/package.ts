/**
 * package and its platform classes (apt_package/dpkg_package on Debian, dnf_package/yum_package on
 * RPM images): install, upgrade, remove, purge. Installed versions come from dpkg-query/rpm;
 * candidates from `apt-cache policy` (offline, from the apt lists already in the image) — with
 * empty lists, or for dnf without a cache, the candidate version is reported as unknown.
 */
import type { GraphResource, PlanChange } from '../../protocol';
import { probeablePackage } from '../probeScript';
import { PropReader } from '../props';
import type { PlanContext, Provider } from '../types';
import { change, shQuote, unknownStep } from './common';

/** Package names and versions of a resource (`package %w(nginx curl)` has two). */
export function packageNames(r: GraphResource): { names: string[]; versions: (string | undefined)[]; reader: PropReader } {
  const reader = new PropReader(r);
  // `package %w(a b)` is named "a, b"; commas never occur in package names, so split on them.
  const names = (reader.list('package_name') ?? [r.name]).flatMap((n) => n.split(/,\s*/)).filter(Boolean);
  const v = reader.list('version') ?? [];
  return { names, versions: names.map((_, i) => v[i]), reader };
}

function candidateNote(ctx: PlanContext): string {
  if (ctx.state.packageManager === 'rpm') return 'candidate version unknown: RPM repositories are not read offline';
  if (ctx.state.aptLists === false) return 'candidate version unknown: the apt lists are empty (apt_update first)';
  return 'candidate version unknown';
}

function planOne(ctx: PlanContext, name: string, version: string | undefined): PlanChange | string | undefined {
  const k = ctx.state.pkg(name);
  if (!probeablePackage(name)) return `package name ${JSON.stringify(name)} is not a valid package name`;
  if (!k.ok) return k.reason;
  const { installed, candidate } = k.value;
  const by = ctx.resource.id;
  switch (ctx.action) {
    case 'install':
    case 'upgrade': {
      const target = version ?? candidate;
      if (installed && (version ? installed === version : ctx.action === 'install' || !candidate || installed === candidate)) return undefined;
      if (!target && ctx.state.packageManager === 'dpkg' && ctx.state.aptLists && !ctx.state.listsRefreshedBy) {
        return `no package named ${name} in the apt lists: a virtual package, or Chef would fail with "No candidate version available"`;
      }
      ctx.state.setPkg(name, { installed: target ?? 'unknown', candidate, by });
      const what = target ? `${target}${!version && ctx.state.listsRefreshedBy ? ` (or newer after ${ctx.state.listsRefreshedBy})` : ''}` : `(${candidateNote(ctx)})`;
      const verb = installed ? (ctx.action === 'upgrade' ? 'upgrade' : 'change') : 'install';
      return { property: name, from: installed ?? null, to: target ?? null, message: `would ${verb} ${name} ${installed ? `${installed} → ` : ''}${what}` };
    }
    case 'remove':
    case 'purge':
      if (!installed) return undefined;
      ctx.state.setPkg(name, { candidate, by });
      return { property: name, from: installed, to: null, message: `would ${ctx.action} ${name} ${installed}` };
    default:
      return undefined;
  }
}

export const packageProvider: Provider = {
  types: ['package', 'apt_package', 'dpkg_package', 'dnf_package', 'yum_package'],
  actions: ['install', 'upgrade', 'remove', 'purge', 'nothing'],
  queries(r) {
    return packageNames(r).names.map((name) => ({ kind: 'package' as const, name }));
  },
  plan(ctx) {
    const { names, versions, reader } = packageNames(ctx.resource);
    if (reader.reasons.length) return unknownStep(reader.reasons.join('; '));
    const changes: PlanChange[] = [];
    const unknowns: string[] = [];
    for (const [i, name] of names.entries()) {
      const r = planOne(ctx, name, versions[i]);
      if (typeof r === 'string') {
        unknowns.push(r);
      } else if (r) changes.push(r);
    }
    if (unknowns.length) return unknownStep(unknowns.join('; '), { changes, opaque: true });
    if (changes.length) ctx.state.opaque.push(ctx.resource.id);
    if (changes.some((c) => c.to !== null)) ctx.state.installs.push(ctx.resource.id);
    return change(changes, { opaque: changes.length > 0 });
  },
  apply(ctx) {
    const { names, versions } = packageNames(ctx.resource);
    const specs = names.map((n, i) => shQuote(versions[i] ? `${n}${ctx.state.packageManager === 'rpm' ? '-' : '='}${versions[i]}` : n)).join(' ');
    const rpm = ctx.state.packageManager === 'rpm' || ctx.facts.packageManager === 'dnf' || ctx.facts.packageManager === 'yum';
    if (rpm) {
      const tool = ctx.facts.packageManager === 'yum' ? 'yum' : 'dnf';
      const verb = { install: 'install', upgrade: 'upgrade', remove: 'remove', purge: 'remove' }[ctx.action] ?? 'install';
      return { script: `${tool} -y ${verb} ${specs}` };
    }
    const verb = { install: 'install', upgrade: 'install', remove: 'remove', purge: 'purge' }[ctx.action] ?? 'install';
    // Chef's apt_package options: keep existing config files, never prompt.
    return { script: `export DEBIAN_FRONTEND=noninteractive\napt-get -q -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold ${verb} ${specs}` };
  },
};
