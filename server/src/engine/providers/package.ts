/**
 * package and its platform classes (apt_package on Debian; dpkg_package, which installs a .deb, is dpkg.ts, dnf_package/yum_package on
 * RPM images): install, upgrade, remove, purge. The package database a resource reads follows its
 * class, as in Chef: dnf_package and yum_package use rpm/dnf, apt_package and dpkg_package use
 * dpkg/apt, whatever else the image has; an unresolved `package` follows the platform's manager.
 * Installed versions come from dpkg-query/rpm; candidates from apt's lists with apt's own
 * policy (pins, Default-Release, NotAutomatic archives: aptPolicy.ts), or from the repository
 * metadata dnf cached (both offline) — what cannot be read makes the candidate unknown, said so.
 * RPM versions are matched and ordered as dnf and rpm do ({@link rpmVersionMatches}, {@link compareRpmEvr}): `version '1.0'` is satisfied by an installed `1.0-1`, and `2.9` by `1:2.9-1`.
 */
import type { PlanChange } from '../../protocol';
import type { PlatformFacts } from '../../chef/platforms';
import { compareDebVersions } from '../debVersion';
import { probeablePackage, rpmBaseNames, type PackageManager } from '../probeScript';
import { PropReader } from '../props';
import { compareRpmEvr, rpmVersionMatches } from '../rpmVersion';
import { explainCandidate } from '../aptPolicy';
import { NO_RPM, orderPreferences } from '../state';
import type { PackageInfo, PreferenceFile } from '../state';
import type { EngineResource, PlanContext, Provider, ProviderStep } from '../types';
import { change, shQuote, unknownStep } from './common';

const RPM_TYPES = new Set(['dnf_package', 'yum_package']);
const DPKG_TYPES = new Set(['apt_package', 'dpkg_package']);

/** The package database a resource reads, and the command that changes it (undefined: decided by what the container has). */
export interface PackageBackend { manager?: PackageManager; tool?: 'apt' | 'dnf' | 'yum' }

/** dnf_package/yum_package → rpm; apt_package/dpkg_package → dpkg; `package` → the platform's manager. */
export function packageBackend(r: EngineResource, facts: PlatformFacts | undefined): PackageBackend {
  for (const t of [r.resolvedType, r.type]) {
    if (RPM_TYPES.has(t)) return { manager: 'rpm', tool: t === 'yum_package' ? 'yum' : 'dnf' };
    if (DPKG_TYPES.has(t)) return { manager: 'dpkg', tool: 'apt' };
  }
  switch (facts?.packageManager) {
    case 'dnf': return { manager: 'rpm', tool: 'dnf' };
    case 'yum': return { manager: 'rpm', tool: 'yum' };
    case 'apt': return { manager: 'dpkg', tool: 'apt' };
    default: return {};
  }
}

/** Package names and versions of a resource (`package %w(nginx curl)` has two). */
export function packageNames(r: EngineResource): { names: string[]; versions: (string | undefined)[]; reader: PropReader } {
  const reader = new PropReader(r);
  // `package %w(a b)` is named "a, b"; commas never occur in package names, so split on them.
  const names = (reader.list('package_name') ?? [r.name]).flatMap((n) => n.split(/,\s*/)).filter(Boolean);
  const v = reader.list('version') ?? [];
  return { names, versions: names.map((_, i) => v[i]), reader };
}

/** What one package's plan adds to the step besides its change: assumptions, and why apt picks a version. */
interface Notes { assumptions: string[]; explain: string[] }

/** APT's configuration files: an earlier step that changes them may change the candidate. */
const APT_CONF = /^\/etc\/apt\/apt\.conf(\.d\/.*)?$/;

/**
 * The preferences files as apt will read them when this step runs: the probe's, with those earlier
 * steps create, change or remove (their content is simulated). Undefined: unchanged.
 */
function preferencesNow(ctx: PlanContext): PreferenceFile[] | undefined {
  const apt = ctx.state.apt;
  if (!apt) return undefined;
  const dir = apt.prefsDir.endsWith('/') ? apt.prefsDir : `${apt.prefsDir}/`;
  const touched = ctx.state.touchedPaths().filter((p) => p === apt.prefsFile || (p.startsWith(dir) && !p.slice(dir.length).includes('/')));
  if (!touched.length) return undefined;
  const files = new Map(apt.prefs.map((p) => [p.path, p] as const));
  for (const p of touched) {
    const k = ctx.state.path(p);
    if (k.ok && k.value.kind === 'missing') files.delete(p);
    else if (k.ok && k.value.kind === 'file' && k.value.content !== undefined) files.set(p, { path: p, text: k.value.content });
    else files.set(p, { path: p, problem: `written by ${k.ok ? k.value.by : 'an earlier step'} with content the plan cannot know` });
  }
  return orderPreferences(files, apt.prefsFile, apt.prefsDir);
}

