/**
 * How well Cloche understands a run: how many resources have a known type, name, actions and
 * property values, and the most common reasons for what it could not know (with places). A user
 * learns how far to trust the graph and the plan; `cloche check --stats` and the editor show it.
 */
import * as path from 'node:path';
import type { FidelityStats, SourceLocation } from '../protocol';
import { findUnknown } from '../ruby/values';
import type { Compilation } from './compilation';
import type { ResourceDecl } from './resourceDecl';

const MISSING_TYPE: Record<NonNullable<ResourceDecl['schemaMissing']>, string> = {
  unknown: 'a resource type nobody provides',
  external: 'a resource type of a cookbook outside the workspace',
  'other-platform': 'a resource type not available on this platform',
  library: 'a resource type a library names but Cloche could not load',
};

/** The fidelity of the resources some compilations declared (each resource counted once per compilation). */
export function fidelityOf(compilations: Compilation[], platform: string, maxReasons = 10): FidelityStats {
  const known = { type: 0, name: 0, actions: 0, properties: 0, fully: 0 };
  const reasons = new Map<string, { count: number; examples: SourceLocation[] }>();
  const note = (reason: string, loc: SourceLocation) => {
    const key = groupReason(reason);
    const r = reasons.get(key) ?? { count: 0, examples: [] };
    r.count++;
    if (r.examples.length < 3) r.examples.push(loc);
    reasons.set(key, r);
  };
  let total = 0;
  for (const c of compilations) {
    for (const r of c.resources) {
      if (r.definition || r.parent?.endsWith('[«any instance»]')) continue;
      total++;
      const type = !!r.schema;
      const name = !r.nameUnknown;
      const actions = !r.actionUnknown;
      const unknownProps = r.props.map((p) => ({ p, u: findUnknown(p.value) })).filter((x) => x.u);
      if (type) known.type++; else note(`type ${r.type}: ${MISSING_TYPE[r.schemaMissing ?? 'unknown']}`, r.nameLoc ?? r.loc);
      if (name) known.name++; else note(r.nameUnknown!, r.nameLoc ?? r.loc);
      if (actions) known.actions++; else note(r.actionUnknown!, r.actionLoc ?? r.loc);
      if (!unknownProps.length) known.properties++;
      for (const { p, u } of unknownProps) note(u!.reason, p.valueLoc ?? p.loc);
      if (type && name && actions && !unknownProps.length) known.fully++;
    }
  }
  const top = [...reasons].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1)).slice(0, maxReasons);
  return { platform, resources: total, known, reasons: top.map(([reason, r]) => ({ reason, count: r.count, examples: r.examples })) };
}

/**
 * Reasons that differ only in their particulars count as one: `node['a']['b'] is not set…` and
 * `node['c'] is not set…` are the same reason; quoted values and numbers are left out.
 */
export function groupReason(reason: string): string {
  return reason
    .replace(/node(\[[^\]]*\])+/g, 'node[…]')
    .replace(/'[^']*'/g, '…')
    .replace(/"[^"]*"/g, '…')
    .replace(/\((?:in `[^`]+` from [^)]+)\)/g, '')
    .replace(/\b\d+(\.\d+)*\b/g, 'N')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The statistics as text (the CLI's `--stats`). */
export function fidelityText(s: FidelityStats, cwd = process.cwd()): string {
  const pct = (n: number) => (s.resources ? `${((100 * n) / s.resources).toFixed(1)}%` : '-');
  const row = (label: string, n: number) => `  ${label.padEnd(18)} ${String(n).padStart(6)}  ${pct(n)}`;
  const lines = [
    `How well Cloche knows the ${s.resources} resources of the run (${s.platform}):`,
    row('type known', s.known.type),
    row('name known', s.known.name),
    row('actions known', s.known.actions),
    row('properties known', s.known.properties),
    row('all of these', s.known.fully),
  ];
  if (s.reasons.length) {
    lines.push('Most common reasons for what is not known:');
    for (const r of s.reasons) {
      const where = r.examples.map((l) => `${path.relative(cwd, l.file)}:${l.line}`).join(', ');
      lines.push(`  ${String(r.count).padStart(5)}  ${r.reason}${where ? `  (${where})` : ''}`);
    }
  }
  return lines.join('\n') + '\n';
}
