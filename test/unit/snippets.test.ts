/**
 * Snippet tests: every snippet in snippets/chef-recipes.code-snippets declares a resource that
 * exists in the catalog, sets only properties that resource has, and offers only actions (and
 * property values) the catalog allows. The snippet bodies are parsed here independently of the
 * generator (scripts/genSnippets.mjs), so a hand edit or a catalog change is caught.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface CatalogProperty {
  name: string;
  equal_to?: unknown[] | string | null;
}
interface CatalogResource {
  actions: string[];
  default_action: string;
  properties: CatalogProperty[];
}
interface Catalog {
  common: { properties: CatalogProperty[]; methods: { name: string }[] };
  resources: Record<string, CatalogResource>;
  provides_index: Record<string, { resource: string }[]>;
}
interface Snippet {
  prefix: string;
  body: string[];
  description: string;
}

const catalog: Catalog = JSON.parse(readFileSync(join(root, 'server/src/chef/catalog/builtinResources.json'), 'utf8'));
const snippets: Record<string, Snippet> = JSON.parse(readFileSync(join(root, 'snippets/chef-recipes.code-snippets'), 'utf8'));

/**
 * Methods that take a block and are not properties in the catalog (which lists properties only):
 * ruby_block's `block`.
 */
const BLOCK_METHODS: Record<string, string[]> = { ruby_block: ['block'], whyrun_safe_ruby_block: ['block'] };
const DSL_FORMS = ['include_recipe', 'notifies', 'subscribes'];
const TIMINGS = [':delayed', ':immediately', ':immediate', ':before'];

function resourceFor(dslName: string): CatalogResource | undefined {
  return catalog.resources[dslName] ?? catalog.resources[catalog.provides_index[dslName]?.[0]?.resource ?? ''];
}

/** The options of a `${n|a,b|}` choice placeholder, unescaped. */
function choices(text: string): string[][] {
  const out: string[][] = [];
  for (const m of text.matchAll(/\$\{\d+\|((?:\\.|[^|\\])*)\|\}/g)) {
    out.push(m[1].split(/(?<!\\),/).map((c) => c.replace(/\\(.)/g, '$1')));
  }
  return out;
}
/** Symbols in an action choice: `:start` or `[:enable, :start]`. */
function symbolsIn(choice: string): string[] {
  return [...choice.matchAll(/:(\w+)/g)].map((m) => m[1]);
}

test('the snippets cover the most used resources and the DSL forms', () => {
  const prefixes = Object.values(snippets).map((s) => s.prefix);
  const resources = prefixes.filter((p) => !DSL_FORMS.includes(p));
  assert.ok(resources.length >= 25, `at least 25 resource snippets, got ${resources.length}`);
  for (const must of ['package', 'service', 'template', 'file', 'directory', 'execute', 'bash', 'cookbook_file', 'remote_file', 'user', 'group', 'link', 'cron', 'apt_update', 'git', 'log', 'ruby_block', 'systemd_unit', 'mount', 'archive_file']) {
    assert.ok(prefixes.includes(must), `a snippet for ${must}`);
  }
  for (const form of DSL_FORMS) assert.ok(prefixes.includes(form), `a snippet for ${form}`);
  assert.equal(new Set(prefixes).size, prefixes.length, 'prefixes are unique');
});

test("every resource snippet's resource, properties and actions exist in the catalog", () => {
  const common = new Set(catalog.common.properties.map((p) => p.name));
  let checkedActions = 0;
  for (const [title, snippet] of Object.entries(snippets)) {
    if (DSL_FORMS.includes(snippet.prefix)) continue;
    const [first, ...rest] = snippet.body;
    const declared = /^([a-z_]\w*) /.exec(first)?.[1];
    assert.equal(declared, snippet.prefix, `${title}: the body declares the prefix's resource`);
    assert.match(first, / do$/, `${title}: a do block`);
    assert.equal(rest.at(-1), 'end', `${title}: ends with end`);
    const resource = resourceFor(declared!);
    assert.ok(resource, `${title}: ${declared} is a built-in resource`);
    let sawAction = false;
    let inHeredoc: string | undefined;
    let blockDepth = 0;
    for (const line of rest.slice(0, -1)) {
      if (inHeredoc) {
        if (line.trim() === inHeredoc) inHeredoc = undefined;
        continue;
      }
      if (blockDepth > 0) {
        if (line.trim() === 'end') blockDepth--;
        continue;
      }
      const m = /^ {2}([a-z_]\w*)\b/.exec(line);
      assert.ok(m, `${title}: "${line}" is a property or action line`);
      const name = m[1];
      inHeredoc = /<<[~-]?([A-Z_]+)\s*$/.exec(line)?.[1];
      if (/\bdo\s*$/.test(line)) blockDepth++;
      const lineChoices = choices(line);
      if (name === 'action') {
        sawAction = true;
        assert.equal(lineChoices.length, 1, `${title}: one choice list of actions`);
        for (const option of lineChoices[0]) {
          for (const action of symbolsIn(option)) {
            assert.ok(resource.actions.includes(action), `${title}: :${action} is an action of ${declared} (${resource.actions.join(', ')})`);
            checkedActions++;
          }
        }
        const first = symbolsIn(lineChoices[0][0]);
        if (resource.default_action !== 'nothing') assert.deepEqual(first, [resource.default_action], `${title}: the default action comes first`);
        continue;
      }
      const property = resource.properties.find((p) => p.name === name);
      assert.ok(property || common.has(name) || BLOCK_METHODS[declared!]?.includes(name), `${title}: ${name} is a property of ${declared}`);
      for (const options of lineChoices) {
        assert.ok(Array.isArray(property?.equal_to), `${title}: a choice for ${name} needs allowed values in the catalog`);
        for (const option of options) assert.ok((property!.equal_to as unknown[]).includes(option), `${title}: ${option} is allowed for ${name}`);
      }
    }
    assert.ok(sawAction, `${title}: has an action line`);
  }
  assert.ok(checkedActions > 100, `checked the action lists (${checkedActions})`);
});

test('the notifies/subscribes forms use common methods and valid timers', () => {
  const methods = new Set(catalog.common.methods.map((m) => m.name));
  for (const form of ['notifies', 'subscribes']) {
    const snippet = Object.values(snippets).find((s) => s.prefix === form)!;
    assert.ok(methods.has(form), `${form} is a common resource method`);
    const body = snippet.body.join('\n');
    assert.match(body, new RegExp(`^${form} `));
    const lists = choices(body);
    assert.ok(lists.at(-1)!.every((t) => TIMINGS.includes(t)), `${form}: the last choice is a timer`);
    assert.match(body, /'\$\{\d+:\w+\}\[\$\{\d+:\w+\}\]'/, `${form}: a 'type[name]' target`);
  }
  const include = Object.values(snippets).find((s) => s.prefix === 'include_recipe')!;
  assert.match(include.body[0], /^include_recipe '\$\{1:\w+\}::\$\{2:\w+\}'$/);
});

test('tab stops are numbered 1..n without gaps in every snippet', () => {
  for (const [title, snippet] of Object.entries(snippets)) {
    const numbers = [...snippet.body.join('\n').matchAll(/\$\{?(\d+)/g)].map((m) => Number(m[1]));
    const distinct = [...new Set(numbers)].sort((a, b) => a - b);
    assert.deepEqual(distinct, distinct.map((_, i) => i + 1), `${title}: tab stops ${distinct.join(',')}`);
  }
});
