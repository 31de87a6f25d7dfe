/**
 * The object a definition call's block runs in (Chef's ResourceDefinition): `params`, `name` and
 * `node` are its own; any other bare call sets a param.
 */
import { type Value, type RubyObject, arr, toS, hashOf } from '../ruby/values';

export class DefinitionParams implements RubyObject {
  readonly className = 'DefinitionParams';
  readonly values: Map<string, Value>;
  constructor(defaults: Value, name: Value, private readonly node?: RubyObject) {
    this.values = new Map();
    if (defaults.k === 'hash') for (const e of defaults.map.values()) this.values.set(toS(e.key), e.value);
    this.values.set('name', name);
  }
  describe(): string { return 'params'; }
  call(method: string, args: Value[]): Value | undefined {
    if (method === 'node' && !args.length && this.node) return { k: 'object', obj: this.node };
    if (method === 'params' && !args.length) return this.toHash();
    if (args.length === 0) return this.values.get(method);
    this.values.set(method, args.length === 1 ? args[0] : arr(args));
    return args[0];
  }
  toHash(): Value {
    return hashOf([...this.values].map(([k, v]) => [{ k: 'sym', v: k }, v]));
  }
}
