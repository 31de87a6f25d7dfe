/**
 * Chef::DSL::Universal: what recipes, resources and providers all answer — `node`, the platform
 * helpers, and the calls that reach the machine or the Chef server (unknown, with the reason).
 */
import { type Value, unknown, bool } from '../../ruby/values';
import type { NativeMethod } from '../../ruby/objects';
import { isPlatformHelper, platformHelper } from '../platformDsl';
import { hostFacts } from './host';
import { RUN_CONTEXT } from './runContext';
import type { ChefWorld } from './chefWorld';

/** Calls that reach the machine or the Chef server: unknown at authoring time, with a reason. */
export const RUNTIME_CALLS: Record<string, string> = {
  data_bag: 'reads a data bag from the Chef server',
  data_bag_item: 'reads a data bag item from the Chef server',
  search: 'searches the Chef server',
  partial_search: 'searches the Chef server',
  encrypted_data_bag_item: 'reads an encrypted data bag',
  encrypted_data_bag_item_for_environment: 'reads an encrypted data bag',
  chef_vault_item: 'reads a Chef Vault item',
  chef_vault_item_for_environment: 'reads a Chef Vault item',
  shell_out: 'runs a command on the machine',
  'shell_out!': 'runs a command on the machine',
  shell_out_compacted: 'runs a command on the machine',
  'shell_out_compacted!': 'runs a command on the machine',
  powershell_out: 'runs PowerShell on the machine',
  'powershell_out!': 'runs PowerShell on the machine',
  powershell_exec: 'runs PowerShell on the machine',
  'powershell_exec!': 'runs PowerShell on the machine',
  'registry_key_exists?': 'reads the Windows registry',
  'registry_value_exists?': 'reads the Windows registry',
  'registry_data_exists?': 'reads the Windows registry',
  'registry_has_subkeys?': 'reads the Windows registry',
  registry_get_values: 'reads the Windows registry',
  registry_get_subkeys: 'reads the Windows registry',
  'tagged?': 'depends on the node tags on the Chef server',
  secret: 'reads a secret store',
  'reboot_pending?': 'depends on the machine Chef runs on',
  which: 'looks for a program on the machine',
  where: 'looks for a program on the machine',
  'file_exist?': 'depends on the machine Chef runs on',
  render: 'renders a template at converge time',
};

function unknownCall(name: string, reason: string): NativeMethod {
  return (_self, _args, ctx) => unknown(`\`${name}\` ${reason}`, ctx.loc);
}

const platformNative = (name: string): NativeMethod => (_self, args, ctx) => {
  const host = hostFacts(ctx);
  if (!host) return unknown(`${name} is only known for a platform, in a run`, ctx.loc);
  return platformHelper(name, args, host.facts);
};

export function defineUniversalDsl(world: ChefWorld): void {
  const u = world.universal;
  u.dynamic = (name) => {
    if (isPlatformHelper(name)) return platformNative(name);
    const reason = RUNTIME_CALLS[name];
    return reason ? unknownCall(name, reason) : undefined;
  };
  u.defineNative('node', (_self, _args, ctx) => {
    const host = hostFacts(ctx);
    return host ? { k: 'object', obj: host.node } : unknown('node is only known when the resource is used in a run', ctx.loc);
  }, 'public', { memoSafe: true });
  u.defineNative('attribute?', (_self, args, ctx) => {
    const host = hostFacts(ctx);
    const k = args[0];
    if (!host || !k || (k.k !== 'str' && k.k !== 'sym')) return undefined;
    return bool(host.node.store.has([k.v]));
  });
  // Recipes, resources and providers all reach the node through their run context.
  u.defineNative('run_context', () => RUN_CONTEXT);
  u.defineNative('tag', () => ({ k: 'nil' }) as Value);
  u.defineNative('untag', () => ({ k: 'nil' }) as Value);
  u.defineNative('tags', () => ({ k: 'array', items: [] }));
}
