/**
 * dpkg_package: installs a .deb from its `source` (a path in the container) with `dpkg -i`, not
 * apt's candidate; :remove and :purge run `dpkg -r`/`dpkg -P`. As Chef's dpkg provider does, the
 * package name and the version come from the .deb itself (`dpkg-deb -f`, read-only, in the probe);
 * without `source` a name that is a path is the source. The installed version is compared in dpkg
 * order (debVersion.ts) following Chef's package rules: :install leaves an installed package alone
 * (unless `version` asks for another), :upgrade installs the source's version when it differs
 * (older too: `allow_downgrade` is true by default for dpkg_package). A missing source fails, as
 * Chef does on :install/:upgrade ("source file(s) do not exist"); a source that an earlier step
 * writes cannot be read in a plan and is planned unknown.
 */
import type { PlanChange } from '../../protocol';
import { compareDebVersions } from '../debVersion';
import { probeablePackage, type Query } from '../probeScript';
import { PropReader } from '../props';
import type { PackageInfo } from '../state';
import type { EngineResource, PlanContext, Provider, ProviderStep } from '../types';
import { change, failedStep, shQuote, unknownStep, upToDate } from './common';

/** What a dpkg_package resource names: its package name, its source (undefined: none), `version`. */
interface DpkgWant { reader: PropReader; names: string[]; sources: string[]; version?: string; allowDowngrade: boolean }

function want(r: EngineResource): DpkgWant {
  const reader = new PropReader(r);
  const names = reader.list('package_name') ?? [r.name];
  const given = reader.list('source');
  // Chef: without `source`, names that are files are the sources.
  const sources = given ?? names.filter((n) => n.startsWith('/'));
  return { reader, names, sources, version: reader.list('version')?.[0], allowDowngrade: reader.bool('allow_downgrade') ?? true };
}

/** The installed version of `name` as earlier steps leave it, else as the probe read it (`fallback`). */
function installedNow(ctx: PlanContext, name: string, fallback: string | undefined): { installed?: string; info?: PackageInfo } {
  const k = ctx.state.pkg(name, 'dpkg');
  if (k.ok && k.value.by) return { installed: k.value.installed, info: k.value };
  if (k.ok) return { installed: k.value.installed ?? fallback, info: k.value };
  return { installed: fallback };
}

/** Plans removing (or purging) one package by name. */
function planRemove(ctx: PlanContext, name: string, installed: string | undefined, info: PackageInfo | undefined): ProviderStep {
  if (!installed) return upToDate(`${name} is not installed`);
  ctx.state.setPkg(name, { ...(info ?? {}), installed: undefined, by: ctx.resource.id }, 'dpkg');
  ctx.state.opaque.push(ctx.resource.id);
  return change([{ property: name, from: installed, to: null, message: `would ${ctx.action} ${name} ${installed}` }], { opaque: true });
}

