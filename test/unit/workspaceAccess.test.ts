/**
 * Which files the language server serves and reads (server/src/workspaceAccess.ts): the workspace
 * folders and the cookbooks their scan found, by name and by real path; open documents anywhere;
 * nothing a symlink, `..` or another scheme leads to outside.
 */
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WorkspaceAccess, realPathOf } from '../../server/src/workspaceAccess';
import { Workspace } from '../../server/src/chef/workspace';

const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-access-unit-')));
const ws = path.join(base, 'ws');
const write = (rel: string, text: string): string => { const p = path.join(base, rel); fs.mkdirSync(path.dirname(p), { recursive: true }); fs.writeFileSync(p, text); return p; };
write('ws/app/metadata.rb', "name 'app'\n");
const recipe = write('ws/app/recipes/default.rb', "package 'x'\n");
const berksfile = write('ws/Berksfile', "cookbook 'app', path: 'app'\n");
const secret = write('outside/secret.rb', "file 'SECRET'\n");
write('shared/metadata.rb', "name 'shared_cb'\n");
const sharedReal = write('shared/recipes/default.rb', "package 'y'\n");
const leak = path.join(ws, 'app/recipes/leak.rb');
fs.symlinkSync(secret, leak);
fs.symlinkSync(path.join(base, 'shared'), path.join(ws, 'shared'));
fs.symlinkSync(path.join(base, 'outside'), path.join(ws, 'dirlink'));
fs.symlinkSync(path.join(base, 'outside/missing.rb'), path.join(ws, 'dangling.rb'));
const shared = path.join(ws, 'shared/recipes/default.rb');
const u = (p: string) => pathToFileURL(p).toString();
after(() => fs.rmSync(base, { recursive: true, force: true }));

function accessFor(folders: string[], open: string[] = []): { access: WorkspaceAccess; workspace: Workspace } {
  let access!: WorkspaceAccess;
  const workspace = new Workspace(folders, false, (f, dir) => access.readable(f, dir));
  access = new WorkspaceAccess({ folders: () => folders, roots: () => folders, cookbookDirOf: (f) => workspace.cookbookOf(f)?.dir, isOpen: (x) => open.includes(x) });
  workspace.scan();
  return { access, workspace };
}

test('requests: files under the folders and in their cookbooks are served, by name and real path', () => {
  const { access } = accessFor([ws]);
  assert.deepEqual(access.request(u(recipe)), { served: true, file: recipe });
  assert.ok(access.served(u(berksfile)), 'a workspace file outside every cookbook');
  assert.ok(access.served(u(shared)), 'a symlinked cookbook folder the scan found is the workspace\'s');
  assert.ok(access.served(u(path.join(ws, 'app/templates/new.erb'))), 'a file a quick fix would create');
});

test('requests: nothing outside, however the URI or a symlink leads there', () => {
  const { access } = accessFor([ws]);
  const refused = [
    u(secret), u(leak), u(path.join(ws, 'dirlink/secret.rb')), u(path.join(ws, 'dirlink/new.rb')), u(path.join(ws, 'dangling.rb')),
    `${u(ws)}/../outside/secret.rb`, `${u(ws)}/%2e%2e/outside/secret.rb`, u(secret).replace('file://', 'file://localhost'),
    u(sharedReal), 'file:///etc/shadow', 'http://example.invalid/x.rb', 'untitled:Untitled-1', `${u(ws)}/a%2Fb.rb`, 'file://otherhost/x.rb',
  ];
  for (const x of refused) {
    const a = access.request(x);
    assert.equal(a.served, false, `${x} is served`);
    if (!a.served) assert.match(a.why, /outside the workspace|neither an open document|not a local file path/);
  }
});

test('requests: open documents are served wherever they are and whatever their scheme', () => {
  const { access } = accessFor([ws], [u(secret), 'untitled:Untitled-1']);
  assert.ok(access.served(u(secret)));
  assert.ok(access.served('untitled:Untitled-1'));
});

test('requests: no folders (only the root URI given, or nothing) serve the root, else only open documents', () => {
  const rootOnly = accessFor([path.join(ws, 'app')]).access;
  assert.ok(rootOnly.served(u(recipe)));
  assert.ok(!rootOnly.served(u(berksfile)), 'outside the root');
  const none = accessFor([], [u(recipe)]).access;
  assert.ok(none.served(u(recipe)), 'open');
  assert.ok(!none.served(u(berksfile)), 'nothing else');
});

test('the analysis never reads through a symlink leading out of the workspace', () => {
  const { access, workspace } = accessFor([ws]);
  assert.equal(access.readable(leak, path.join(ws, 'app')), false);
  assert.equal(workspace.readFile(leak), undefined);
  assert.equal(new Workspace([ws]).readFile(leak), "file 'SECRET'\n", 'without the rule the file would be read');
  assert.equal(workspace.readFile(shared), "package 'y'\n", 'a symlinked cookbook folder is read');
  assert.equal(workspace.readFile(recipe), "package 'x'\n");
  assert.ok(access.readable(berksfile, undefined));
  assert.equal(workspace.cookbookOf(shared)?.name, 'shared_cb', 'the symlinked cookbook\'s metadata is read while it is scanned');
  assert.ok(workspace.cookbookOf(leak), 'the symlink is still listed in its cookbook');
});

test('realPathOf: a missing path resolves through its nearest existing folder, a dangling link not at all', () => {
  assert.equal(realPathOf(path.join(ws, 'dirlink/a/b.rb')), path.join(base, 'outside/a/b.rb'));
  assert.equal(realPathOf(path.join(ws, 'dangling.rb')), undefined);
});
