/** How the fidelity statistics read in the language status (pure: no vscode import). */
import type { FidelityStats } from '../../server/src/protocol';

const pct = (n: number, of: number) => (of ? Math.round((100 * n) / of) : 100);

/** The share of resources whose type, name, actions and properties are all known. */
export function fidelityPercent(s: FidelityStats): number {
  return pct(s.known.fully, s.resources);
}

/** The item's text and detail. */
export function fidelityLabel(s: FidelityStats): { text: string; detail: string } {
  const k = s.known;
  return {
    text: `Cloche knows ${pct(k.fully, s.resources)}% of ${s.resources} resources`,
    detail: `type ${pct(k.type, s.resources)}% · name ${pct(k.name, s.resources)}% · actions ${pct(k.actions, s.resources)}% · properties ${pct(k.properties, s.resources)}%`
      + (s.reasons[0] ? ` — most often unknown: ${s.reasons[0].reason}` : ''),
  };
}

