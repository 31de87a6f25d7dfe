/**
 * log and notify_group: they change nothing on the machine but always "run" in Chef — a log
 * writes its message, a notify_group fires its notifications — so they plan as changes that fire
 * notifications, and the idempotence check exempts them. ruby_block: its block is Ruby that only
 * Chef's process can run, so it is always unknown (never applied; the run is then incomplete).
 */
import { PropReader } from '../props';
import type { Provider } from '../types';
import { change, unknownStep } from './common';

/** Types whose steps always run; excluded from the idempotence verdict (ohai :reload too: providers/ohai.ts). */
export const ALWAYS_RUN_TYPES = new Set(['log', 'notify_group', 'ohai']);

export const logProvider: Provider = {
  types: ['log'],
  actions: ['write', 'nothing'],
  queries: () => [],
  plan(ctx) {
    const r = new PropReader(ctx.resource);
    const msg = r.str('message') ?? ctx.resource.name;
    const level = r.str('level') ?? 'info';
    if (r.reasons.length) return unknownStep(r.reasons.join('; '), { changes: [{ property: 'message', from: null, to: null, message: 'would log a message that is not known statically' }] });
    return change([{ property: 'message', from: null, to: msg, message: `would log (${level}) "${msg}"` }]);
  },
  apply(ctx) {
    // The message is printed on the converge output, as Chef prints it in its log.
    const msg = new PropReader(ctx.resource).str('message') ?? ctx.resource.name;
    return { script: `cat`, stdin: `${msg}\n` };
  },
};

export const notifyGroupProvider: Provider = {
  types: ['notify_group'],
  actions: ['run', 'nothing'],
  queries: () => [],
  plan() {
    return change([{ property: 'notifications', from: null, to: 'fired', message: 'would fire its notifications' }]);
  },
  apply: () => undefined,
};

/** Chef runs a ruby_block's `block` in its own process: nothing Cloche can plan or apply in a container. */
export const rubyBlockProvider: Provider = {
  types: ['ruby_block', 'whyrun_safe_ruby_block'],
  actions: ['run', 'create', 'nothing'],
  queries: () => [],
  plan: (ctx) => unknownStep(`${ctx.resource.type} runs its Ruby block inside the Chef process (at ${ctx.resource.location.file}:${ctx.resource.location.line}), which Cloche cannot run in the container: it is not applied`),
  apply: () => undefined,
};
