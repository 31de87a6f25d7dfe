// The file a resource would write, rendered before any machine exists: templates with their
// variables and the node's attributes, with holes where the evaluator cannot know (never a guess).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Model } from '../../server/src/chef/model';
import { getPlatformProfile } from '../../server/src/chef/platforms';
import { erbToRuby } from '../../server/src/chef/erb';
import { renderedContent, withContent } from '../../server/src/chef/renderedContent';
import { desiredContent } from '../../server/src/chef/fileContent';
import { isUnknownMarker, renderedTextForPeople, type Graph, type RenderedText } from '../../server/src/protocol';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURE = path.join(ROOT, 'test/fixtures/cookbooks/fx_content');
const debian = getPlatformProfile('debian-12')!;

/** Writes a workspace from `{ 'cb/recipes/default.rb': '…' }`; returns what each resource would write. */
function render(files: Record<string, string>, platform = 'debian-12'): Map<string, RenderedText> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-render-'));
  for (const [rel, text] of Object.entries({ 'cb/metadata.rb': "name 'cb'\n", ...files })) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  const c = new Model([dir]).compile(['cb::default'], getPlatformProfile(platform)!);
  const out = new Map<string, RenderedText>();
  for (const r of c.resources) { const rc = renderedContent(c, r); if (rc) out.set(r.id, rc.text); }
  return out;
}

const template = (erb: string, variables = '{}', extra = '') => render({
  'cb/templates/t.erb': erb,
  'cb/recipes/default.rb': `${extra}template '/t' do\n  source 't.erb'\n  variables(${variables})\nend\n`,
}).get('template[/t]');

