/**
 * What a run comparison asks for, from the user's choice of baseline (a git revision, another platform,
 * another kitchen suite) and the run the editor shows: the working side is always the language
 * server's graph of the open documents (so the comparison follows typing); the baseline is the
 * server's too when it is the working tree on another platform or suite, and the CLI's
 * `cloche graph --revision` for a revision, given the same inputs as the server's run (settings,
 * picked suite, platform). Also what the graph webview draws from the diff. Pure: no vscode import.
 */
import type { GraphParams } from '../../server/src/customMethods';
import type { RunDiff } from '../../server/src/protocol';
import type { GraphRunDiff } from '../webview/messages';
import { valueText } from '../../server/src/chef/runDiffFormats';

/** What the working tree's run is compared with. */
export type Baseline =
  | { kind: 'revision'; revision: string; commit: string; repo: string }
  | { kind: 'platform'; platform: string }
  /** `suite: null`: no suite (each recipe on its own). */
  | { kind: 'suite'; suite: string | null; kitchenPlatform?: string };

/** The suite picked for the cookbook in the editor (Choose Kitchen Suite), if any. */
export interface SuitePicked { suite: string; kitchenPlatform?: string }

/** The run inputs of the editor's settings, as the server applies them (`cloche.run.*`). */
export interface RunInputSettings {
  /** Absolute path of `cloche.run.attributesFile`. */
  attributesFile?: string;
  attributes?: Record<string, unknown>;
  environment?: string;
  nodeName?: string;
}

const asSuite = (p: SuitePicked | undefined) => (p ? { suite: p.suite, ...(p.kitchenPlatform ? { platform: p.kitchenPlatform } : {}) } : null);

/** The server's graph of the working side: the document's run (the picked suite's when one is picked). */
export function workingParams(uri: string, picked: SuitePicked | undefined): GraphParams {
  return { uri, withContent: true, ...(picked ? { suite: asSuite(picked) } : {}) };
}

/** How the baseline's graph is had: from the server (working tree), or the CLI's arguments (a revision, on the working side's platform). */
export function baselineRequest(b: Baseline, uri: string, subjectPath: string, picked: SuitePicked | undefined, workingPlatform: string, inputs: RunInputSettings):
  { server: GraphParams } | { cli: string[] } {
  switch (b.kind) {
    case 'platform':
      return { server: { ...workingParams(uri, picked), platform: b.platform } };
    case 'suite':
      return { server: { uri, withContent: true, suite: b.suite === null ? null : { suite: b.suite, ...(b.kitchenPlatform ? { platform: b.kitchenPlatform } : {}) } } };
    case 'revision':
      return {
        cli: ['graph', subjectPath, '--with-content', '--format', 'json', '--revision', b.commit, '--platform', workingPlatform,
          ...(picked ? ['--suite', picked.suite, ...(picked.kitchenPlatform ? ['--kitchen-platform', picked.kitchenPlatform] : [])] : []),
          ...(inputs.attributesFile ? ['--attributes', inputs.attributesFile] : []),
          ...(inputs.attributes && Object.keys(inputs.attributes).length ? ['--attributes-json', JSON.stringify(inputs.attributes)] : []),
          ...(inputs.environment ? ['--environment', inputs.environment] : []),
          ...(inputs.nodeName ? ['--node-name', inputs.nodeName] : [])],
      };
  }
}

/** The two sides' labels, as the diff and the views say them. */
export function comparisonLabels(b: Baseline, picked: SuitePicked | undefined): { from: string; to: string } {
  const run = picked ? `suite ${picked.suite}` : undefined;
  switch (b.kind) {
    case 'revision': return { from: [b.revision, run].filter(Boolean).join(', '), to: ['working tree', run].filter(Boolean).join(', ') };
    case 'platform': return { from: ['working tree', run, `platform ${b.platform}`].filter(Boolean).join(', '), to: ['working tree', run].filter(Boolean).join(', ') };
    case 'suite': return { from: `working tree, ${b.suite === null ? 'no suite' : `suite ${b.suite}`}`, to: `working tree, ${run ?? 'no suite'}` };
  }
}

/** The marks the graph webview draws on the working side's graph. */
export function graphRunDiff(diff: RunDiff): GraphRunDiff {
  return {
    // The webview adds the counts it draws.
    label: `${diff.from.label} → ${diff.to.label} (${diff.to.platform})`,
    marks: [
      ...diff.added.map((a) => ({ resource: a.id, ...(a.occurrence ? { occurrence: a.occurrence } : {}), status: 'added' as const, summary: 'added' })),
      ...diff.changed.map((c) => ({ resource: c.id, ...(c.occurrence ? { occurrence: c.occurrence } : {}), status: c.status, summary: changeSummary(c) })),
    ],
    removed: diff.removed.map((r) => ({ resource: r.id, type: r.type, location: r.location })),
  };
}

/** One line of what changed in a resource ("mode 0644 → 0600; content changed; notifies :reload service[nginx] gained"). */
function changeSummary(c: RunDiff['changed'][number]): string {
  const parts = c.fields.map((f) => {
    const name = f.field === 'property' ? f.name! : f.field === 'guard' ? `guard ${f.name}` : f.field;
    return f.status === 'changed' ? `${name} ${valueText(f.from)} → ${valueText(f.to)}` : `${name} ${f.status === 'may-change' ? `may change (${f.reason ?? 'unknown'})` : f.status}`;
  });
  for (const n of c.notifications) parts.push(`${n.kind} :${n.action} ${n.target} ${n.status === 'added' ? 'gained' : n.status === 'removed' ? 'lost' : 'may change'}`);
  if (c.content) parts.push(`content ${c.content.status === 'may-change' ? `may change (${c.content.reason ?? 'unknown'})` : 'changed'}`);
  const text = parts.join('; ');
  return text.length > 300 ? text.slice(0, 299) + '…' : text;
}
