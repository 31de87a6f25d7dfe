/**
 * gem_package and chef_gem. gem_package installs into a Ruby of the machine with its `gem`
 * command (`gem_binary`, else the `gem` on PATH — what Chef's omnibus install uses too): the plan
 * reads `gem list --local --exact` in the container and matches the version requirement as
 * RubyGems does; what a plan cannot know without network (the newest version for :upgrade) is
 * unknown. No gem command in the container: unknown, naming the package (ruby), an assumption when
 * an earlier step installs it. chef_gem installs into Chef's own embedded Ruby, which Cloche's
 * container does not have: always unknown, never applied.
 */
import { GemRequirement } from '../../ruby/core/gem';
import { normalizeVersion } from '../../ruby/core/gemVersion';
import { queryKey, type Query } from '../probeScript';
import { PropReader } from '../props';
import type { ApplyScript, EngineResource, Provider } from '../types';
import { change, failedStep, shQuote, unknownStep, upToDate } from './common';
import { missingTool } from './tools';

type Op = '=' | '!=' | '>' | '<' | '>=' | '<=' | '~>';

/** A version requirement as Gem::Requirement.new(version) reads it (`'1.2'` means `= 1.2`), or undefined when malformed. */
export function gemRequirement(version: string): GemRequirement | undefined {
  const parts = version.split(',').map((p) => /^\s*(=|!=|>=|<=|~>|>|<)?\s*(\S+)\s*$/.exec(p));
  const reqs: [Op, string][] = [];
  for (const m of parts) {
    const v = m ? normalizeVersion(m[2]) : undefined;
    if (!m || v === undefined) return undefined;
    reqs.push([(m[1] ?? '=') as Op, v]);
  }
  return new GemRequirement(reqs);
}

/** The versions of `gem list` lines (`rake (13.0.6, 12.3.3 x86_64-linux, default: 2.6.1)`). */
export function installedGemVersions(lines: string[]): string[] {
  return lines.flatMap((l) => /\((.*)\)\s*$/.exec(l)?.[1].split(/,\s*/) ?? [])
    .map((v) => v.replace(/^default:\s*/, '').trim().split(/\s+/)[0]).filter((v) => normalizeVersion(v) !== undefined);
}

function want(r: EngineResource) {
  const reader = new PropReader(r);
  const options = r.properties.options;
  return {
    reader, name: reader.str('package_name') ?? r.name, version: reader.str('version'), source: reader.list('source'),
    binary: reader.str('gem_binary') ?? 'gem', explicitBinary: reader.has('gem_binary'), optionsText: typeof options === 'string' ? options : undefined,
    optionsOther: options !== undefined && options !== null && typeof options !== 'string', clearSources: reader.bool('clear_sources'),
    includeDefault: reader.bool('include_default_source'), timeout: reader.num('timeout'),
  };
}

const gemQuery = (w: ReturnType<typeof want>): Extract<Query, { kind: 'gem' }> => ({ kind: 'gem', name: w.name, binary: w.binary });

