/**
 * Evaluates `attributes/*.rb` into the attribute store: `default['a']['b'] = v` writes the default
 * level, `override[...]` the override level, and so on; `include_attribute` loads another file first.
 * Chef loads default.rb first, then the others in name order, dependencies before dependents.
 */
import * as path from 'node:path';
import { type Value, type RubyObject, NIL, str } from '../ruby/values';
import { Interpreter, Env, type EvalCallContext } from '../ruby/interpreter';
import { AttributeWriter, LEVELS, type Level, type NodeObject } from './attributes';
import { platformHelper } from './platformDsl';
import type { PlatformFacts } from './platforms';
import type { Workspace, Cookbook } from './workspace';
import type { LayerInputs } from './attributeLayers';

const NONE: ReadonlySet<string> = new Set();

export class AttributeLoader {
  /** Files loaded: those of a restored layer, then those loaded here since. */
  private restored: ReadonlySet<string> = NONE;
  private readonly loaded = new Set<string>();
  /** While a layer is being made: what its loading reads. */
  private recording?: LayerInputs;

  constructor(
    private readonly ws: Workspace,
    private readonly interp: Interpreter,
    private readonly node: NodeObject,
    private readonly facts: PlatformFacts,
    private readonly cookbookByName: (name: string) => Cookbook | undefined,
  ) {}

  /** Loads a cookbook's attribute files in Chef's order. */
  loadCookbook(cb: Cookbook): void {
    const files = [...cb.files.attributes].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
    for (const f of files) this.loadFile(cb, f);
  }

  /** Loads a cookbook's attribute files and says what that read (for an attribute layer). */
  recordCookbook(cb: Cookbook): LayerInputs {
    const inputs: LayerInputs = { files: [], lookups: [] };
    this.recording = inputs;
    try { this.loadCookbook(cb); } finally { this.recording = undefined; }
    return inputs;
  }

  /** Every file loaded so far. */
  loadedFiles(): ReadonlySet<string> {
    return new Set([...this.restored, ...this.loaded]);
  }

  /** Takes the loaded files of a restored layer as loaded. */
  restoreLoaded(files: ReadonlySet<string>): void {
    this.restored = files;
    this.loaded.clear();
  }

  loadFile(cb: Cookbook, file: string): void {
    if (this.loaded.has(file) || this.restored.has(file)) return;
    this.loaded.add(file);
    const parsed = this.ws.parse(file);
    this.recording?.files.push({ file, parsed });
    if (!parsed) return;
    const scope = new AttributeFileScope(this, cb, this.node, this.facts);
    const env = new Env(undefined, scope, { file, parsed }, { nesting: [] });
    this.interp.evalProgram(env);
  }

  /** `include_attribute 'cookbook::file'` (or `'cookbook'` for default.rb). */
  include(spec: string, from: Cookbook): void {
    const [cbName, fileName = 'default'] = spec.includes('::') ? spec.split('::') : [spec];
    const cb = cbName === '' ? from : this.cookbookByName(cbName);
    if (cbName !== '') this.recording?.lookups.push({ name: cbName, dir: cb?.dir });
    if (!cb) return;
    const file = cb.files.attributes.find((f) => path.basename(f, '.rb') === fileName);
    if (file) this.loadFile(cb, file);
  }
}

function rank(file: string): number {
  return path.basename(file) === 'default.rb' ? 0 : 1;
}

class AttributeFileScope implements RubyObject {
  readonly className = 'Chef::Node (attributes file)';
  constructor(private readonly loader: AttributeLoader, private readonly cb: Cookbook, private readonly node: NodeObject, private readonly facts: PlatformFacts) {}

  describe(): string { return `attributes of ${this.cb.name}`; }

  owns(name: string): boolean {
    return (LEVELS as readonly string[]).includes(name) || name === 'node';
  }

  call(method: string, args: Value[], ctx: EvalCallContext): Value | undefined {
    if ((LEVELS as readonly string[]).includes(method) && args.length === 0) return { k: 'object', obj: new AttributeWriter(this.node.store, method as Level, []) };
    const platform = platformHelper(method, args, this.facts);
    if (platform !== undefined) return platform;
    switch (method) {
      case 'node': return { k: 'object', obj: this.node };
      case 'include_attribute':
        for (const a of args) if (a.k === 'str' || a.k === 'sym') this.loader.include(a.v, this.cb);
        return NIL;
      case 'cookbook_name': return str(this.cb.name);
      case 'default_unless': case 'override_unless': case 'normal_unless': case 'set_unless': case 'set':
        return this.node.call(method, args, ctx);
      case '[]': return this.node.call('[]', args, ctx);
      default: return undefined;
    }
  }
}
