#!/usr/bin/env node
// Generates the static TextMate grammars under syntaxes/:
//   chef-ruby.injection.tmLanguage.json   Chef DSL scopes injected into Ruby (source.ruby)
//   chef-erb.tmLanguage.json              ERB templates over plain text
//   chef-erb-<host>.tmLanguage.json       ERB templates over a known host language (json, yaml, …)
// The list of built-in resource names comes from the project's catalog
// (server/src/chef/catalog/builtinResources.json). The output is committed; rerun this script
// when the catalog changes:  node scripts/genGrammar.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const catalog = JSON.parse(readFileSync(join(root, 'server/src/chef/catalog/builtinResources.json'), 'utf8'));

/** Every DSL name a recipe can declare a built-in resource with (`package`, `apt_package`, …). */
const builtinNames = [...new Set([...Object.keys(catalog.provides_index), ...Object.keys(catalog.resources)])]
  .filter((n) => /^[a-z_][a-z0-9_]*$/.test(n))
  // Longest first so that an alternation never stops at a prefix (`cron` before `cron_d` is
  // harmless thanks to \b, but longest-first keeps the regex obviously right).
  .sort((a, b) => b.length - a.length || a.localeCompare(b));
const BUILTIN = `(?:${builtinNames.join('|')})`;

// After a resource type at the start of a statement: an argument follows (not an operator, an
// assignment, a method call on a local variable, or a modifier keyword), or nothing at all.
const ARG_FOLLOWS = String.raw`(?=[ \t]*\(|[ \t]+(?![=,.?)\]}|&]|[<>*+\-/!~^%]=?\s|(?:if|unless|and|or|then|rescue|while|until)\b|#)|[ \t]*(?:#|;|$))`;
// …and the line ends with `do` (optionally `|params|` and a comment): a resource block.
const OPENS_BLOCK = String.raw`(?=(?:[ \t]*\(|[ \t]+(?![=,.?)\]}|&]|[<>*+\-/!~^%]=?\s|(?:if|unless|and|or|then|rescue|while|until)\b)).*?\bdo\b[ \t]*(?:\|[^|]*\|)?[ \t]*(?:#.*)?$)`;
// Words that look like `word 'name' do` but are not Chef resources (RSpec, InSpec, ChefSpec,
// Rake, Sinatra, Gemfile, custom-resource DSL). The custom-resource heuristic skips them.
const NOT_RESOURCES = [
  'describe', 'context', 'it', 'its', 'specify', 'example', 'scenario', 'feature', 'before', 'after', 'around',
  'shared_examples', 'shared_examples_for', 'shared_context', 'include_examples', 'include_context',
  'it_behaves_like', 'it_should_behave_like', 'let', 'subject', 'control', 'title', 'source', 'test',
  'get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'namespace', 'task', 'desc', 'group',
  'converge_by', 'converge_if_changed', 'with_run_context', 'action_class', 'load_current_value',
  'property', 'attribute', 'action', 'notifies', 'subscribes', 'only_if', 'not_if', 'platform', 'gem',
  'if', 'unless', 'while', 'until', 'case', 'when', 'return', 'puts', 'raise', 'require', 'lazy', 'block',
];
const RUBY_WORDS = [
  'if', 'unless', 'else', 'elsif', 'end', 'case', 'when', 'while', 'until', 'begin', 'rescue', 'ensure',
  'return', 'next', 'break', 'redo', 'retry', 'yield', 'super', 'def', 'class', 'module', 'do', 'then',
  'and', 'or', 'not', 'in', 'for', 'alias', 'undef', 'defined', 'puts', 'p', 'pp', 'print', 'raise', 'fail',
  'require', 'require_relative', 'include_recipe', 'lazy', 'nil', 'true', 'false', 'self', 'node', 'loop',
  'lambda', 'proc', 'new_resource', 'current_resource', 'include', 'extend',
];
const ACTION_WORDS = ['action', 'delayed_action'];
const NOTIFY_WORDS = ['notifies', 'subscribes', 'notifies_before', 'notifies_immediately', 'notifies_delayed'];
const GUARD_WORDS = ['not_if', 'only_if'];
const NOT_PROPERTIES = [...RUBY_WORDS, ...ACTION_WORDS, ...NOTIFY_WORDS, ...GUARD_WORDS];
const PRECEDENCE = [
  'default', 'override', 'normal', 'automatic', 'force_default', 'force_override', 'default_unless',
  'override_unless', 'normal_unless', 'set', 'set_unless', 'role_default', 'env_default', 'role_override',
  'env_override', 'run_state',
];
const WRITE_PRECEDENCE = PRECEDENCE.filter((p) => !['automatic', 'set', 'set_unless', 'run_state'].includes(p) && !p.startsWith('role_') && !p.startsWith('env_'));

