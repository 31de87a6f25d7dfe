#!/usr/bin/env node
// Generates snippets/chef-recipes.code-snippets: one snippet per commonly used resource (prefix =
// resource name) plus the include_recipe / notifies / subscribes forms. Which properties each
// snippet shows is chosen here by hand; the action choice lists (and choice lists for properties
// with allowed values, e.g. log's level) come from the catalog, default action first.
// The output is committed; rerun when the catalog or this list changes:  node scripts/genSnippets.mjs
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const catalog = JSON.parse(readFileSync(join(root, 'server/src/chef/catalog/builtinResources.json'), 'utf8'));

/**
 * resource → [name placeholder, properties]. A property is [name, value], where the value is
 * written as Ruby with `{text}` marking a tab stop with default text; `{}` is an empty tab stop
 * and `{?}` a choice list from the property's allowed values. `code` heredocs span lines.
 */
const RESOURCES = {
  package: ['name', []],
  service: ['name', []],
  template: ['/etc/path/file', [['source', "'{file}.erb'"], ['owner', "'{root}'"], ['group', "'{root}'"], ['mode', "'{0644}'"], ['variables', '({})']]],
  file: ['/etc/path/file', [['content', "'{}'"], ['owner', "'{root}'"], ['group', "'{root}'"], ['mode', "'{0644}'"]]],
  directory: ['/path/to/dir', [['owner', "'{root}'"], ['group', "'{root}'"], ['mode', "'{0755}'"], ['recursive', '{true}']]],
  execute: ['name', [['command', "'{command}'"], ['cwd', "'{/tmp}'"], ['creates', "'{/path/created}'"]]],
  bash: ['name', [['cwd', "'{/tmp}'"], ['code', '<<~EOH\n    {}\n  EOH']]],
  cookbook_file: ['/path/to/file', [['source', "'{file}'"], ['owner', "'{root}'"], ['group', "'{root}'"], ['mode', "'{0644}'"]]],
  remote_file: ['/path/to/file', [['source', "'{https://example.com/file}'"], ['checksum', "'{sha256}'"], ['owner', "'{root}'"], ['group', "'{root}'"], ['mode', "'{0644}'"]]],
  user: ['name', [['comment', "'{}'"], ['home', "'{/home/name}'"], ['shell', "'{/bin/bash}'"], ['manage_home', '{true}']]],
  group: ['name', [['members', "%w({})"], ['append', '{true}']]],
  link: ['/path/to/link', [['to', "'{/path/to/target}'"]]],
  cron: ['name', [['minute', "'{0}'"], ['hour', "'{*}'"], ['user', "'{root}'"], ['command', "'{command}'"]]],
  cron_d: ['name', [['minute', "'{0}'"], ['hour', "'{*}'"], ['user', "'{root}'"], ['command', "'{command}'"]]],
  apt_update: ['update', [['frequency', '{86_400}']]],
  apt_repository: ['name', [['uri', "'{https://example.com/apt}'"], ['components', "%w({main})"], ['key', "'{https://example.com/key.gpg}'"]]],
  yum_repository: ['name', [['description', "'{}'"], ['baseurl', "'{https://example.com/yum}'"], ['gpgkey', "'{https://example.com/key.gpg}'"], ['gpgcheck', '{true}']]],
  git: ['/path/to/checkout', [['repository', "'{https://example.com/repo.git}'"], ['revision', "'{main}'"], ['user', "'{root}'"]]],
  log: ['message', [['level', '{?}']]],
  ruby_block: ['name', [['block', 'do\n    {}\n  end']]],
  systemd_unit: ['name.service', [['content', '<<~UNIT\n    {[Unit]}\n  UNIT']]],
  sysctl: ['net.ipv4.ip_forward', [['value', "'{1}'"]]],
  mount: ['/mnt/point', [['device', "'{/dev/sdb1}'"], ['fstype', "'{ext4}'"], ['options', "%w({defaults})"]]],
  archive_file: ['/path/to/archive.tar.gz', [['destination', "'{/opt/app}'"], ['overwrite', '{true}']]],
  remote_directory: ['/path/to/dir', [['source', "'{dir}'"], ['owner', "'{root}'"], ['group', "'{root}'"], ['files_mode', "'{0644}'"]]],
};

/** Escapes text for a snippet placeholder or choice. */
const esc = (s, choice = false) => s.replace(choice ? /[$}\\|,]/g : /[$}\\]/g, '\\$&');
const choice = (n, values) => `\${${n}|${values.map((v) => esc(v, true)).join(',')}|}`;

/** The default action first and `:nothing` last; services (default :nothing) start with `[:enable, :start]`. */
function actionChoices(entry) {
  const others = entry.actions.filter((a) => a !== entry.default_action && a !== 'nothing').map((a) => `:${a}`);
  if (entry.default_action !== 'nothing') return [`:${entry.default_action}`, ...others, ':nothing'];
  const enableStart = entry.actions.includes('enable') && entry.actions.includes('start') ? ['[:enable, :start]'] : [];
  return [...enableStart, ...others, ':nothing'];
}

function resourceSnippet(resource, [namePlaceholder, props]) {
  const entry = catalog.resources[resource];
  if (!entry) throw new Error(`${resource} is not in the catalog`);
  let n = 1;
  const lines = [`${resource} '\${${n++}:${esc(namePlaceholder)}}' do`];
  for (const [prop, value] of props) {
    const allowed = entry.properties.find((p) => p.name === prop)?.equal_to;
    const rendered = value.replace(/\{([^}]*)\}/g, (_, text) => {
      if (text === '?') {
        if (!Array.isArray(allowed)) throw new Error(`${resource}.${prop} has no allowed values`);
        const def = entry.properties.find((p) => p.name === prop)?.default;
        return choice(n++, [...allowed.filter((v) => v === def), ...allowed.filter((v) => v !== def)].map(String));
      }
      return text ? `\${${n++}:${esc(text)}}` : `\$${n++}`;
    });
    lines.push(...`  ${prop} ${rendered}`.replace(/^  (\w+) \(/, '  $1(').split('\n'));
  }
  lines.push(`  action ${choice(n++, actionChoices(entry))}`, 'end');
  return {
    prefix: resource,
    body: lines,
    description: `Chef ${resource} resource (default action :${entry.default_action})`,
  };
}

const snippets = {};
for (const [resource, spec] of Object.entries(RESOURCES)) snippets[`Chef: ${resource}`] = resourceSnippet(resource, spec);

const TIMINGS = [':delayed', ':immediately', ':before'];
snippets['Chef: include_recipe'] = {
  prefix: 'include_recipe',
  body: ["include_recipe '${1:cookbook}::${2:recipe}'"],
  description: 'Include another recipe in the run list at this point',
};
snippets['Chef: notifies'] = {
  prefix: 'notifies',
  body: [`notifies \${1|:restart,:reload,:run,:create|}, '\${2:service}[\${3:name}]', ${choice(4, TIMINGS)}`],
  description: 'Notify another resource to run an action when this one changes',
};
snippets['Chef: subscribes'] = {
  prefix: 'subscribes',
  body: [`subscribes \${1|:restart,:reload,:run,:create|}, '\${2:template}[\${3:name}]', ${choice(4, TIMINGS)}`],
  description: 'Run an action on this resource when another resource changes',
};

mkdirSync(join(root, 'snippets'), { recursive: true });
writeFileSync(join(root, 'snippets', 'chef-recipes.code-snippets'), JSON.stringify(snippets, null, 2) + '\n');
console.log(`wrote snippets/chef-recipes.code-snippets (${Object.keys(snippets).length} snippets)`);