/**
 * Plans one package with dpkg/apt. The version apt would install is its candidate, computed from
 * the lists, their Release files, the preferences (as earlier steps leave them) and
 * APT::Default-Release (or the resource's `default_release`, which Chef passes to apt) —
 * aptPolicy.ts; a pinned `version` is installed as `name=version`, whatever the pins say, when
 * some list has it.
 */
function planDpkg(ctx: PlanContext, name: string, version: string | undefined, info: PackageInfo, notes: Notes, defaultRelease: string | undefined): PlanChange | string | undefined {
  const { installed } = info;
  const by = ctx.resource.id;
  const refreshed = ctx.state.listsRefreshedBy;
  switch (ctx.action) {
    case 'install':
    case 'upgrade': {
      if (installed && (version ? installed === version : ctx.action === 'install')) return undefined;
      let target: string | undefined;
      let candidate: string | undefined = info.candidate;
      let unknownWhy: string | undefined;
      if (version) {
        target = version;
        const offered = info.apt ? [...new Set(info.apt.versions.map((v) => v.version))] : undefined;
        if (offered && !offered.includes(version) && !refreshed && ctx.state.apt && !ctx.state.apt.unreadable.length && !info.apt?.truncated?.length) {
          return `apt-get would fail: Version '${version}' for '${name}' was not found${offered.length ? ` (the apt lists offer ${offered.join(', ')})` : ''}`;
        }
      } else if (info.apt && installed !== 'unknown') {
        const prefs = preferencesNow(ctx);
        const c = ctx.state.aptCandidate(name, info, { ...(defaultRelease ? { defaultRelease } : {}), ...(prefs ? { prefs } : {}) });
        if (!c.ok) unknownWhy = c.reason;
        else if (c.value.error) return `apt would fail: ${c.value.error}`;
        else {
          candidate = c.value.candidate;
          // Chef refuses a package that is not installed and has no candidate; an installed one is left alone.
          if (!candidate && !installed && c.value.table.length && !refreshed) return `Chef would fail with "No candidate version available": ${explainCandidate(name, c.value)}`;
          if (candidate && (c.value.table.length > 1 || c.value.priority !== 500)) notes.explain.push(explainCandidate(name, c.value));
        }
        if (ctx.state.touchedPaths().some((p) => APT_CONF.test(p))) {
          notes.assumptions.push(`APT::Default-Release as the probe read it; ${ctx.state.touchedPaths().filter((p) => APT_CONF.test(p)).join(', ')}, changed earlier, may change it`);
        }
        // Chef's :upgrade leaves a package alone when the installed version is the candidate or newer.
        if (installed && (!candidate ? !unknownWhy && !refreshed : compareDebVersions(installed, candidate) >= 0)) return undefined;
        if (unknownWhy && (installed || !refreshed)) return `cannot tell which version apt would ${installed ? 'upgrade' : 'install'} ${name} to: ${unknownWhy}`;
        target = candidate;
      } else {
        // No apt data (the probe did not read the lists): the candidate as given.
        if (installed && ctx.action === 'upgrade' && candidate && compareDebVersions(installed, candidate) >= 0) return undefined;
        if (installed && ctx.action === 'upgrade' && !candidate) return `cannot tell whether ${name} ${installed} is apt's candidate: candidate version unknown`;
        target = candidate;
      }
      if (!target && ctx.state.aptLists && !refreshed && !unknownWhy) {
        return `no package named ${name} in the apt lists: a virtual package, or Chef would fail with "No candidate version available"`;
      }
      ctx.state.setPkg(name, { ...info, installed: target ?? 'unknown', candidate, by }, 'dpkg');
      const what = target ? `${target}${!version && refreshed ? ` (or newer after ${refreshed})` : ''}`
        : `(candidate version unknown: ${ctx.state.aptLists === false ? 'the apt lists are empty (apt_update first)' : refreshed ? `the lists are refreshed by ${refreshed} first` : unknownWhy ?? 'not in the apt lists'})`;
      const verb = !installed ? 'install' : ctx.action === 'upgrade' ? 'upgrade' : 'change';
      return { property: name, from: installed ?? null, to: target ?? null, message: `would ${verb} ${name} ${installed ? `${installed} → ` : ''}${what}` };
    }
    case 'remove':
    case 'purge':
      if (!installed) return undefined;
      ctx.state.setPkg(name, { ...info, installed: undefined, by }, 'dpkg');
      return { property: name, from: installed, to: null, message: `would ${ctx.action} ${name} ${installed}` };
    default:
      return undefined;
  }
}

