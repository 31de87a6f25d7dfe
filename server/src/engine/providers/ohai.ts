/**
 * ohai :reload. Chef re-runs Ohai and merges its results into the node's automatic attributes; on
 * the machine it changes nothing, and Chef reports it as updated on every run (like log, it is
 * exempt from the idempotence verdict). The converge re-reads the facts in the container with the
 * engine's own facts script; {@link reloadedFacts} reads them back from the step's output.
 */
import { FACTS_SCRIPT, parseFacts } from '../../containers/facts';
import type { PlatformFacts } from '../../chef/platforms';
import { factsToPlatform } from '../facts';
import { PropReader } from '../props';
import type { Provider } from '../types';
import { change, unknownStep } from './common';

export const ohaiProvider: Provider = {
  types: ['ohai'],
  actions: ['reload', 'nothing'],
  queries: () => [],
  plan(ctx) {
    const reader = new PropReader(ctx.resource);
    const plugin = reader.str('plugin');
    if (reader.reasons.length) return unknownStep(reader.reasons.join('; '));
    return change([{ property: 'facts', from: null, to: plugin ?? 'all', message: `would reload the node's facts${plugin ? ` (Ohai plugin ${plugin})` : ''}` }],
      { reason: 'changes nothing on the machine; the recipes were compiled with the facts read before the run' });
  },
  apply: () => ({ script: FACTS_SCRIPT }),
};

/** The facts an ohai step's output carries (its apply prints the facts record), or undefined. */
export function reloadedFacts(output: string): PlatformFacts | undefined {
  try { return factsToPlatform(parseFacts(output)); } catch { return undefined; }
}
