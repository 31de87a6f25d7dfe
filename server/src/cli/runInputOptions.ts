/**
 * The run-input flags every command that compiles takes: `--attributes FILE` (chef-client -j JSON),
 * `--attribute PATH=VALUE` (repeatable), `--environment E`, `--policyfile FILE` with
 * `--named-run-list N`, `--roles-path DIR`, `--environments-path DIR`, `--node-name NAME`; and `--run-list`, which may
 * name roles. Input errors are printed as `file:line: message`; the command still reports what it
 * could analyse, and exits 2.
 */
import * as path from 'node:path';
import type { ParsedArgs } from './args';
import { type CliIO, UsageError } from './io';
import { setUpRun, type RunRequest, type RunSetup } from '../chef/inputs/runSetup';
import type { KitchenChoice } from '../engine/kitchen';
import { PLACEHOLDER_NODE_NAME, validNodeName } from '../chef/nodeName';

export const RUN_INPUT_VALUES = ['attributes', 'environment', 'policyfile', 'named-run-list', 'roles-path', 'environments-path', 'node-name'];
export const RUN_INPUT_LISTS = ['attribute'];

export const RUN_INPUT_HELP = [
  "  --run-list L             'recipe[a::b],role[web],c' instead of PATH's recipe (roles expand from the chef-repo's roles/)",
  '  --attributes FILE        node attributes: chef-client -j JSON (normal attributes, optional run_list and chef_environment),',
  '                           or by level: { "default": {…}, "override": {…} } (default/override land where a role\'s would)',
  '  --attribute PATH=VALUE   one attribute (repeatable): nginx.port=8080, override:app.mode="blue"; VALUE is JSON or a string',
  '  --environment E          the Chef environment (environments/E.json or .rb): its attributes and role run lists',
  '  --policyfile FILE        a Policyfile.rb: its run list and attributes; --named-run-list N picks one of its named run lists',
  '  --roles-path DIR, --environments-path DIR   where roles and environments are (default: roles/ and environments/ upwards from PATH)',
  `  --node-name NAME         the node the run is for: node.name, and node['hostname']/['fqdn'] (the throwaway container's hostname);`,
  `                           default ${PLACEHOLDER_NODE_NAME}`,
];

/** The run-input part of a command's flags, with a kitchen choice's when a suite was picked. */
export function runRequestFrom(args: ParsedArgs, searchFrom: string, kitchen?: KitchenChoice, kitchenFile?: string): RunRequest {
  if (args.values.has('named-run-list') && !args.values.has('policyfile') && !kitchen?.provisioner?.policyfile) throw new UsageError('--named-run-list needs --policyfile (or a suite whose kitchen file names a Policyfile)');
  const req: RunRequest = { searchFrom, ...(kitchen?.suite?.ignored ? { notes: kitchen.suite.ignored } : {}) };
  const rl = args.values.get('run-list');
  if (rl !== undefined) {
    const items = rl.split(',').map((s) => s.trim()).filter(Boolean);
    if (!items.length) throw new UsageError('--run-list is empty');
    req.runList = { items, origin: { label: '--run-list' } };
  } else if (kitchen?.suite && kitchen.runList?.length) {
    req.runList = { items: kitchen.runList, origin: { label: `suite ${kitchen.suite.name}`, ...(kitchenFile ? { file: kitchenFile } : {}) } };
  }
  const p = kitchen?.provisioner;
  const pick = (flag: string, fromKitchen: string | undefined) => (args.values.has(flag) ? path.resolve(args.values.get(flag)!) : fromKitchen);
  const attributesFile = args.values.get('attributes');
  if (attributesFile !== undefined) req.attributesFile = path.resolve(attributesFile);
  const flags = args.lists.get('attribute');
  if (flags?.length) req.attributeFlags = flags;
  if (kitchen?.attributes) req.kitchenAttributes = { values: kitchen.attributes, label: `suite ${kitchen.suite?.name ?? ''} attributes`.replace('  ', ' '), ...(kitchenFile ? { file: kitchenFile } : {}) };
  const environment = args.values.get('environment') ?? p?.environment;
  if (environment !== undefined) req.environment = environment;
  const policyfile = pick('policyfile', p?.policyfile);
  if (policyfile !== undefined) req.policyfile = policyfile;
  const named = args.values.get('named-run-list') ?? p?.namedRunList;
  if (named !== undefined) req.namedRunList = named;
  const roles = pick('roles-path', p?.rolesPath);
  if (roles !== undefined) req.rolesPath = roles;
  const envs = pick('environments-path', p?.environmentsPath);
  if (envs !== undefined) req.environmentsPath = envs;
  const nodeName = args.values.get('node-name');
  if (nodeName !== undefined) {
    if (!validNodeName(nodeName)) throw new UsageError(`--node-name must be a host name (letters, digits, '-' and '.'): got '${nodeName}'`);
    req.nodeName = nodeName;
  }
  return req;
}

/** Sets the run up; input errors go to stderr as `file:line: message`. Returns the setup and whether it had errors. */
export function setUpRunReporting(req: RunRequest, io: CliIO, command: string): RunSetup {
  const setup = setUpRun(req);
  const rel = (f: string) => path.relative(process.cwd(), f) || f;
  for (const e of setup.errors) io.stderr(`cloche ${command}: ${e.where(rel)}\n`);
  for (const n of setup.notes) io.stderr(`cloche ${command}: note: ${n}\n`);
  return setup;
}
