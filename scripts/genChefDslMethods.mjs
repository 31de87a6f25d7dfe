// Writes server/src/chef/dsl/chefDslMethods.json: the names of the methods Chef Infra's recipe DSL
// modules define (lib/chef/dsl, chef-utils' DSL, the shell_out mixin), so `respond_to?` can answer
// for the ones Cloche does not implement. Names only (facts about Chef), from a Chef source checkout:
//   node scripts/genChefDslMethods.mjs /path/to/chef
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = process.argv[2];
if (!root) { console.error('usage: node scripts/genChefDslMethods.mjs CHEF_SOURCE_DIR'); process.exit(2); }
const dirs = ['lib/chef/dsl', 'chef-utils/lib/chef-utils/dsl'];
const files = dirs.flatMap((d) => readdirSync(path.join(root, d)).filter((f) => f.endsWith('.rb')).map((f) => path.join(root, d, f)));
files.push(path.join(root, 'lib/chef/mixin/shell_out.rb'));
const names = new Set();
for (const f of files) for (const m of readFileSync(f, 'utf8').matchAll(/^\s+def ([a-z_][a-z0-9_]*[?!]?)/gm)) if (!m[1].startsWith('_')) names.add(m[1]);
const out = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../server/src/chef/dsl/chefDslMethods.json');
writeFileSync(out, JSON.stringify([...names].sort(), null, 0).replace(/","/g, '",\n"') + '\n');
console.log(`${names.size} names → ${out}`);
