/**
 * Environments of a chef-repo (`environments/NAME.json` or `.rb`): default/override attributes (at
 * env_default and env_override) and the cookbook version constraints of the environment.
 */
import * as path from 'node:path';
import { hashOf } from '../../ruby/values';
import { InputError, readJsonDocument, readInputText } from './inputFile';
import { evalInputRuby, stringArgs, hashArg } from './rubyInputFile';
import { type HashValue, hashFromJson, isObject } from './runInputs';

export interface Environment {
  name: string;
  file: string;
  defaults: HashValue;
  overrides: HashValue;
  /** `cookbook_versions`: cookbook → constraint (`'= 1.2.3'`, `'~> 2.0'`). */
  cookbookVersions: Map<string, string>;
  lineOf(kind: 'default' | 'override', path: string[]): number | undefined;
}

export function readEnvironment(file: string): Environment {
  const name = path.basename(file).replace(/\.(json|rb)$/, '');
  return file.endsWith('.rb') ? environmentFromRuby(name, file) : environmentFromJson(name, file);
}

function environmentFromJson(name: string, file: string): Environment {
  const doc = readJsonDocument(file);
  const v = doc.value;
  if (!isObject(v)) throw new InputError('an environment file must hold a JSON object', file, 1);
  const hash = (key: string): HashValue => {
    const h = v[key];
    if (h === undefined) return hashOf([]) as HashValue;
    if (!isObject(h)) throw new InputError(`${key} must be an object`, file, doc.lineOf([key]));
    return hashFromJson(h);
  };
  const cookbookVersions = new Map<string, string>();
  if (v.cookbook_versions !== undefined) {
    if (!isObject(v.cookbook_versions)) throw new InputError('cookbook_versions must be an object of cookbook → constraint', file, doc.lineOf(['cookbook_versions']));
    for (const [cb, c] of Object.entries(v.cookbook_versions)) cookbookVersions.set(cb, String(c));
  }
  return {
    name, file, defaults: hash('default_attributes'), overrides: hash('override_attributes'), cookbookVersions,
    lineOf: (kind, p) => doc.lineOf([`${kind}_attributes`, ...p]) ?? doc.lineOf([`${kind}_attributes`]),
  };
}

function environmentFromRuby(name: string, file: string): Environment {
  const env: Environment = { name, file, defaults: hashOf([]) as HashValue, overrides: hashOf([]) as HashValue, cookbookVersions: new Map(), lineOf: () => undefined };
  const lines: Partial<Record<'default' | 'override', number>> = {};
  const what = `environment ${name}`;
  evalInputRuby(file, readInputText(file), what, (call) => {
    switch (call.name) {
      case 'name': case 'description': return { k: 'nil' };
      case 'cookbook': {
        const [cb, constraint = '>= 0.0.0'] = stringArgs(call, file, what);
        if (cb) env.cookbookVersions.set(cb, constraint);
        return { k: 'nil' };
      }
      case 'cookbook_versions': {
        for (const e of hashArg(call, file, what).map.values()) {
          if ((e.key.k === 'str' || e.key.k === 'sym') && e.value.k === 'str') env.cookbookVersions.set(e.key.v, e.value.v);
        }
        return { k: 'nil' };
      }
      case 'default_attributes': case 'override_attributes': {
        const kind = call.name === 'default_attributes' ? 'default' : 'override';
        const h = hashArg(call, file, what);
        env[kind === 'default' ? 'defaults' : 'overrides'] = h;
        lines[kind] = call.loc?.line;
        return h;
      }
      default: return undefined;
    }
  });
  env.lineOf = (kind) => lines[kind];
  return env;
}