const symbol = (extra) => ({
  match: String.raw`(?<![:\w])(:)([a-zA-Z_]\w*[?!]?)(?![\w:])(?!\s*=>)`,
  name: `constant.other.symbol.ruby ${extra}`,
  captures: { 1: { name: 'punctuation.definition.constant.ruby' } },
});
/** A string 'type[name]' naming a resource, keeping Ruby's string scopes and adding the type's. */
const targetString = (quote, kind) => ({
  begin: `(${quote})(?=[A-Za-z_]\\w*\\[)`,
  beginCaptures: { 1: { name: 'punctuation.definition.string.begin.ruby' } },
  end: quote,
  endCaptures: { 0: { name: 'punctuation.definition.string.end.ruby' } },
  name: `string.quoted.${kind}.ruby meta.resource-reference.chef`,
  patterns: [
    { match: `\\G(${BUILTIN})(\\[)`, captures: { 1: { name: 'support.type.resource.builtin.chef' }, 2: { name: 'punctuation.section.resource-name.begin.chef' } } },
    { match: String.raw`\G([A-Za-z_]\w*)(\[)`, captures: { 1: { name: 'entity.name.type.resource.custom.chef' }, 2: { name: 'punctuation.section.resource-name.begin.chef' } } },
    { match: `\\](?=${quote})`, name: 'punctuation.section.resource-name.end.chef' },
    ...(kind === 'double' ? [{ include: 'source.ruby#interpolated_ruby' }, { include: 'source.ruby#escaped_char' }] : [{ match: String.raw`\\'|\\\\`, name: 'constant.character.escape.ruby' }]),
  ],
});
const recipeString = (quote, kind) => ({
  match: `(${quote})([\\w-]+)(?:(::)([\\w-]+))?(${quote})`,
  name: `string.quoted.${kind}.ruby`,
  captures: {
    1: { name: 'punctuation.definition.string.begin.ruby' },
    2: { name: 'entity.name.namespace.cookbook.chef' },
    3: { name: 'punctuation.separator.namespace.chef' },
    4: { name: 'entity.name.function.recipe.chef' },
    5: { name: 'punctuation.definition.string.end.ruby' },
  },
});
const statementEnd = String.raw`(?=[ \t]*(?:#.*)?$)|(?=[;}])`;
const brackets = (name) => ({
  begin: String.raw`\[`,
  beginCaptures: { 0: { name: 'punctuation.section.array.begin.ruby' } },
  end: String.raw`\]`,
  endCaptures: { 0: { name: 'punctuation.section.array.end.ruby' } },
  ...(name ? { name } : {}),
  patterns: [{ include: '#brackets' }, { include: 'source.ruby' }],
});

