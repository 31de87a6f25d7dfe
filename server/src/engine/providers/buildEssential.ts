/**
 * build_essential :install, as Chef's resource does it on Linux: the packages Chef lists for the
 * platform family, planned and applied by the package provider (packageSteps.ts).
 *
 * - debian: autoconf binutils-doc bison build-essential flex gettext ncurses-dev (ncurses-dev is
 *   virtual on current Debian: the package provider says what it can tell about it);
 * - rhel, fedora, amazon: autoconf bison flex gcc gcc-c++ gettext make m4 ncurses-devel patch,
 *   then kernel-devel with ignore_failure (its failure is reported and ignored, as in Chef);
 * - suse: autoconf bison flex gcc gcc-c++ kernel-default-devel make m4;
 * - elsewhere Chef only logs a warning (or raises with raise_if_unsupported).
 *
 * :upgrade is macOS's (Xcode command line tools); on Linux Chef logs that it does nothing.
 */
import { PropReader } from '../props';
import type { Query } from '../probeScript';
import type { EngineResource, PlanContext, Provider, ProviderStep } from '../types';
import { change, failedStep, upToDate } from './common';
import { applyPackages, packageQueries, planPackages } from './packageSteps';

/** Chef's package lists by platform family: the main list, and the one installed with ignore_failure. */
function packagesFor(family: string): { main: string[]; optional?: string[] } | undefined {
  switch (family) {
    case 'debian': return { main: ['autoconf', 'binutils-doc', 'bison', 'build-essential', 'flex', 'gettext', 'ncurses-dev'] };
    case 'rhel': case 'fedora': case 'amazon':
      return { main: ['autoconf', 'bison', 'flex', 'gcc', 'gcc-c++', 'gettext', 'make', 'm4', 'ncurses-devel', 'patch'], optional: ['kernel-devel'] };
    case 'suse': return { main: ['autoconf', 'bison', 'flex', 'gcc', 'gcc-c++', 'kernel-default-devel', 'make', 'm4'] };
    default: return undefined;
  }
}

/** What the apply runs, kept from the plan. */
interface ApplyData { main: ReturnType<typeof planPackages>; optional?: ReturnType<typeof planPackages> }
const planned = new WeakMap<ProviderStep, ApplyData>();

function planInstall(ctx: PlanContext): ProviderStep {
  const family = ctx.facts.platformFamily;
  const lists = packagesFor(family);
  if (!lists) {
    const msg = `The build_essential resource does not currently support the '${family}' platform family.`;
    return new PropReader(ctx.resource).bool('raise_if_unsupported') ? failedStep(msg) : upToDate(`${msg} Chef logs a warning and installs nothing`);
  }
  const main = planPackages(ctx, lists.main);
  if (main.step.status === 'unknown' || main.step.status === 'failed') return main.step;
  if (!lists.optional) {
    planned.set(main.step, { main });
    return main.step;
  }
  const optional = planPackages(ctx, lists.optional);
  const changes = [...main.step.changes];
  const assumptions = [...(main.step.assumptions ?? [])];
  if (optional.step.status === 'change') changes.push(...optional.step.changes);
  if (optional.step.status === 'unknown' || optional.step.status === 'failed') {
    // Chef declares it with ignore_failure: it is tried, and its failure does not fail the run.
    assumptions.push(`${lists.optional.join(', ')} (ignore_failure): ${optional.step.reason ?? 'may not install'}; Chef tries it and ignores its failure`);
  }
  const tried = optional.step.status === 'change' || optional.step.status === 'unknown' || optional.step.status === 'failed';
  const step = change(changes, { opaque: main.step.opaque || tried, ...(main.step.reason ? { reason: main.step.reason } : {}), ...(assumptions.length ? { assumptions } : {}) });
  if (!changes.length && tried) Object.assign(step, { status: 'change', changes: [{ property: lists.optional[0], from: null, to: null, message: `would try to install ${lists.optional.join(', ')} (ignore_failure)` }] });
  planned.set(step, { main, ...(tried ? { optional } : {}) });
  return step;
}

export const buildEssentialProvider: Provider = {
  types: ['build_essential'],
  actions: ['install', 'upgrade', 'nothing'],
  queries(r: EngineResource, facts): Query[] {
    const lists = packagesFor(facts.platformFamily);
    return lists ? packageQueries(r, [...lists.main, ...(lists.optional ?? [])], facts) : [];
  },
  plan(ctx) {
    if (ctx.action === 'upgrade') return upToDate('build_essential :upgrade only upgrades the Xcode command line tools on macOS; on Linux Chef logs that it does nothing');
    return planInstall(ctx);
  },
  apply(_ctx, step) {
    const data = planned.get(step);
    if (!data) return undefined;
    const main = applyPackages(data.main);
    const lines = main ? [main.script] : [];
    if (data.optional) {
      // Force the install even when the plan could not tell (it is ignore_failure): the package provider's command for it.
      const opt = applyPackages({ ...data.optional, step: { ...data.optional.step, status: 'change' } });
      if (opt) lines.push(`( ${opt.script.replace(/\n/g, '\n  ')}\n) || echo 'cloche: ${data.optional.ctx.resource.properties.package_name} failed to install; ignored (ignore_failure), as Chef does' >&2`);
    }
    return lines.length ? { script: lines.join('\n') } : undefined;
  },
};
