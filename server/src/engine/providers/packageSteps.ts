/**
 * Packages that another resource installs as part of its action (build_essential's compilers,
 * timezone's tzdata): planned, probed and applied by the package provider itself, on a `package`
 * resource made from the owner (same id, so the plan names the owner as what installs them).
 */
import type { PlatformFacts } from '../../chef/platforms';
import type { Query } from '../probeScript';
import type { ApplyScript, EngineResource, PlanContext, ProviderStep } from '../types';
import { packageProvider } from './package';

/** `package names` with `action :install`, declared by `owner`. */
export function packageResource(owner: EngineResource, names: string[]): EngineResource {
  return { ...owner, type: 'package', resolvedType: 'package', actions: ['install'], properties: { package_name: names }, guards: [], notifies: [] };
}

/** The probe queries of the packages. */
export function packageQueries(owner: EngineResource, names: string[], facts: PlatformFacts): Query[] {
  return packageProvider.queries(packageResource(owner, names), facts);
}

/** Plans installing the packages (their effects recorded in the state, as the package provider does). */
export function planPackages(ctx: PlanContext, names: string[]): { step: ProviderStep; ctx: PlanContext } {
  const sub: PlanContext = { ...ctx, resource: packageResource(ctx.resource, names), action: 'install' };
  return { step: packageProvider.plan(sub), ctx: sub };
}

/** The install script for a planned package step (undefined when nothing changes). */
export function applyPackages(planned: { step: ProviderStep; ctx: PlanContext }): ApplyScript | undefined {
  if (planned.step.status !== 'change') return undefined;
  return packageProvider.apply(planned.ctx, planned.step);
}
