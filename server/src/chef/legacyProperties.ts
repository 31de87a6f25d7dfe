/**
 * Properties a resource class has beyond `property`: Chef 11's accessors
 * (`def port(arg = nil) set_or_return(:port, arg, kind_of: Integer) end`) and the other public methods
 * of the class, which a resource block may call (`logical_volume 'x' do … end` inside a volume group).
 */
import { type Value, toJson, toS, truthy, hashGetName, NIL } from '../ruby/values';
import { RModule } from '../ruby/objects';
import { Env, type Interpreter, type MethodDef } from '../ruby/interpreter';
import type { PropertySchema } from './catalog/schema';

/* eslint-disable @typescript-eslint/no-explicit-any */
type N = any;

const NOT_PROPERTIES = new Set(['initialize', 'after_created', 'to_s', 'inspect', 'load_current_value!', 'method_missing', 'respond_to_missing?', 'to_text', 'to_json', 'to_h']);

/** The class's (and its ancestors' up to Chef's own classes) public methods, as property schemas. */
export function legacyProperties(cls: RModule, interp: Interpreter): Map<string, PropertySchema> {
  const out = new Map<string, PropertySchema>();
  const chain: RModule[] = [];
  for (let c: RModule | undefined = cls; c && !c.name.startsWith('Chef::Resource') && chain.length < 32; c = c.superclass) chain.unshift(c);
  for (const c of chain) {
    for (const m of [c, ...c.includes]) {
      for (const [name, entry] of m.methods) {
        if (!entry.def || entry.visibility !== 'public' || NOT_PROPERTIES.has(name) || name.startsWith('action_') || name.endsWith('=') || name.endsWith('?')) continue;
        out.set(name, fromSetOrReturn(entry.def, interp) ?? methodSchema(name, entry.def));
      }
    }
  }
  return out;
}

function methodSchema(name: string, def: MethodDef): PropertySchema {
  return {
    name, types: [], defaultKind: 'none', nameProperty: false, required: false, deprecated: false, sensitive: false, desiredState: true, kind: 'method',
    location: { file: def.unit.file, line: def.unit.parsed.lines.position(def.node.location.startOffset).line + 1, column: 1 },
  };
}

/** `set_or_return(:x, arg, kind_of: …, default: …, name_attribute: true, equal_to: […])` in the method's body. */
function fromSetOrReturn(def: MethodDef, interp: Interpreter): PropertySchema | undefined {
  const call = setOrReturnIn(def.node);
  const args = call?.arguments_?.arguments_;
  if (!args || args[0]?.constructor.name !== 'SymbolNode') return undefined;
  const env = new Env(undefined, interp.world.main, def.unit, { nesting: def.nesting });
  const opts: Value = args[2] ? interp.evalNode(args[2], env) : NIL;
  const opt = (k: string) => (opts.k === 'hash' ? hashGetName(opts, k) : undefined);
  const kindOf = opt('kind_of');
  const types = !kindOf ? [] : (kindOf.k === 'array' ? kindOf.items : [kindOf]).map((t) => (t.k === 'object' ? t.obj.describe() : t.k === 'bool' ? String(t.v) : 'unknown'));
  const dflt = opt('default');
  const nameProp = truthy(opt('name_attribute') ?? opt('name_property') ?? NIL) === true;
  const equalTo = opt('equal_to');
  return {
    name: def.name,
    types: types.includes('unknown') ? [] : types,
    defaultKind: nameProp ? 'name' : dflt ? 'literal' : 'none',
    default: dflt ? toJson(dflt) : undefined,
    nameProperty: nameProp,
    required: truthy(opt('required') ?? NIL) === true,
    equalTo: equalTo?.k === 'array' ? equalTo.items.map((i) => toJson(i)) : undefined,
    deprecated: false, sensitive: false, desiredState: true,
    location: { file: def.unit.file, line: def.unit.parsed.lines.position(def.node.location.startOffset).line + 1, column: 1 },
    // set_or_return validates, but callbacks and coercions may still turn a value into an allowed one.
    ...(opt('callbacks') ? { coerce: true } : {}),
  } as PropertySchema;
}

/** The `set_or_return` call of a method's body, per method node (every world that loads the class asks again). */
const setOrReturnCalls = new WeakMap<object, N | null>();

function setOrReturnIn(defNode: N): N | undefined {
  let call = setOrReturnCalls.get(defNode);
  if (call === undefined) setOrReturnCalls.set(defNode, call = findCall(defNode.body, 'set_or_return', 0) ?? null);
  return call ?? undefined;
}

function findCall(node: N, name: string, depth: number): N | undefined {
  if (!node || depth > 20) return undefined;
  if (node.constructor.name === 'CallNode' && node.name === name && !node.receiver) return node;
  for (const child of node.childNodes?.() ?? []) {
    const found = findCall(child, name, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export { toS };
