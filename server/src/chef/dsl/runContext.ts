/**
 * `run_context`: what libraries reach the node through (`resource.run_context.node`). Its node is
 * the run's; the collections and cookbooks it holds are Chef's internal state (unknown).
 */
import { type Value, type RubyObject, type CallContext, unknown } from '../../ruby/values';
import type { EvalCallContext } from '../../ruby/interpreter';
import { hostFacts } from './host';

export class RunContextObject implements RubyObject {
  readonly className = 'Chef::RunContext';
  describe(): string { return 'run_context'; }
  call(method: string, _args: Value[], ctx: CallContext): Value | undefined {
    switch (method) {
      case 'node': {
        const host = hostFacts(ctx as EvalCallContext);
        return host ? { k: 'object', obj: host.node } : unknown('the node exists only in a run', ctx.loc);
      }
      case 'root_run_context': case 'parent_run_context': return { k: 'object', obj: this };
      default: return unknown(`run_context.${method} is the run's internal state`, ctx.loc);
    }
  }
}

export const RUN_CONTEXT: Value = { k: 'object', obj: new RunContextObject() };
