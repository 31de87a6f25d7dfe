/**
 * A Policyfile (`Policyfile.rb`): the policy's name, run list, named run lists, default/override
 * attributes (Chef applies them at role_default and role_override) and its cookbook sources
 * (`cookbook 'x', path: '…'`). Evaluated as Ruby on the workstation: `Dir.children` of the
 * repository works, as the policies of community cookbooks use it to list their test recipes.
 */
import * as path from 'node:path';
import type { SourceLocation } from '../../protocol';
import { type Value, type RubyObject, hashOf, NIL } from '../../ruby/values';
import { AttributeStore, AttributeWriter } from '../attributes';
import { InputError, readInputText } from './inputFile';
import { evalInputRuby, stringArgs } from './rubyInputFile';
import type { HashValue } from './runInputs';

export interface PolicyCookbook {
  name: string;
  /** A version constraint (`'~> 2.0'`), when given. */
  constraint?: string;
  /** `path:` (absolute), when the cookbook comes from a folder. */
  path?: string;
  /** Where it comes from otherwise (`git`, `github`, `supermarket`, `chef_server`, `artifactory`). */
  source?: string;
  loc?: SourceLocation;
}

export interface Policy {
  name: string;
  file: string;
  runList: string[];
  namedRunLists: Map<string, string[]>;
  defaults: HashValue;
  overrides: HashValue;
  cookbooks: PolicyCookbook[];
  /** What the policy does that Cloche does not follow (`include_policy`), said once each. */
  notes: string[];
  /** The line of the assignment that set an attribute path, when known. */
  lineOf(kind: 'default' | 'override', path: string[]): number | undefined;
}

export function readPolicyfile(file: string): Policy {
  const policy: Policy = {
    name: path.basename(path.dirname(file)), file, runList: [], namedRunLists: new Map(), defaults: hashOf([]) as HashValue, overrides: hashOf([]) as HashValue,
    cookbooks: [], notes: [], lineOf: () => undefined,
  };
  const store = new AttributeStore();
  const writer = (level: 'role_default' | 'role_override'): RubyObject & object => new AttributeWriter(store, level, []);
  const what = `the Policyfile ${path.basename(file)}`;
  evalInputRuby(file, readInputText(file), what, (call) => {
    switch (call.name) {
      case 'name': { const [n] = stringArgs(call, file, what); if (n) policy.name = n; return NIL; }
      case 'run_list': policy.runList = stringArgs(call, file, what); return NIL;
      case 'named_run_list': {
        const [n, ...items] = stringArgs(call, file, what);
        if (n === undefined) throw new InputError(`${what}: named_run_list needs a name`, file, call.loc?.line);
        policy.namedRunLists.set(n, items);
        return NIL;
      }
      case 'cookbook': {
        const opts = call.args.find((a) => a.k === 'hash') as Extract<Value, { k: 'hash' }> | undefined;
        const strings = call.args.filter((a) => a.k === 'str' || a.k === 'sym').map((a) => (a as { v: string }).v);
        const [name, constraint] = strings;
        if (!name) throw new InputError(`${what}: cookbook needs a name`, file, call.loc?.line);
        const cb: PolicyCookbook = { name, ...(constraint ? { constraint } : {}), ...(call.loc ? { loc: call.loc } : {}) };
        for (const e of opts?.map.values() ?? []) {
          const key = e.key.k === 'sym' || e.key.k === 'str' ? e.key.v : '';
          if (key === 'path' && e.value.k === 'str') cb.path = path.resolve(path.dirname(file), e.value.v);
          else if (['git', 'github', 'supermarket', 'chef_server', 'artifactory'].includes(key)) cb.source = key;
        }
        policy.cookbooks.push(cb);
        return NIL;
      }
      case 'default': return { k: 'object', obj: writer('role_default') };
      case 'override': return { k: 'object', obj: writer('role_override') };
      case 'default_source': case 'description': case 'version': return NIL;
      case 'include_policy': {
        const note = 'include_policy is not followed: the included policy\'s run list and attributes are not part of this run';
        if (!policy.notes.includes(note)) policy.notes.push(note);
        return NIL;
      }
      default: return undefined;
    }
  });
  policy.defaults = (store.atLevel('role_default', []) ?? hashOf([])) as HashValue;
  policy.overrides = (store.atLevel('role_override', []) ?? hashOf([])) as HashValue;
  policy.lineOf = (kind, p) => {
    for (let i = p.length; i >= 1; i--) {
      const o = store.originsAt(p.slice(0, i))?.find((x) => x.level === (kind === 'default' ? 'role_default' : 'role_override'));
      if (o?.loc) return o.loc.line;
    }
    return undefined;
  };
  return policy;
}

/** The run list a policy runs: a named run list, or its main one. */
export function policyRunList(policy: Policy, named?: string): string[] {
  if (named === undefined) return policy.runList;
  const rl = policy.namedRunLists.get(named);
  if (!rl) throw new InputError(`the policy '${policy.name}' has no named run list '${named}' (it has: ${[...policy.namedRunLists.keys()].join(', ') || 'none'})`, policy.file);
  return rl;
}
