/**
 * Roles of a chef-repo (`roles/NAME.json` or `roles/NAME.rb`): a run list (per environment too) and
 * default/override attributes. Chef finds a role by its file name, as chef-zero and knife do.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Value, hashOf } from '../../ruby/values';
import { InputError, readJsonDocument, readInputText } from './inputFile';
import { evalInputRuby, stringArgs, hashArg } from './rubyInputFile';
import { type HashValue, hashFromJson, isObject } from './runInputs';

export interface Role {
  name: string;
  file: string;
  runList: string[];
  /** `env_run_lists`: the run list for an environment, replacing `runList` there. */
  envRunLists: Map<string, string[]>;
  defaults: HashValue;
  overrides: HashValue;
  /** The line that sets a path of the default or override attributes (or the call that sets them). */
  lineOf(kind: 'default' | 'override', path: string[]): number | undefined;
}

/** The role files of a folder, by role name (a `.json` wins over a `.rb` of the same name). */
export function listNamedFiles(dir: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!dir) return out;
  const visit = (d: string, depth: number): void => {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && depth < 4) visit(p, depth + 1);
      const m = /^(.+)\.(json|rb)$/.exec(e.name);
      if (m && e.isFile() && (!out.has(m[1]) || m[2] === 'json')) out.set(m[1], p);
    }
  };
  visit(dir, 0);
  return out;
}

export function readRole(file: string): Role {
  const name = path.basename(file).replace(/\.(json|rb)$/, '');
  return file.endsWith('.rb') ? roleFromRuby(name, file) : roleFromJson(name, file);
}

function roleFromJson(name: string, file: string): Role {
  const doc = readJsonDocument(file);
  const v = doc.value;
  if (!isObject(v)) throw new InputError('a role file must hold a JSON object', file, 1);
  const list = (key: string, val: unknown): string[] => {
    if (val === undefined) return [];
    if (!Array.isArray(val) || !val.every((x) => typeof x === 'string')) throw new InputError(`${key} must be a list of strings`, file, doc.lineOf([key]));
    return val as string[];
  };
  const hash = (key: string): HashValue => {
    const h = v[key];
    if (h === undefined) return hashOf([]) as HashValue;
    if (!isObject(h)) throw new InputError(`${key} must be an object`, file, doc.lineOf([key]));
    return hashFromJson(h);
  };
  const envRunLists = new Map<string, string[]>();
  if (isObject(v.env_run_lists)) for (const [env, rl] of Object.entries(v.env_run_lists)) envRunLists.set(env, list(`env_run_lists.${env}`, rl));
  return {
    name, file, runList: list('run_list', v.run_list), envRunLists, defaults: hash('default_attributes'), overrides: hash('override_attributes'),
    lineOf: (kind, p) => doc.lineOf([`${kind}_attributes`, ...p]) ?? doc.lineOf([`${kind}_attributes`]),
  };
}

function roleFromRuby(name: string, file: string): Role {
  const role: Role = { name, file, runList: [], envRunLists: new Map(), defaults: hashOf([]) as HashValue, overrides: hashOf([]) as HashValue, lineOf: () => undefined };
  const lines: Partial<Record<'default' | 'override', number>> = {};
  const what = `role ${name}`;
  evalInputRuby(file, readInputText(file), what, (call) => {
    switch (call.name) {
      case 'name': case 'description': return { k: 'nil' };
      case 'run_list': role.runList = stringArgs(call, file, what); return { k: 'nil' };
      case 'env_run_lists': {
        for (const e of hashArg(call, file, what).map.values()) {
          const items = e.value.k === 'array' ? e.value.items : [e.value];
          role.envRunLists.set(String((e.key as { v?: unknown }).v ?? ''), items.filter((i): i is Extract<Value, { k: 'str' }> => i.k === 'str').map((i) => i.v));
        }
        return { k: 'nil' };
      }
      case 'default_attributes': case 'override_attributes': {
        const kind = call.name === 'default_attributes' ? 'default' : 'override';
        const h = hashArg(call, file, what);
        role[kind === 'default' ? 'defaults' : 'overrides'] = h;
        lines[kind] = call.loc?.line;
        return h;
      }
      default: return undefined;
    }
  });
  role.lineOf = (kind) => lines[kind];
  return role;
}