const injection = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  comment: [
    'GENERATED by scripts/genGrammar.mjs from the resource catalog; do not edit by hand.',
    'Chef DSL scopes injected into Ruby. Every rule only adds scopes: whatever a rule consumes itself',
    '(strings, symbols, brackets) carries the scopes VS Code\'s Ruby grammar would give it, and the rest',
    'is left to source.ruby. TextMate cannot see file paths, so the rules are written to be specific',
    'to Chef code (statement-start resource declarations, Chef-only keywords); precise, cookbook-aware',
    'highlighting is the language server\'s semantic tokens job.',
  ].join(' '),
  scopeName: 'source.ruby.chef',
  // Not inside resource bodies: there `group 'root'` is a property, not a `group` resource, so a
  // body lists its own patterns (#resource-body) instead of receiving the injection.
  injectionSelector: 'L:source.ruby -comment -string -meta.resource.chef',
  patterns: [
    { include: '#resource-block' },
    { include: '#custom-resource-block' },
    { include: '#resource-declaration' },
    { include: '#attribute-write' },
    { include: '#chef-expressions' },
  ],
  repository: {
    'chef-expressions': {
      patterns: [
        { include: '#action' },
        { include: '#notification' },
        { include: '#guard' },
        { include: '#include-recipe' },
        { include: '#attribute-path' },
        { include: '#node' },
        { include: '#custom-resource-dsl' },
        { include: '#lazy' },
      ],
    },
    'resource-block': {
      comment: 'A built-in resource with a do…end block. The block ends at the `end` indented like the declaration; Ruby tokenizes that `end`.',
      name: 'meta.resource.chef',
      begin: `^([ \\t]*)(${BUILTIN})\\b${OPENS_BLOCK}`,
      beginCaptures: { 2: { name: 'support.type.resource.builtin.chef' } },
      end: String.raw`^\1(?=end\b)`,
      patterns: [{ include: '#resource-body' }],
    },
    'custom-resource-block': {
      comment: 'Heuristic for custom resources: `identifier \'name\' do` at the start of a statement.',
      name: 'meta.resource.custom.chef',
      begin: `^([ \\t]*)(?!(?:${NOT_RESOURCES.join('|')})\\b)([a-z][a-z0-9_]*)(?=(?:[ \\t]*\\(|[ \\t]+)['"].*?\\bdo\\b[ \\t]*(?:\\|[^|]*\\|)?[ \\t]*(?:#.*)?$)`,
      beginCaptures: { 2: { name: 'entity.name.type.resource.custom.chef' } },
      end: String.raw`^\1(?=end\b)`,
      patterns: [{ include: '#resource-body' }],
    },
    'resource-declaration': {
      comment: 'A built-in resource without a block (`package \'curl\'`, `apt_update`).',
      match: `^[ \\t]*(${BUILTIN})\\b${ARG_FOLLOWS}`,
      captures: { 1: { name: 'support.type.resource.builtin.chef' } },
    },
    'resource-body': {
      patterns: [
        { include: '#resource-block' },
        { include: '#custom-resource-block' },
        { include: '#nested-block' },
        { include: '#chef-expressions' },
        { include: '#property' },
        { include: 'source.ruby' },
      ],
    },
    'nested-block': {
      comment: 'A do…end block inside a resource body (`block do`, `only_if do`, `.each do`): its statements are plain Ruby, not properties.',
      begin: `^([ \\t]*)(?:(?!(?:${NOT_PROPERTIES.join('|')})\\b)([a-z_][a-zA-Z0-9_]*)(?=[ \\t]+do\\b))?(?=.*\\bdo\\b[ \\t]*(?:\\|[^|]*\\|)?[ \\t]*(?:#.*)?$)`,
      beginCaptures: { 2: { name: 'variable.other.property.chef' } },
      end: String.raw`^\1(?=end\b)`,
      patterns: [{ include: '#resource-block' }, { include: '#custom-resource-block' }, { include: '#chef-expressions' }, { include: 'source.ruby' }],
    },
    property: {
      comment: 'A bare call with an argument at the start of a statement inside a resource block sets a property.',
      match: `^[ \\t]*(?!(?:${NOT_PROPERTIES.join('|')})\\b)([a-z_][a-zA-Z0-9_]*)(?=[ \\t]*\\(|[ \\t]+(?![=,.?)\\]}|&]|[<>*+\\-/!~^%]=?\\s|(?:if|unless|and|or|then|rescue|while|until)\\b|#|$))`,
      captures: { 1: { name: 'variable.other.property.chef' } },
    },
    action: {
      name: 'meta.action.chef',
      begin: `^[ \\t]*(${ACTION_WORDS.join('|')})\\b${ARG_FOLLOWS}`,
      beginCaptures: { 1: { name: 'keyword.other.action.chef' } },
      end: statementEnd,
      patterns: [
        symbol('constant.language.symbol.action.chef'),
        {
          begin: String.raw`\[`,
          beginCaptures: { 0: { name: 'punctuation.section.array.begin.ruby' } },
          end: String.raw`\]`,
          endCaptures: { 0: { name: 'punctuation.section.array.end.ruby' } },
          patterns: [symbol('constant.language.symbol.action.chef'), { include: 'source.ruby' }],
        },
        { include: 'source.ruby' },
      ],
    },
    notification: {
      comment: '`notifies :action, \'type[name]\', :timer` and `subscribes …`; a trailing comma continues the statement on the next line.',
      name: 'meta.notification.chef',
      begin: `^[ \\t]*(${NOTIFY_WORDS.join('|')})\\b${ARG_FOLLOWS}`,
      beginCaptures: { 1: { name: 'keyword.other.notification.chef' } },
      // `\n` too: the line is scanned with its newline, and after it the line would look finished.
      end: String.raw`(?<![,(\\\n])(?=[ \t]*(?:#.*)?$)|(?=;)`,
      patterns: [
        {
          match: String.raw`(?<![:\w])(:)(immediately|immediate|delayed|before)(?![\w:?!])`,
          name: 'constant.other.symbol.ruby constant.language.symbol.timing.chef',
          captures: { 1: { name: 'punctuation.definition.constant.ruby' } },
        },
        targetString("'", 'single'),
        targetString('"', 'double'),
        symbol('constant.language.symbol.action.chef'),
        { include: 'source.ruby' },
      ],
    },
    guard: {
      match: `(?<![.:\\w])(${GUARD_WORDS.join('|')})\\b(?![?!:])`,
      captures: { 1: { name: 'keyword.control.guard.chef' } },
    },
    'include-recipe': {
      name: 'meta.include-recipe.chef',
      begin: String.raw`(?<![.:\w])(include_recipe)\b(?![?!:])`,
      beginCaptures: { 1: { name: 'keyword.control.import.include-recipe.chef' } },
      end: statementEnd,
      patterns: [recipeString("'", 'single'), recipeString('"', 'double'), { include: 'source.ruby' }],
    },
    'attribute-path': {
      comment: '`node[\'a\'][\'b\']`, `node.default[\'a\']` … up to the last bracket.',
      name: 'meta.attribute-path.chef',
      begin: `(?<![.:@$\\w])(node)(?:(\\.)(${PRECEDENCE.join('|')}))?(?=\\[)`,
      beginCaptures: {
        1: { name: 'variable.language.node.chef' },
        2: { name: 'punctuation.separator.method.ruby' },
        3: { name: 'support.function.precedence.chef' },
      },
      end: String.raw`(?<=\])(?!\[)`,
      patterns: [{ include: '#attribute-key' }],
    },
    'attribute-write': {
      comment: 'Attribute files: `default[\'a\'][\'b\'] = …` at the start of a statement.',
      name: 'meta.attribute-path.chef',
      begin: `^[ \\t]*(${WRITE_PRECEDENCE.join('|')})(?=\\[)`,
      beginCaptures: { 1: { name: 'support.function.precedence.chef' } },
      end: String.raw`(?<=\])(?!\[)`,
      patterns: [{ include: '#attribute-key' }],
    },
    'attribute-key': brackets('meta.attribute-key.chef'),
    brackets: brackets(),
    node: {
      match: `(?<![.:@$\\w])(node)\\b(?![?!:]|[ \\t]*=[^=~>])(?:(\\.)(${PRECEDENCE.join('|')})\\b)?`,
      captures: {
        1: { name: 'variable.language.node.chef' },
        2: { name: 'punctuation.separator.method.ruby' },
        3: { name: 'support.function.precedence.chef' },
      },
    },
    'custom-resource-dsl': {
      patterns: [
        {
          comment: '`property :name, Type, …` in resources/*.rb',
          match: String.raw`^[ \t]*(property|attribute)[ \t]+(:)([a-zA-Z_]\w*)`,
          captures: {
            1: { name: 'keyword.other.property.chef' },
            2: { name: 'constant.other.symbol.ruby punctuation.definition.constant.ruby' },
            3: { name: 'constant.other.symbol.ruby entity.name.variable.property.chef' },
          },
        },
        {
          match: String.raw`^[ \t]*(default_action|allowed_actions|actions|provides|resource_name|unified_mode|action_class|load_current_value|use)\b(?![?!:]|[ \t]*=[^=~>])`,
          captures: { 1: { name: 'keyword.other.custom-resource.chef' } },
        },
        { match: String.raw`(?<![.:@$\w])(new_resource|current_resource)\b(?![?!:])`, name: 'variable.language.resource.chef' },
        { match: String.raw`(?<![.:\w])(converge_by|converge_if_changed)\b(?![?!:])`, name: 'support.function.converge.chef' },
      ],
    },
    lazy: {
      match: String.raw`(?<![.:\w])lazy\b(?=[ \t]*(?:\{|do\b|\())`,
      name: 'support.function.lazy.chef',
    },
  },
};

