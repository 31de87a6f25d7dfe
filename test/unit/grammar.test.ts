/**
 * Grammar tests: tokenize the fixtures under test/grammar-fixtures/ with vscode-textmate and the
 * Oniguruma WASM build — the same engine VS Code uses — wired up from package.json's
 * contributes.grammars (so the manifest is tested too). Each fixture's token dump is compared with
 * test/expectations/grammar/<fixture>.snap (regenerate with UPDATE_EXPECTATIONS=1), and specific
 * tokens are checked for specific scopes so a wrong grammar fails even with a fresh snapshot.
 *
 * Ruby and JSON base grammars are small test-only grammars in test/grammar-fixtures/, using the
 * scope names of VS Code's built-in ones.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = join(root, 'test', 'grammar-fixtures');
const expectations = join(root, 'test', 'expectations', 'grammar');
const update = process.env.UPDATE_EXPECTATIONS === '1';

interface GrammarContribution {
  language?: string;
  scopeName: string;
  path: string;
  injectTo?: string[];
}
interface LanguageContribution {
  id: string;
  filenamePatterns?: string[];
  configuration?: string;
}
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const contributed: GrammarContribution[] = manifest.contributes.grammars;
const languages: LanguageContribution[] = manifest.contributes.languages;

/** Grammars VS Code would have (built-in Ruby, JSON), replaced by test-only subsets. */
const baseGrammars: Record<string, string> = {
  'source.ruby': join(fixtures, 'ruby.tmLanguage.json'),
  'source.json': join(fixtures, 'json.tmLanguage.json'),
};

let onigLoaded: Promise<void> | undefined;
function onigLib(): Promise<vsctm.IOnigLib> {
  const require = createRequire(import.meta.url);
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  onigLoaded ??= oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  return onigLoaded.then(() => ({
    createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s: string) => new oniguruma.OnigString(s),
  }));
}

/** A registry like VS Code's: grammars by scope name, injections from `injectTo`. */
function makeRegistry(withChefInjection: boolean): vsctm.Registry {
  const paths: Record<string, string> = { ...baseGrammars };
  for (const g of contributed) paths[g.scopeName] = join(root, g.path);
  return new vsctm.Registry({
    onigLib: onigLib(),
    loadGrammar: async (scopeName) => {
      const path = paths[scopeName];
      if (!path) return null; // e.g. source.yaml: not available in tests, VS Code has it
      return vsctm.parseRawGrammar(readFileSync(path, 'utf8'), path);
    },
    getInjections: (scopeName) =>
      contributed
        .filter((g) => g.injectTo?.includes(scopeName))
        .filter((g) => withChefInjection || g.scopeName !== 'source.ruby.chef')
        .map((g) => g.scopeName),
  });
}

interface Token {
  line: number;
  text: string;
  scopes: string[];
}