/**
 * Plans one package with rpm/dnf. Candidates come from the cached metadata of the enabled
 * repositories: the highest EVR (or, for a pinned version, the highest EVR that matches it, as
 * `dnf install name-version` picks). Repository priorities, excludes and modules are not applied.
 */
function planRpm(ctx: PlanContext, name: string, version: string | undefined, info: PackageInfo, notes: Notes): PlanChange | string | undefined {
  const { installed, candidate, available = [], note } = info;
  const by = ctx.resource.id;
  if (note === NO_RPM && !installed && ctx.action !== 'remove' && ctx.action !== 'purge') return `${ctx.resource.type} needs rpm and dnf, and the container has no rpm`;
  // An earlier step whose effects cannot be simulated (a package like epel-release, a command, a
  // repo file) may add the repository that offers what the cache does not.
  const adders = [...ctx.state.opaque, ...ctx.state.touchedPaths().filter((p) => /^\/etc\/(yum\.repos\.d|yum\/repos\.d|distro\.repos\.d)\//.test(p))];
  const absentMeansFail = !note && !adders.length;
  const mayAdd = adders.length ? `; ${adders.join(', ')}, planned earlier, may add a repository that does` : '';
  switch (ctx.action) {
    case 'install':
    case 'upgrade': {
      let target: string | undefined;
      if (version) {
        if (installed && rpmVersionMatches(version, installed)) return undefined;
        const matching = available.filter((evr) => rpmVersionMatches(version, evr)).sort(compareRpmEvr);
        target = matching.pop();
        if (!target && absentMeansFail) {
          return `no version ${version} of ${name} in the enabled repositories' cached metadata${available.length ? ` (they offer ${available.join(', ')})` : ''}: dnf would fail with "Unable to find a match"`;
        }
        if (!target) notes.assumptions.push(`${name} ${version} is not in the dnf metadata cache${note ? ` (${note})` : ''}${mayAdd}; assuming a repository offers it`);
      } else {
        if (installed && ctx.action === 'install') return undefined;
        if (installed && candidate && compareRpmEvr(installed, candidate) >= 0) return undefined;
        if (installed && !candidate) return `cannot tell whether ${name} ${installed} is the newest version: candidate version unknown (${note ?? `no ${name} in the enabled repositories' cached metadata`})`;
        if (!candidate && absentMeansFail) {
          return `no package named ${name} in the enabled repositories' cached metadata: dnf would fail with "Unable to find a match"`;
        }
        target = candidate;
        if (target) notes.assumptions.push(`${name} ${target} is the newest version in the dnf metadata cache${note ? ` (${note})` : ''}; repository priorities, excludes and modules are not applied`);
        else if (!note) notes.assumptions.push(`${name} is not in the dnf metadata cache${mayAdd}`);
      }
      ctx.state.setPkg(name, { ...info, installed: target ?? version ?? 'unknown', by }, 'rpm');
      const to = target ?? version;
      const what = to ?? `(candidate version unknown: ${note ?? 'not in the cached repository metadata'})`;
      const verb = !installed ? 'install' : !to ? ctx.action : compareRpmEvr(to, installed) < 0 ? 'downgrade' : 'upgrade';
      return { property: name, from: installed ?? null, to: to ?? null, message: `would ${verb} ${name} ${installed ? `${installed} → ` : ''}${what}` };
    }
    case 'remove':
    case 'purge':
      if (!installed) return undefined;
      // `dnf remove name-version` removes only that version.
      if (version && !rpmVersionMatches(version, installed)) return undefined;
      ctx.state.setPkg(name, { ...info, installed: undefined, by }, 'rpm');
      return { property: name, from: installed, to: null, message: `would ${ctx.action === 'purge' ? 'remove (purge)' : 'remove'} ${name} ${installed}` };
    default:
      return undefined;
  }
}

/** Whether the resource goes through rpm: its class says so, or (unresolved `package`) the probe found rpm only. */
function usesRpm(ctx: PlanContext, be: PackageBackend): boolean {
  return be.manager === 'rpm' || (!be.manager && ctx.state.packageManager === 'rpm');
}

/** `name-version` as dnf reads it (`curl.x86_64` pinned to 7.76 is `curl-7.76.x86_64`). */
function rpmSpec(name: string, version: string | undefined): string {
  if (!version) return name;
  const [, base] = rpmBaseNames(name);
  return base ? `${base}-${version}${name.slice(base.length)}` : `${name}-${version}`;
}

/**
 * The dnf (or yum) command for an rpm resource. Chef runs `dnf install` for :upgrade too, with
 * the resolved version, since `dnf upgrade` fails on a package that is not installed; without a
 * version `dnf install` leaves an installed package alone, so installed packages are upgraded
 * with `dnf upgrade` and the others installed — decided when the step runs.
 */
function rpmScript(ctx: PlanContext, step: ProviderStep, be: PackageBackend, names: string[], versions: (string | undefined)[]): string {
  const tool = be.tool === 'yum' ? '"$(command -v yum >/dev/null 2>&1 && echo yum || echo dnf)"' : 'dnf';
  const changed = new Set(step.changes.map((c) => c.property));
  // Only what the plan would change (all names when it could not tell for some).
  const pick = names.map((n, i) => [n, versions[i]] as const).filter(([n]) => step.status !== 'change' || changed.has(n));
  const specs = (list: (readonly [string, string | undefined])[]) => list.map(([n, v]) => shQuote(rpmSpec(n, v))).join(' ');
  if (ctx.action === 'remove' || ctx.action === 'purge') return `${tool} -y remove ${specs(pick)}`;
  if (ctx.action !== 'upgrade') return `${tool} -y install ${specs(pick)}`;
  const pinned = pick.filter(([, v]) => v);
  const loose = pick.filter(([, v]) => !v);
  const lines: string[] = [];
  if (pinned.length) lines.push(`${tool} -y install ${specs(pinned)}`);
  if (loose.length) {
    lines.push([
      `_i=; _u=; for _p in ${loose.map(([n]) => shQuote(n)).join(' ')}; do if rpm -q --quiet "$_p"; then _u="$_u $_p"; else _i="$_i $_p"; fi; done`,
      `{ [ -z "$_i" ] || ${tool} -y install $_i; } && { [ -z "$_u" ] || ${tool} -y upgrade $_u; }`,
    ].join('\n'));
  }
  return lines.join(' &&\n');
}

export const packageProvider: Provider = {
  // dpkg_package installs from its source .deb: providers/dpkg.ts.
  types: ['package', 'apt_package', 'dnf_package', 'yum_package'],
  actions: ['install', 'upgrade', 'remove', 'purge', 'nothing'],
  queries(r, facts) {
    const { manager } = packageBackend(r, facts);
    return packageNames(r).names.map((name) => ({ kind: 'package' as const, name, ...(manager ? { manager } : {}) }));
  },
  plan(ctx) {
    const { names, versions, reader } = packageNames(ctx.resource);
    if (reader.reasons.length) return unknownStep(reader.reasons.join('; '));
    const be = packageBackend(ctx.resource, ctx.facts);
    const rpm = usesRpm(ctx, be);
    const changes: PlanChange[] = [];
    const unknowns: string[] = [];
    const notes: Notes = { assumptions: [], explain: [] };
    const defaultRelease = reader.str('default_release');
    for (const [i, name] of names.entries()) {
      if (!probeablePackage(name)) { unknowns.push(`package name ${JSON.stringify(name)} is not a valid package name`); continue; }
      const k = ctx.state.pkg(name, be.manager);
      if (!k.ok) { unknowns.push(k.reason); continue; }
      const r = rpm ? planRpm(ctx, name, versions[i], k.value, notes) : planDpkg(ctx, name, versions[i], k.value, notes, defaultRelease);
      if (typeof r === 'string') {
        unknowns.push(r);
      } else if (r) changes.push(r);
    }
    const assumptions = notes.assumptions.length ? { assumptions: notes.assumptions } : {};
    if (unknowns.length) return unknownStep(unknowns.join('; '), { changes, opaque: true, ...assumptions });
    if (changes.length) ctx.state.opaque.push(ctx.resource.id);
    if (changes.some((c) => c.to !== null)) ctx.state.installs.push(ctx.resource.id);
    const explain = changes.length && notes.explain.length ? { reason: notes.explain.join('; ') } : {};
    return change(changes, { opaque: changes.length > 0, ...(changes.length ? assumptions : {}), ...explain });
  },
  apply(ctx, step) {
    const { names, versions } = packageNames(ctx.resource);
    const be = packageBackend(ctx.resource, ctx.facts);
    if (usesRpm(ctx, be)) return { script: rpmScript(ctx, step, be, names, versions) };
    const specs = names.map((n, i) => shQuote(versions[i] ? `${n}=${versions[i]}` : n)).join(' ');
    const verb = { install: 'install', upgrade: 'install', remove: 'remove', purge: 'purge' }[ctx.action] ?? 'install';
    // Chef passes default_release to apt as APT::Default-Release (the plan computed the candidate with it).
    const release = new PropReader(ctx.resource).str('default_release');
    const dr = release ? ` -o ${shQuote(`APT::Default-Release=${release}`)}` : '';
    // Chef's apt_package options: keep existing config files, never prompt.
    return { script: `export DEBIAN_FRONTEND=noninteractive\napt-get -q -y${dr} -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold ${verb} ${specs}` };
  },
};