// ERB: one grammar per host language, because a grammar cannot see the file name. VS Code picks
// the language (and so the grammar) from the file name: `templates/**/*.json.erb` → chef-erb-json,
// the longest matching pattern wins; anything else under templates/ is chef-erb (plain text).
// The ERB tags are a grammar-level injection, so they are found even inside the host's strings
// and comments (`"name": "<%= @name %>"`).
const erbTags = {
  patterns: [
    {
      match: '<%%',
      name: 'constant.character.escape.erb',
    },
    {
      begin: '<%#',
      beginCaptures: { 0: { name: 'punctuation.definition.comment.begin.erb' } },
      end: '-?%>',
      endCaptures: { 0: { name: 'punctuation.definition.comment.end.erb' } },
      name: 'comment.block.erb',
    },
    {
      begin: '<%[=-]?',
      beginCaptures: { 0: { name: 'punctuation.section.embedded.begin.erb' } },
      end: '-?%>',
      endCaptures: { 0: { name: 'punctuation.section.embedded.end.erb' } },
      name: 'meta.embedded.erb',
      contentName: 'source.ruby',
      patterns: [{ include: 'source.ruby' }],
    },
  ],
};
const ERB_SELECTOR = 'L:text.erb.chef - (meta.embedded.erb | comment.block.erb)';
const erbBase = {
  comment: 'GENERATED by scripts/genGrammar.mjs. Chef ERB templates over plain text; the host-language variants include this grammar\'s #tags.',
  name: 'Chef ERB template',
  scopeName: 'text.erb.chef',
  patterns: [],
  injections: { [ERB_SELECTOR]: { patterns: [{ include: '#tags' }] } },
  repository: { tags: erbTags },
};