export const gemPackageProvider: Provider = {
  types: ['gem_package'],
  actions: ['install', 'upgrade', 'remove', 'purge', 'nothing'],
  queries: (r) => [gemQuery(want(r))],
  plan(ctx) {
    const w = want(ctx.resource);
    if (w.reader.reasons.length) return unknownStep(w.reader.reasons.join('; '));
    if (w.optionsOther) return unknownStep('options given as a Hash or Array are for the gem API of Chef\'s own Ruby; with the gem command Chef takes a String');
    const req = w.version ? gemRequirement(w.version) : undefined;
    if (w.version && !req) return failedStep(`Illformed requirement ${JSON.stringify(w.version)}`);
    const rec = ctx.state.system(queryKey(gemQuery(w)));
    if (!rec.ok) return unknownStep(rec.reason);
    const assumptions: string[] = [];
    if (!rec.value.bin?.[0]) {
      if (w.explicitBinary && w.binary !== 'gem') return unknownStep(`gem_binary ${w.binary} is not in the container`);
      const m = missingTool(ctx.state, ctx.facts, 'gem', 'gem_package needs RubyGems in the container');
      if ('unknown' in m) return unknownStep(m.unknown);
      return unknownStep(`whether gem ${w.name} is installed is known only once RubyGems is there (${m.assumption}; the converge reads it after that step)`, { assumptions: [m.assumption] });
    }
    if (rec.value.list?.[0] !== 'ok') return unknownStep(`${w.binary} list failed: ${rec.value.list?.[0] ?? 'no answer'}`);
    const installed = installedGemVersions(rec.value.gem ?? []);
    const matching = installed.filter((v) => !req || req.satisfiedBy(v));
    const what = `gem ${w.name}${w.version ? ` ${w.version}` : ''}`;
    const from = w.source?.length ? ` from ${w.source.join(', ')}` : '';
    const act = (message: string, to: string | null) => {
      ctx.state.opaque.push(ctx.resource.id);
      return change([{ property: 'version', from: matching[0] ?? installed[0] ?? null, to, message }], { opaque: true, assumptions });
    };
    switch (ctx.action) {
      case 'install':
        if (matching.length) return upToDate(`${w.name} ${matching.join(', ')} installed`);
        return act(`would install ${what}${from}${w.version ? '' : ' (the newest version, known only when fetched)'}`, w.version ?? 'latest');
      case 'upgrade':
        if (!matching.length) return act(`would install ${what}${from}`, w.version ?? 'latest');
        if (req) return upToDate(`${w.name} ${matching.join(', ')} installed`);
        return unknownStep(`${w.name} ${installed.join(', ')} is installed; whether a newer version exists is known only when fetched (plans run without network)`);
      default: // remove, purge
        if (!matching.length) return upToDate(`${what} is not installed`);
        return act(`would uninstall ${what} (${matching.join(', ')})`, null);
    }
  },
  apply(ctx): ApplyScript {
    const w = want(ctx.resource);
    if (w.reader.reasons.length || w.optionsOther) throw new Error(`gem_package ${w.name}: ${w.reader.reasons.join('; ') || 'options are not a String'}`);
    const gem = shQuote(w.binary);
    const opts = w.optionsText ? ` ${w.optionsText}` : '';
    const version = w.version ? ` -v ${shQuote(w.version)}` : '';
    if (ctx.action === 'remove' || ctx.action === 'purge') {
      return { script: `${gem} uninstall ${shQuote(w.name)} -q -x -I${w.version ? version : ' -a'}${opts}`, ...(w.timeout ? { timeoutSec: w.timeout } : {}) };
    }
    // As Chef's install_via_gem_command: a local .gem file is installed as the name; other sources replace the default one.
    const file = w.source?.length === 1 && /\.gem$/i.test(w.source[0]) ? w.source[0] : undefined;
    const sources = file ? [] : [
      ...((w.clearSources ?? Boolean(w.source?.length)) ? ['--clear-sources'] : []),
      ...(w.source ?? []).map((s) => `--source=${shQuote(s)}`),
      ...(w.includeDefault ? ['--source=https://rubygems.org'] : []),
    ];
    const target = shQuote(file ?? w.name);
    return { script: `${gem} install ${target} -q --no-document${version}${sources.length ? ` ${sources.join(' ')}` : ''}${opts}`, ...(w.timeout ? { timeoutSec: w.timeout } : {}) };
  },
};

/** Why chef_gem cannot be planned or applied. */
export const CHEF_GEM_REASON = 'chef_gem installs into the Ruby of Chef itself, which Cloche\'s container has not (gem_package installs into a Ruby of the machine)';

export const chefGemProvider: Provider = {
  types: ['chef_gem'],
  actions: ['install', 'upgrade', 'remove', 'purge', 'reconfig', 'lock', 'unlock', 'nothing'],
  queries: () => [],
  plan: () => unknownStep(CHEF_GEM_REASON),
  apply() { throw new Error(CHEF_GEM_REASON); },
};
