/** `provides` rules of resource and provider classes, as data the catalog and the provider choice read. */
import { type Value, toS, hashGetName } from '../../ruby/values';
import type { EvalCallContext } from '../../ruby/interpreter';
import type { ProvidesRule } from '../catalog/schema';
import type { ChefWorld } from './chefWorld';

/** A `provides :name[, platform: …, os: …] [do |node| … end]` rule (resource and provider classes alike). */
export function providesRule(world: ChefWorld, name: string, opts: Value | undefined, ctx: EvalCallContext): ProvidesRule {
  const rule: ProvidesRule = { name };
  if (ctx.block) {
    rule.block = true;
    rule.decide = world.providesDecider(ctx.block);
  }
  if (opts?.k !== 'hash') return rule;
  const list = (v: Value | undefined) => (v ? (v.k === 'array' ? v.items.map(toS) : [toS(v)]) : undefined);
  rule.platform = list(hashGetName(opts, 'platform'));
  rule.platformFamily = list(hashGetName(opts, 'platform_family'));
  rule.os = list(hashGetName(opts, 'os'));
  const ver = hashGetName(opts, 'platform_version');
  if (ver) rule.platformVersion = toS(ver);
  return rule;
}
