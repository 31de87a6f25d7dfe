/**
 * Attribute files evaluated once per change, not once per compilation. Chef loads the attribute
 * files of every cookbook of a run, dependencies first, before any recipe; a file may read what
 * earlier files set. So what one cookbook's files leave in the node is a function of what was there
 * before them (the platform's automatic attributes, the run's inputs, the cookbooks loaded earlier, in
 * order) and of their own texts. A layer is that result, frozen (`AttributeStore.snapshot`), found
 * under the layer before it by the cookbook's folder: compilations whose loading orders
 * start the same share those layers (every cookbook of a dependency chain reuses the chain below it).
 * A layer is used only while what it read is unchanged: the same parses of the same files, the same
 * cookbooks behind its `include_attribute`s, the same list of attribute files.
 */
import type { ParsedRuby } from '../ruby/prism';
import type { EvalFinding } from '../ruby/interpreter';
import type { StoreSnapshot } from './attributes';
import type { PlatformFacts } from './platforms';
import type { RunInputs } from './inputs/runInputs';
import type { Cookbook, Workspace } from './workspace';

/** What loading one cookbook's attribute files read. */
export interface LayerInputs {
  /** Files evaluated, with the parse each was evaluated from (undefined: it could not be read). */
  files: { file: string; parsed: ParsedRuby | undefined }[];
  /** `include_attribute 'name::…'` lookups and the folder each found (undefined: none). */
  lookups: { name: string; dir: string | undefined }[];
}

export interface AttributeLayer extends LayerInputs {
  /** The layer this one was loaded on (undefined: the run's initial state). */
  parent?: AttributeLayer;
  /** The layers loaded on this one, by their cookbook's folder. */
  children: Map<string, AttributeLayer>;
  /** The cookbook's attribute files when it was loaded (a file added or removed changes the layer), and the list it was read from. */
  fileList: string;
  fileListOf: string[];
  snapshot: StoreSnapshot;
  /** Every attribute file loaded up to and including this layer. */
  loadedFiles: ReadonlySet<string>;
  /** Findings the evaluation of this layer's files made (reported again by each compilation using it). */
  findings: EvalFinding[];
  /** When its files were last found unchanged (stable disks only). */
  checkedAt?: { ws: Workspace; version: number };
}

/** Beyond this many layers the cache starts over (a long-lived server editing attribute files). */
const MAX_LAYERS = 20_000;

export class AttributeLayerCache {
  /** The first layers of each initial state, by their cookbook's folder. */
  private readonly roots = new Map<string, Map<string, AttributeLayer>>();
  private readonly initials = new Map<string, StoreSnapshot>();
  private readonly factsKeys = new WeakMap<PlatformFacts, string>();
  private readonly inputsKeys = new WeakMap<RunInputs, string>();
  private readonly ids = new Map<string, number>();
  private unique = 0;
  private count = 0;

  /** The key of a run's state before any attribute file: its platform facts and inputs, by content. */
  initialKey(facts: PlatformFacts, inputs: RunInputs): string {
    let f = this.factsKeys.get(facts);
    if (f === undefined) this.factsKeys.set(facts, f = this.idOf(JSON.stringify(facts)));
    let i = this.inputsKeys.get(inputs);
    // Inputs that know their source lines (a node JSON, a role file) are told apart by identity: the
    // lines are in functions, not in the text; the others by content.
    if (i === undefined) this.inputsKeys.set(inputs, i = inputs.layers.some((l) => l.lineOf) ? `#${this.unique++}` : this.idOf(inputsText(inputs)));
    return `${f}/${i}`;
  }

  /** The state before any attribute file (automatic attributes and the run's inputs), per initial key. */
  initial(key: string): StoreSnapshot | undefined {
    return this.initials.get(key);
  }

  setInitial(key: string, snapshot: StoreSnapshot): void {
    this.initials.set(key, snapshot);
  }

  /**
   * The layer loaded on `parent` (undefined: on the initial state `initialKey`) for the cookbook, if
   * it is still what loading it would give. Every compilation of a long chain asks this of each layer
   * below it, so each answer costs a lookup and a few comparisons.
   */
  get(parent: AttributeLayer | undefined, initialKey: string, cb: Cookbook, ws: Workspace, lookup: (name: string) => Cookbook | undefined): AttributeLayer | undefined {
    const layer = (parent ? parent.children : this.roots.get(initialKey))?.get(cb.dir);
    if (!layer) return undefined;
    if (layer.fileListOf !== cb.files.attributes) {
      if (layer.fileList !== cb.files.attributes.join('\n')) return undefined;
      layer.fileListOf = cb.files.attributes;
    }
    // On a stable disk the files read as they did when the layer was last checked, unless an open
    // document changed since.
    const checked = ws.stableDisk && layer.checkedAt?.ws === ws && layer.checkedAt.version === ws.overlayVersion;
    if (!checked) {
      for (const f of layer.files) if (ws.parse(f.file) !== f.parsed) return undefined;
      layer.checkedAt = { ws, version: ws.overlayVersion };
    }
    for (const l of layer.lookups) if (lookup(l.name)?.dir !== l.dir) return undefined;
    return layer;
  }

  add(parent: AttributeLayer | undefined, initialKey: string, cb: Cookbook, inputs: LayerInputs, snapshot: StoreSnapshot, loadedFiles: ReadonlySet<string>, findings: EvalFinding[]): AttributeLayer {
    const layer: AttributeLayer = {
      parent, children: new Map(), fileList: cb.files.attributes.join('\n'), fileListOf: cb.files.attributes, snapshot, loadedFiles, findings, ...inputs,
    };
    if (this.count >= MAX_LAYERS) {
      // Starting over: the layers below this one are forgotten, so it is this compilation's alone.
      this.roots.clear(); this.initials.clear(); this.count = 0;
      if (parent) return layer;
    }
    let siblings = parent?.children ?? this.roots.get(initialKey);
    if (!siblings) this.roots.set(initialKey, siblings = new Map());
    siblings.set(cb.dir, layer);
    this.count++;
    return layer;
  }

  private idOf(text: string): string {
    let id = this.ids.get(text);
    if (id === undefined) this.ids.set(text, id = this.ids.size);
    return String(id);
  }
}

/** The run's inputs as text (hashes are Maps: written as their entries). */
function inputsText(inputs: RunInputs): string {
  return JSON.stringify(inputs, (_k, v) => (v instanceof Map ? [...v.entries()] : v instanceof Set ? [...v] : v));
}