/** Host languages embedded by file name; id suffix → [file suffixes, host scope]. */
export const ERB_HOSTS = {
  json: [['json'], 'source.json'],
  yaml: [['yml', 'yaml'], 'source.yaml'],
  shell: [['sh', 'bash'], 'source.shell'],
  xml: [['xml'], 'text.xml'],
  html: [['html', 'htm'], 'text.html.basic'],
  ini: [['ini'], 'source.ini'],
};
const erbVariant = (host, hostScope) => ({
  comment: `GENERATED by scripts/genGrammar.mjs. Chef ERB templates over ${host} (${hostScope}).`,
  name: `Chef ERB template (${host})`,
  scopeName: `text.erb.chef.${host}`,
  patterns: [{ include: hostScope }],
  injections: { [ERB_SELECTOR]: { patterns: [{ include: 'text.erb.chef#tags' }] } },
});

const write = (file, data) => writeFileSync(join(root, 'syntaxes', file), JSON.stringify(data, null, 2) + '\n');
write('chef-ruby.injection.tmLanguage.json', injection);
write('chef-erb.tmLanguage.json', erbBase);
for (const [host, [, scope]] of Object.entries(ERB_HOSTS)) write(`chef-erb-${host}.tmLanguage.json`, erbVariant(host, scope));
console.log(`wrote syntaxes/ (${builtinNames.length} built-in resource names, ${Object.keys(ERB_HOSTS).length} ERB hosts)`);