async function tokenize(registry: vsctm.Registry, scopeName: string, text: string): Promise<Token[]> {
  const grammar = await registry.loadGrammar(scopeName);
  assert.ok(grammar, `grammar ${scopeName} loads`);
  const tokens: Token[] = [];
  let state = vsctm.INITIAL;
  text.split('\n').forEach((line, i) => {
    const result = grammar.tokenizeLine(line, state);
    for (const t of result.tokens) {
      tokens.push({ line: i + 1, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
    state = result.ruleStack;
  });
  return tokens;
}

/** The grammar VS Code would pick for a fixture: the language whose filenamePatterns suffix matches (longest wins). */
function scopeFor(fixture: string): string {
  if (fixture.endsWith('.rb')) return 'source.ruby';
  let best: { language: string; length: number } | undefined;
  for (const lang of languages) {
    for (const pattern of lang.filenamePatterns ?? []) {
      // Patterns are `**/templates/**/*<suffix>`; we only need the suffix part here.
      const suffix = pattern.slice(pattern.lastIndexOf('*') + 1);
      if (pattern.includes('/templates/') && fixture.includes('/templates/') && fixture.endsWith(suffix)) {
        if (!best || pattern.length > best.length) best = { language: lang.id, length: pattern.length };
      }
    }
  }
  assert.ok(best, `a language claims ${fixture}`);
  const grammar = contributed.find((g) => g.language === best!.language);
  assert.ok(grammar, `a grammar for ${best.language}`);
  return grammar.scopeName;
}

function dump(tokens: Token[], source: string): string {
  const lines = source.split('\n');
  const out: string[] = [];
  let current = 0;
  for (const t of tokens) {
    if (t.line !== current) {
      current = t.line;
      out.push(`${String(t.line).padStart(3)}| ${lines[t.line - 1]}`);
    }
    if (t.text.trim() === '') continue;
    out.push(`     ${JSON.stringify(t.text)}  ${t.scopes.slice(1).join(' ')}`);
  }
  return out.join('\n') + '\n';
}

const fixtureFiles = [
  'cookbook/recipes/default.rb',
  'cookbook/attributes/default.rb',
  'cookbook/resources/site.rb',
  'cookbook/templates/default/nginx.conf.erb',
  'cookbook/templates/default/config.json.erb',
  'plain/spec.rb',
];
const tokenized = new Map<string, Token[]>();
async function tokensOf(fixture: string): Promise<Token[]> {
  if (!tokenized.has(fixture)) {
    const text = readFileSync(join(fixtures, fixture), 'utf8');
    tokenized.set(fixture, await tokenize(makeRegistry(true), scopeFor(fixture), text));
  }
  return tokenized.get(fixture)!;
}

/** The scopes of the `nth` token with this text (ignoring surrounding blanks) on the first line containing `lineText`. */
async function scopesOf(fixture: string, lineText: string, tokenText: string, nth = 0): Promise<string[]> {
  const source = readFileSync(join(fixtures, fixture), 'utf8').split('\n');
  const line = source.findIndex((l) => l.includes(lineText)) + 1;
  assert.ok(line > 0, `fixture ${fixture} has a line with ${JSON.stringify(lineText)}`);
  const found = (await tokensOf(fixture)).filter((t) => t.line === line && t.text.trim() === tokenText);
  assert.ok(found[nth], `token ${JSON.stringify(tokenText)} on line ${line} of ${fixture}; tokens: ${JSON.stringify((await tokensOf(fixture)).filter((t) => t.line === line).map((t) => t.text))}`);
  return found[nth].scopes;
}

function assertScope(scopes: string[], expected: string): void {
  assert.ok(scopes.includes(expected), `expected ${expected} in [${scopes.join(', ')}]`);
}
function assertNoScope(scopes: string[], unexpected: RegExp): void {
  assert.ok(!scopes.some((s) => unexpected.test(s)), `unexpected ${unexpected} in [${scopes.join(', ')}]`);
}

const R = 'cookbook/recipes/default.rb';

test('snapshots: every fixture matches its stored token dump', async () => {
  mkdirSync(expectations, { recursive: true });
  for (const fixture of fixtureFiles) {
    const text = readFileSync(join(fixtures, fixture), 'utf8');
    const actual = dump(await tokensOf(fixture), text);
    const file = join(expectations, fixture.replaceAll('/', '__') + '.snap');
    if (update || !existsSync(file)) {
      writeFileSync(file, actual);
      if (!update) assert.fail(`wrote missing expectation ${file}; review it and rerun`);
      continue;
    }
    assert.equal(actual, readFileSync(file, 'utf8'), `${fixture} differs from ${file} (UPDATE_EXPECTATIONS=1 to regenerate)`);
  }
});

test('built-in resource types, with and without a block', async () => {
  assertScope(await scopesOf(R, "package 'nginx' do", 'package'), 'support.type.resource.builtin.chef');
  assertScope(await scopesOf(R, "package 'nginx' do", 'package'), 'meta.resource.chef');
  assertScope(await scopesOf(R, 'package %w(nginx curl)', 'package'), 'support.type.resource.builtin.chef');
  assertScope(await scopesOf(R, 'apt_update', 'apt_update'), 'support.type.resource.builtin.chef');
  assertScope(await scopesOf(R, '  directory "/srv/', 'directory'), 'support.type.resource.builtin.chef');
  // A local variable that happens to be named like a resource is not one.
  assertNoScope(await scopesOf(R, "file = 'x'", 'file'), /chef/);
});

test('custom resources are scoped apart from built-ins; spec blocks are not resources', async () => {
  const custom = await scopesOf(R, "webserver_site 'default' do", 'webserver_site');
  assertScope(custom, 'entity.name.type.resource.custom.chef');
  assertNoScope(custom, /builtin/);
  assertNoScope(await scopesOf(R, "describe 'not a resource' do", 'describe'), /resource/);
  assertNoScope(await scopesOf('plain/spec.rb', "describe 'webserver::default' do", 'describe'), /chef/);
  assertNoScope(await scopesOf('plain/spec.rb', "it 'installs nginx' do", 'it'), /chef/);
});

test('property names inside resource blocks', async () => {
  for (const [line, prop] of [
    ["  source 'nginx.conf.erb'", 'source'],
    ["  mode '0644'", 'mode'],
    ['  variables(port:', 'variables'],
    ["  version node['nginx']['version']", 'version'],
    ['    recursive true', 'recursive'],
    ["  root_dir '/var/www'", 'root_dir'],
    ["  creates '/usr/local/bin/app'", 'creates'],
    // Property names that are also resource types.
    ["  group 'root'", 'group'],
    ["  user 'build'", 'user'],
  ]) {
    assertScope(await scopesOf(R, line, prop), 'variable.other.property.chef');
  }
  // Not a property: a statement inside a block body that is a plain method call.
  assertNoScope(await scopesOf(R, '    sleep 1', 'sleep'), /property/);
  assertNoScope(await scopesOf(R, "  group 'root'", 'group'), /resource\.builtin/);
  // Chef expressions still work inside nested blocks of a resource body.
  assertScope(await scopesOf(R, '    sleep 1 until', 'node'), 'variable.language.node.chef');
});

test('actions and action symbols keep Ruby symbol scopes', async () => {
  assertScope(await scopesOf(R, '  action :install', 'action'), 'keyword.other.action.chef');
  const install = await scopesOf(R, '  action :install', 'install');
  assertScope(install, 'constant.language.symbol.action.chef');
  assertScope(install, 'constant.other.symbol.ruby');
  assertScope(await scopesOf(R, '  action [:enable, :start]', 'start'), 'constant.language.symbol.action.chef');
});

test('notifications: action, typed target, timer', async () => {
  const line = "  notifies :reload, 'service[nginx]', :delayed";
  assertScope(await scopesOf(R, line, 'notifies'), 'keyword.other.notification.chef');
  assertScope(await scopesOf(R, line, 'reload'), 'constant.language.symbol.action.chef');
  const target = await scopesOf(R, line, 'service');
  assertScope(target, 'support.type.resource.builtin.chef');
  assertScope(target, 'string.quoted.single.ruby');
  assertScope(await scopesOf(R, line, 'nginx'), 'meta.resource-reference.chef');
  assertScope(await scopesOf(R, line, 'delayed'), 'constant.language.symbol.timing.chef');
  assertScope(await scopesOf(R, 'service[#{svc}]', 'immediately'), 'constant.language.symbol.timing.chef');
  assertScope(await scopesOf(R, 'service[#{svc}]', 'svc'), 'meta.embedded.line.ruby');
  // A subscribes continued on the next line after a trailing comma.
  assertScope(await scopesOf(R, "'template[/etc/nginx/nginx.conf]'", 'template'), 'support.type.resource.builtin.chef');
  assertScope(await scopesOf(R, "'execute[reload]', :before", 'before'), 'constant.language.symbol.timing.chef');
});

test('guards, include_recipe, node attributes', async () => {
  assertScope(await scopesOf(R, 'not_if {', 'not_if'), 'keyword.control.guard.chef');
  assertScope(await scopesOf(R, "only_if 'test -f", 'only_if'), 'keyword.control.guard.chef');
  assertScope(await scopesOf(R, "only_if 'test -f", 'test -f /tmp/Makefile'), 'string.quoted.single.ruby');
  assertScope(await scopesOf(R, "include_recipe 'webserver::users'", 'include_recipe'), 'keyword.control.import.include-recipe.chef');
  assertScope(await scopesOf(R, "include_recipe 'webserver::users'", 'webserver'), 'entity.name.namespace.cookbook.chef');
  assertScope(await scopesOf(R, "include_recipe 'webserver::users'", 'users'), 'entity.name.function.recipe.chef');
  assertScope(await scopesOf(R, "include_recipe 'webserver::users'", 'users'), 'string.quoted.single.ruby');
  assertScope(await scopesOf(R, 'include_recipe "apt"', 'apt'), 'entity.name.namespace.cookbook.chef');
  assertScope(await scopesOf(R, "  version node['nginx']['version']", 'node'), 'variable.language.node.chef');
  assertScope(await scopesOf(R, "  version node['nginx']['version']", 'version', 1), 'meta.attribute-key.chef');
  assertScope(await scopesOf(R, "workers: node.default['nginx']", 'default'), 'support.function.precedence.chef');
  const A = 'cookbook/attributes/default.rb';
  assertScope(await scopesOf(A, "default['nginx']['port'] = 80", 'default'), 'support.function.precedence.chef');
  assertScope(await scopesOf(A, "default['nginx']['port'] = 80", 'port'), 'string.quoted.single.ruby');
  assertScope(await scopesOf(A, "override['nginx'][:version]", 'version'), 'constant.other.symbol.ruby');
  assertNoScope(await scopesOf(A, "default['nginx']['port'] = 80", '80'), /attribute/);
});

test('custom resource files', async () => {
  const S = 'cookbook/resources/site.rb';
  assertScope(await scopesOf(S, 'property :root_dir', 'root_dir'), 'entity.name.variable.property.chef');
  assertScope(await scopesOf(S, 'default_action :create', 'default_action'), 'keyword.other.custom-resource.chef');
  assertScope(await scopesOf(S, 'action :create do', 'action'), 'keyword.other.action.chef');
  assertScope(await scopesOf(S, 'variables(root: new_resource.root_dir)', 'new_resource'), 'variable.language.resource.chef');
  assertScope(await scopesOf(S, "    source 'site.erb'", 'source'), 'variable.other.property.chef');
});

test('comments, strings and heredocs stay Ruby', async () => {
  const comment = await scopesOf(R, "# package 'not-a-resource' do", "package 'not-a-resource' do  (a comment stays a comment)");
  assertScope(comment, 'comment.line.number-sign.ruby');
  assertNoScope(comment, /chef/);
  // The heredoc's `end` line does not close the bash block: lines after it are still properties.
  assertScope(await scopesOf(R, '    make && make install', 'make && make install'), 'string.unquoted.heredoc.ruby');
  assertScope(await scopesOf(R, "  creates '/usr/local/bin/app'", 'creates'), 'meta.resource.chef');
  // …and the block does close at its own `end`.
  assertNoScope(await scopesOf(R, "webserver_site 'default' do", 'webserver_site'), /^meta\.resource\.chef$/);
  assertScope(await scopesOf(R, "  source 'nginx.conf.erb'", 'nginx.conf.erb'), 'string.quoted.single.ruby');
});

test('the injection only adds scopes: Ruby scopes are identical with and without it', async () => {
  for (const fixture of fixtureFiles.filter((f) => f.endsWith('.rb'))) {
    const text = readFileSync(join(fixtures, fixture), 'utf8');
    const plain = await tokenize(makeRegistry(false), 'source.ruby', text);
    const chef = await tokensOf(fixture);
    const perChar = (tokens: Token[]) => {
      const out: string[] = [];
      for (const t of tokens) for (let i = 0; i < t.text.length; i++) out.push(`${t.line}: ${t.scopes.filter((s) => s.endsWith('.ruby')).join(' ')}`);
      return out;
    };
    assert.deepEqual(perChar(chef), perChar(plain), `Ruby scopes changed in ${fixture}`);
    assert.ok(chef.some((t) => t.scopes.some((s) => s.endsWith('.chef'))) || fixture === 'plain/spec.rb', `${fixture} got Chef scopes`);
  }
});

test('ERB templates: tags, comments, trim markers, escapes; Ruby inside tags', async () => {
  const T = 'cookbook/templates/default/nginx.conf.erb';
  assert.equal(scopeFor(T), 'text.erb.chef');
  assertScope(await scopesOf(T, '<%# Managed by Chef -%>', '<%#'), 'comment.block.erb');
  assertScope(await scopesOf(T, '<%# Managed by Chef -%>', '-%>'), 'punctuation.definition.comment.end.erb');
  assertScope(await scopesOf(T, 'user <%=', '<%='), 'punctuation.section.embedded.begin.erb');
  assertScope(await scopesOf(T, 'user <%=', 'node'), 'variable.language.node.chef');
  assertScope(await scopesOf(T, 'user <%=', 'nginx'), 'string.quoted.single.ruby');
  assertScope(await scopesOf(T, '<%= @workers %>', 'workers'), 'variable.other.readwrite.instance.ruby');
  assertScope(await scopesOf(T, '<% if @port -%>', 'if'), 'keyword.control.ruby');
  assertScope(await scopesOf(T, '<% if @port -%>', '-%>'), 'punctuation.section.embedded.end.erb');
  assertNoScope(await scopesOf(T, 'worker_processes', 'worker_processes').then((s) => s.slice(1)), /erb|ruby/);
  assertScope(await scopesOf(T, 'literal <%%', '<%%'), 'constant.character.escape.erb');
});

test('ERB over a host language: JSON strings and values still see the tags', async () => {
  const J = 'cookbook/templates/default/config.json.erb';
  assert.equal(scopeFor(J), 'text.erb.chef.json');
  const inString = await scopesOf(J, '"name": "<%= @name %>"', 'name', 1);
  assertScope(inString, 'string.quoted.double.json');
  assertScope(inString, 'variable.other.readwrite.instance.ruby');
  assertScope(await scopesOf(J, '"port": <%= @port %>', 'port', 1), 'source.ruby');
  assertNoScope(await scopesOf(J, '"port": <%= @port %>', '%>'), /^(?!text\.erb).*\.json$/);
  assertScope(await scopesOf(J, '"enabled": true', 'true'), 'constant.language.json');
});

test('manifest: no language for .rb, every grammar file exists, every ERB host has a language and grammar', () => {
  for (const lang of languages) {
    assert.ok(!(lang.filenamePatterns ?? []).some((p) => p.endsWith('.rb')), `${lang.id} does not claim .rb`);
    assert.notEqual(lang.id, 'ruby');
    if (lang.configuration) assert.ok(existsSync(join(root, lang.configuration)), `${lang.configuration} exists`);
  }
  for (const g of contributed) {
    assert.ok(existsSync(join(root, g.path)), `${g.path} exists`);
    const raw = JSON.parse(readFileSync(join(root, g.path), 'utf8'));
    assert.equal(raw.scopeName, g.scopeName, `${g.path} declares ${g.scopeName}`);
    if (g.language) assert.ok(languages.some((l) => l.id === g.language), `language ${g.language} is contributed`);
  }
  const injection = contributed.find((g) => g.scopeName === 'source.ruby.chef');
  assert.ok(injection?.injectTo?.includes('source.ruby'));
  for (const suffix of ['json', 'yml', 'yaml', 'sh', 'xml', 'html']) {
    assert.notEqual(scopeFor(`x/templates/default/a.${suffix}.erb`), 'text.erb.chef', `.${suffix}.erb has a host grammar`);
  }
  assert.equal(scopeFor('x/templates/default/nginx.conf.erb'), 'text.erb.chef');
  const yaml = languages.find((l) => l.id === 'yaml');
  assert.ok(yaml?.filenamePatterns?.includes('**/recipes/*.yml'), 'Chef YAML recipes are YAML');
  const config = JSON.parse(readFileSync(join(root, 'syntaxes', 'erb-language-configuration.json'), 'utf8'));
  assert.deepEqual(config.comments.blockComment, ['<%#', '%>']);
  assert.ok(new RegExp(config.folding.markers.start).test('<% @items.each do |item| -%>'));
  assert.ok(new RegExp(config.folding.markers.end).test('<% end -%>'));
});