describe('ERB with holes', () => {
  it('trims as Chef\'s Erubis does: a statement or comment alone on its line leaves no line; an expression keeps its line; `-%>` after an expression drops the line break', () => {
    const erb = "a\n  <% if @on %>\non\n  <% end %>\n<%# note %>\nb <% x = 1 %>\nc\n<%= @v -%>\nd\n<%= @v %>\n";
    assert.equal(template(erb, 'on: true, v: 7'), 'a\non\nb \nc\n7d\n7\n');
    // A statement that is not alone on its line keeps the spaces and the line break around it.
    assert.equal(template('x <% if true %>y<% end %>\nz\n'), 'x y\nz\n');
  });

  it('runs code blocks that span lines as Ruby does (a modifier or a block on the next line is not run together with the line before)', () => {
    const erb = "<%-\n  parameters = ''\n  unless @params.nil?\n    @params.each do |k, v|\n      parameters << \"-p #{k}=#{v} \"\n    end\n  end\n%>\nOPTS=\"<%= parameters %>\"\n";
    assert.equal(template(erb, "params: { 'a' => 1, 'b' => 2 }"), 'OPTS="-p a=1 -p b=2 "\n');
    // Lines stay the template's: an error on line 3 of the template is on line 3 of the Ruby.
    assert.equal(erbToRuby("<%\nx = 1\ny = (\n%>\n").split('\n').length, erbToRuby("<%\nx = 1\ny = 2\n%>\n").split('\n').length);
  });

  it('calls the helper modules a template is given (`helpers(Mod)`), in a recipe and in a custom resource action', () => {
    const files = {
      'cb/libraries/t.rb': 'module TplHelpers\n  def nil_or_empty?(*values)\n    values.any? { |v| v.nil? || (v.respond_to?(:empty?) && v.empty?) }\n  end\nend\n',
      'cb/templates/t.erb': '<% unless nil_or_empty?(@frequency) -%>\nfreq <%= @frequency %>\n<% end -%>\n',
      'cb/resources/app.rb': "property :frequency, String, default: 'daily'\naction :enable do\n  template '/in-action' do\n    source 't.erb'\n    helpers(TplHelpers)\n    variables(frequency: new_resource.frequency)\n  end\nend\n",
      'cb/recipes/default.rb': "template '/t' do\n  source 't.erb'\n  helpers(TplHelpers)\n  variables(frequency: 'weekly')\nend\ncb_app 'x' do\n  action :enable\nend\n",
    };
    const out = render(files);
    assert.equal(out.get('template[/t]'), 'freq weekly\n');
    assert.equal(out.get('template[/in-action]'), 'freq daily\n');
  });

  it('renders a template whose every part is known as plain text', () => {
    assert.equal(template('a=<%= @a %>\n<% @l.each do |x| -%>\n- <%= x %>\n<% end -%>\n', "a: 1, l: %w(p q)"), 'a=1\n- p\n- q\n');
  });

  it('marks an unknown expression as a hole, keeping the text around it', () => {
    const t = template('user <%= @u %>\nport <%= @p %>\n', "u: data_bag_item('b', 'i')['user'], p: 80");
    assert.ok(isUnknownMarker(t));
    assert.deepEqual(t.parts, ['user ', { $unknown: t.$unknown }, '\nport 80\n']);
    assert.match(t.$unknown, /data bag/);
  });

  it('marks both branches of an undecided condition as one hole: either may be written', () => {
    const t = template('a\n<% if @on -%>\nyes\n<% else -%>\nno\n<% end -%>\nz\n', "on: shell_out('x').exitstatus.zero?");
    assert.ok(isUnknownMarker(t));
    assert.equal(t.parts?.length, 3);
    assert.equal(t.parts?.[0], 'a\n');
    assert.match((t.parts?.[1] as { $unknown: string }).$unknown, /^text under if @on \(/);
    assert.equal(t.parts?.[2], 'z\n');
    assert.doesNotMatch(renderedTextForPeople(t), /yes|no\n/, 'neither branch is shown as if it were written');
  });

  it('decides a condition it knows: only the branch taken is written', () => {
    assert.equal(template('<% if node["platform"] == "debian" %>deb<% else %>other<% end %>'), 'deb');
    assert.equal(render({ 'cb/templates/t.erb': '<% if node["platform"] == "debian" %>deb<% else %>other<% end %>', 'cb/recipes/default.rb': "template '/t' do\n  source 't.erb'\nend\n" }, 'windows-2022').get('template[/t]'), 'other');
  });

  it('marks the body of a loop over an unknown collection as one hole', () => {
    const t = template('peers:\n<% @peers.each do |p| -%>\n- <%= p %>\n<% end -%>\nend\n', "peers: search(:node, 'role:x')");
    assert.ok(isUnknownMarker(t));
    assert.deepEqual(t.parts?.map((p) => (typeof p === 'string' ? p : 'HOLE')), ['peers:\n', 'HOLE', 'end\n']);
    assert.match((t.parts?.[1] as { $unknown: string }).$unknown, /repeated for each item/);
  });

  it('gives no parts when nothing is known, and the reason of a raise for the whole file', () => {
    const none = template('<%= @x %>', 'x: search(:node, "*:*")');
    assert.ok(isUnknownMarker(none));
    assert.equal(none.parts, undefined);
    const raised = template('<% raise "no" %>text');
    assert.deepEqual(raised, { $unknown: 'template raises: no' });
  });

  it('renders a partial as a hole', () => {
    const t = template('top\n<%= render "part.erb" %>\n');
    assert.ok(isUnknownMarker(t));
    assert.equal(t.parts?.[0], 'top\n');
  });

  it('does not interpolate #{…}, #@ or #$ in the template text', () => {
    assert.equal(template('a #{b} #@c #$d\n'), 'a #{b} #@c #$d\n');
  });

  it('keeps the template\'s line numbers in the Ruby it becomes (errors point at the template line)', () => {
    const erb = 'one\n<%= @a %>\n<%\n x = 1\n%>\n<%= [\n 1,\n 2\n].size %>\nlast <%= @b %>\n';
    const ruby = erbToRuby(erb);
    const lines = ruby.split('\n');
    const at = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    assert.equal(at('@a'), 2);
    assert.equal(at('@b'), 10);
  });
});

describe('what each file-like resource would write', () => {
  const c = new Model([path.dirname(FIXTURE)]).compile(['fx_content::default'], debian);
  const of = (id: string) => { const r = c.resources.find((x) => x.id === id); assert.ok(r, id); return renderedContent(c, r); };

  it('a known template, with its source file', () => {
    const rc = of('template[/etc/fx/known.conf]');
    assert.equal(rc?.source, path.join(FIXTURE, 'templates/known.conf.erb'));
    assert.equal(rc?.text, '# managed by Chef\nport = 8080\nname = alpha\nname = beta\nworkers = 4\n');
  });

  it('a template known in part', () => {
    const t = of('template[/etc/fx/app.conf]')!.text;
    assert.ok(isUnknownMarker(t) && t.parts);
    assert.deepEqual(t.parts.filter((p) => typeof p === 'string'), ['listen 8080\npassword ', '\n', '# end\n']);
    assert.equal(t.parts.filter((p) => typeof p !== 'string').length, 3);
  });

  it('a cookbook_file\'s bytes, a file\'s content, and what cannot be shown', () => {
    assert.equal(of('cookbook_file[/etc/fx/banner.txt]')?.text, 'Authorised use only.\n');
    assert.equal(of('file[/etc/motd]')?.text, 'Welcome to cloche-node\n');
    assert.deepEqual(of('file[/etc/fx/stamp]')?.text, { $unknown: 'content is computed at converge time (lazy)' });
    assert.deepEqual(of('remote_file[/etc/fx/ca.pem]')?.text, { $unknown: 'downloaded from https://pki.example.com/ca.pem when Chef runs' });
    assert.deepEqual(of('template[/etc/fx/secret.conf]')?.text, { $unknown: 'the resource is sensitive: its content is not shown' });
    assert.equal(of('directory[/etc/fx]'), undefined);
  });

  it('a binary cookbook_file is not shown as text', () => {
    const out = render({ 'cb/files/x.bin': '\u0000\u0001\u0002', 'cb/recipes/default.rb': "cookbook_file '/x.bin' do\n  source 'x.bin'\nend\n" });
    assert.deepEqual(out.get('cookbook_file[/x.bin]'), { $unknown: 'a binary file (3 bytes)' });
  });

  it('withContent adds content to file-like resources only, leaving the rest of the graph as it was', () => {
    const plain = c.model.graph(c, ['fx_content::default']);
    const g = withContent(plain, c);
    assert.deepEqual(g.resources.map((r) => r.id), plain.resources.map((r) => r.id));
    assert.equal(g.resources.find((r) => r.id === 'directory[/etc/fx]')?.content, undefined);
    assert.equal(g.resources.filter((r) => r.content).length, 7);
    assert.equal(plain.resources.some((r) => r.content), false, 'the plain graph is not changed');
  });
});

/** Every content in a graph is a RenderedContent: text, or a marker whose parts are text and markers. */
function assertRenderedContents(g: Graph): void {
  for (const r of g.resources) {
    if (r.content === undefined) continue;
    const t = r.content.text;
    if (typeof t === 'string') continue;
    assert.ok(isUnknownMarker(t), `${r.id}: content is a string or { $unknown }`);
    assert.deepEqual(Object.keys(t).filter((k) => k !== '$unknown' && k !== 'parts'), [], `${r.id}: no other keys`);
    if (!t.parts) continue;
    assert.ok(t.parts.length > 0);
    assert.ok(t.parts.some((p) => typeof p === 'string'), `${r.id}: parts carry some known text`);
    for (const p of t.parts) assert.ok(typeof p === 'string' || (isUnknownMarker(p) && Object.keys(p).length === 1), `${r.id}: a part is text or a marker`);
    for (let i = 1; i < t.parts.length; i++) assert.ok(typeof t.parts[i] !== 'string' || typeof t.parts[i - 1] !== 'string', `${r.id}: adjacent texts are joined`);
  }
}

describe('cloche graph --with-content', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args], { cwd: ROOT, encoding: 'utf8' });

  it('gives the JSON graph with each file\'s content in the RenderedContent form', () => {
    const r = cli('graph', 'test/fixtures/cookbooks/fx_content', '--with-content', '--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    const g = JSON.parse(r.stdout) as Graph;
    assertRenderedContents(g);
    const app = g.resources.find((x) => x.id === 'template[/etc/fx/app.conf]')!;
    assert.ok(isUnknownMarker(app.content!.text) && app.content!.text.parts);
    assert.ok(app.content!.source!.endsWith('templates/app.conf.erb'));
    for (const x of g.resources) if (x.content) assert.doesNotMatch(JSON.stringify(x.content.text), /<%|@password|creds\[/, `${x.id}: no template or Ruby source as a value`);
  });

  it('leaves content out without the flag', () => {
    const g = JSON.parse(cli('graph', 'test/fixtures/cookbooks/fx_content', '--format', 'json').stdout) as Graph;
    assert.equal(g.resources.some((x) => 'content' in x), false);
  });

  it('renders for the platform: a Windows cookbook\'s template on windows-2022', () => {
    const r = cli('graph', 'test/fixtures/cookbooks/fx_windows', '--with-content', '--format', 'json');
    const g = JSON.parse(r.stdout) as Graph;
    assertRenderedContents(g);
    assert.match(String(g.resources.find((x) => x.type === 'template')?.content?.text), /Served by IIS on Windows 10\.0\.20348/);
  });

  it('prints the content in text form with holes marked', () => {
    const out = cli('graph', 'test/fixtures/cookbooks/fx_content', '--with-content', '--format', 'text').stdout;
    assert.match(out, /\| password «unknown: `data_bag_item` reads/);
    assert.match(out, /\| port = 8080/);
  });
});