export const dpkgPackageProvider: Provider = {
  types: ['dpkg_package'],
  actions: ['install', 'upgrade', 'remove', 'purge', 'nothing'],
  queries(r) {
    const w = want(r);
    const qs: Query[] = w.sources.filter((s) => s.startsWith('/')).map((path) => ({ kind: 'deb' as const, path }));
    // Removing by name (no readable source) reads dpkg's database for the name.
    for (const n of w.names) if (!n.startsWith('/') && probeablePackage(n)) qs.push({ kind: 'package', name: n, manager: 'dpkg' });
    return qs;
  },
  plan(ctx) {
    const w = want(ctx.resource);
    if (w.reader.reasons.length) return unknownStep(w.reader.reasons.join('; '), { opaque: true });
    if (ctx.action === 'nothing') return upToDate();
    if (w.names.length > 1 || w.sources.length > 1) return unknownStep('dpkg_package with several packages or sources is not planned by Cloche yet', { opaque: true });
    const source = w.sources[0];
    const removing = ctx.action === 'remove' || ctx.action === 'purge';
    if (!source) {
      if (!removing) return failedStep(`Chef would fail: the source property is required for action :${ctx.action} (${w.names[0]} is not a path)`);
      const name = w.names[0];
      const k = ctx.state.pkg(name, 'dpkg');
      if (!k.ok) return unknownStep(k.reason, { opaque: true });
      return planRemove(ctx, name, k.value.installed, k.value);
    }
    if (!source.startsWith('/')) return unknownStep(`source ${source} is not an absolute path; the plan does not know Chef's working directory`, { opaque: true });
    const p = ctx.state.path(source);
    if (p.ok && p.value.by) {
      if (p.value.kind === 'missing') {
        if (removing) return unknownStep(`source ${source} is deleted earlier by ${p.value.by}; Chef then removes ${w.names[0]} by name`, { opaque: true });
        return failedStep(`source file ${source} is deleted earlier by ${p.value.by}: Chef would fail ("source file(s) do not exist")`);
      }
      return unknownStep(`source ${source} is written earlier by ${p.value.by}; the plan cannot read its Package and Version`, { opaque: true });
    }
    const d = ctx.state.deb(source);
    if (!d.ok) return unknownStep(d.reason, { opaque: true });
    const deb = d.value;
    if (deb.missing) {
      if (removing) {
        // Chef removes by package_name when the source is not there.
        const name = w.names[0];
        if (name.startsWith('/') || !probeablePackage(name)) return upToDate(`source ${source} does not exist and ${name} is not a package name`);
        const k = ctx.state.pkg(name, 'dpkg');
        if (!k.ok) return unknownStep(k.reason, { opaque: true });
        return planRemove(ctx, name, k.value.installed, k.value);
      }
      if (ctx.state.opaque.length) {
        return unknownStep(`source file ${source} does not exist now; ${ctx.state.opaque.join(', ')}, planned earlier, may create it (else Chef fails: "source file(s) do not exist")`, { opaque: true });
      }
      return failedStep(`source file ${source} does not exist: Chef would fail ("source file(s) do not exist")`);
    }
    if (deb.problem) {
      if (removing) return unknownStep(`source ${source}: ${deb.problem}`, { opaque: true });
      return failedStep(`dpkg -i ${source} would fail: ${deb.problem}`);
    }
    const name = deb.package!;
    const debVersion = deb.version!;
    const { installed, info } = installedNow(ctx, name, deb.installed);
    if (removing) return planRemove(ctx, name, installed, info);
    // Chef's target version (Chef::Provider::Package): `version` when given, else the source's.
    const notes: string[] = [];
    if (w.version && w.version !== debVersion) notes.push(`version ${w.version} is given but ${source} is ${name} ${debVersion}: dpkg -i installs ${debVersion}`);
    let install = false;
    if (ctx.action === 'install') {
      if (w.version) install = !(installed && (installed === w.version || (!w.allowDowngrade && compareDebVersions(installed, w.version) > 0)));
      else install = !installed;
      if (!install && installed && compareDebVersions(installed, debVersion) !== 0) notes.push(`${name} ${installed} is installed; :install leaves it (:upgrade would install ${debVersion} from ${source})`);
    } else {
      if (!installed) install = true;
      else if (w.version && installed === w.version) install = false;
      else if (!w.allowDowngrade && compareDebVersions(installed, debVersion) > 0) { install = false; notes.push(`${name} ${installed} is newer than ${source} (${debVersion}) and allow_downgrade is false`); }
      else install = compareDebVersions(installed, debVersion) !== 0;
    }
    const reason = notes.length ? notes.join('; ') : undefined;
    if (!install) return upToDate(reason);
    ctx.state.setPkg(name, { ...(info ?? {}), installed: debVersion, by: ctx.resource.id }, 'dpkg');
    ctx.state.opaque.push(ctx.resource.id);
    ctx.state.installs.push(ctx.resource.id);
    const verb = !installed ? 'install' : compareDebVersions(debVersion, installed) < 0 ? 'downgrade' : 'upgrade';
    const c: PlanChange = { property: name, from: installed ?? null, to: debVersion, message: `would ${verb} ${name} ${installed ? `${installed} → ` : ''}${debVersion} from ${source}` };
    return change([c], { opaque: true, ...(reason ? { reason } : {}) });
  },
  apply(ctx, step) {
    const w = want(ctx.resource);
    const opts = w.reader.list('options')?.join(' ');
    const o = opts ? ` ${opts}` : '';
    const head = 'export DEBIAN_FRONTEND=noninteractive\n';
    if (ctx.action === 'remove' || ctx.action === 'purge') {
      const names = step.changes.length ? step.changes.map((c) => c.property) : w.names.filter((n) => !n.startsWith('/'));
      if (!names.length) return undefined;
      return { script: `${head}dpkg ${ctx.action === 'purge' ? '-P' : '-r'}${o} ${names.map(shQuote).join(' ')}` };
    }
    if (!w.sources.length) return undefined;
    return { script: `${head}dpkg -i${o} ${w.sources.map(shQuote).join(' ')}` };
  },
};
