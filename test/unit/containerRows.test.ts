/** The Containers view's order: this workspace's containers first (running, then newest), Cloche's others after. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitByWorkspace, type ContainerRow } from '../../client/src/containerRows';

const row = (id: string, workspace: string | undefined, state = 'running', created = '2026-01-01T00:00:00Z'): ContainerRow =>
  ({ id, name: id, image: 'cloche/debian:12', state, created, session: 's', ...(workspace === undefined ? {} : { workspace }) });

describe('containers of this workspace', () => {
  it('are those labelled with a workspace folder, a folder inside one, or a repository around one', () => {
    const rows = [
      row('elsewhere', '/home/u/other-repo'),
      row('mine-old', '/home/u/repo', 'exited', '2026-01-01T00:00:00Z'),
      row('unlabelled', undefined),
      row('mine-new', '/home/u/repo/cookbooks/web', 'running', '2026-01-02T00:00:00Z'),
      row('around', '/home/u', 'running', '2026-01-01T00:00:00Z'),
      row('sibling-prefix', '/home/u/repo-two'),
    ];
    const { mine, others } = splitByWorkspace(rows, ['/home/u/repo']);
    assert.deepEqual(mine.map((c) => c.id), ['mine-new', 'around', 'mine-old'], 'running first, then newest');
    assert.deepEqual(others.map((c) => c.id).sort(), ['elsewhere', 'sibling-prefix', 'unlabelled']);
    assert.deepEqual(splitByWorkspace(rows, []).mine, [], 'no folder open: nothing is this workspace\'s');
  });
});
