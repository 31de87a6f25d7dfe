/**
 * The prism parse floor of `bench:check`: one process that reads and parses every Ruby file named in
 * a list file (one path a line) with the parser `cloche check` uses, and nothing else. Bundled and
 * run as its own process by check.bench.ts, so it pays the same start-up as the CLI.
 */
import * as fs from 'node:fs';
import { parseRuby } from '../../server/src/ruby/prism';

const list = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
let nodes = 0;
for (const file of list) nodes += parseRuby(fs.readFileSync(file, 'utf8'), file).tree.statements.body.length;
process.stdout.write(`${list.length} files, ${nodes} top-level statements\n`);
