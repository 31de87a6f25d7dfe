/**
 * Which of Cloche's containers belong to this workspace: their `cloche.workspace` label (the
 * repository of the cookbook they ran) is a workspace folder, inside one, or holds one (a folder
 * opened inside a repository). Pure: no vscode import, tested in plain Node.
 */
import path from 'node:path';

/** One row of `cloche containers list --format json`. */
export interface ContainerRow { id: string; name: string; image: string; state: string; created: string; session: string; workspace?: string }

/** Whether `inner` is `outer` or inside it. */
function within(inner: string, outer: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** This workspace's containers (running first, then newest) and the others, in the same order. */
export function splitByWorkspace(rows: readonly ContainerRow[], folders: readonly string[]): { mine: ContainerRow[]; others: ContainerRow[] } {
  const order = (a: ContainerRow, b: ContainerRow) => Number(b.state === 'running') - Number(a.state === 'running') || b.created.localeCompare(a.created);
  const ours = (c: ContainerRow) => !!c.workspace && folders.some((f) => within(c.workspace!, f) || within(f, c.workspace!));
  return { mine: rows.filter(ours).sort(order), others: rows.filter((c) => !ours(c)).sort(order) };
}