describe('the preview command', () => {
  it('is the one the hover links to, and the extension contributes it', async () => {
    const { COMMANDS } = await import('../../client/src/commands');
    const { PREVIEW_RENDERED_FILE_COMMAND } = await import('../../server/src/customMethods');
    assert.equal(COMMANDS.previewRenderedFile.id, PREVIEW_RENDERED_FILE_COMMAND);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.ok(pkg.contributes.commands.some((c: { command: string }) => c.command === PREVIEW_RENDERED_FILE_COMMAND));
  });
});

describe('cookbook files that are not regular files', () => {
  it('a named pipe in files/ is never opened: its content is unknown, saying why, for cookbook_file and remote_directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-pipe-'));
    const write = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true }); fs.writeFileSync(path.join(dir, rel), text); };
    write('cb/metadata.rb', "name 'cb'\n");
    write('cb/recipes/default.rb', "cookbook_file '/etc/p' do\n  source 'pipe'\nend\nremote_directory '/srv/tree' do\n  source 'tree'\nend\n");
    write('cb/files/default/tree/a.txt', 'a\n');
    fs.mkdirSync(path.join(dir, 'cb/files/default'), { recursive: true });
    spawnSync('mkfifo', [path.join(dir, 'cb/files/default/pipe'), path.join(dir, 'cb/files/default/tree/b')]);
    assert.ok(fs.statSync(path.join(dir, 'cb/files/default/pipe')).isFIFO());
    const c = new Model([dir]).compile(['cb::default'], debian);
    const file = desiredContent(c, c.resources.find((r) => r.id === 'cookbook_file[/etc/p]')!);
    assert.match(String(file && 'unknown' in file ? file.unknown : file), /pipe is not a regular file/);
    const tree = desiredContent(c, c.resources.find((r) => r.id === 'remote_directory[/srv/tree]')!);
    assert.match(String(tree && 'unknown' in tree ? tree.unknown : tree), /tree\/b is not a regular file/);
  });
});
