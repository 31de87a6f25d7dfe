/**
 * The JSON contracts shared by the core, the CLI, the language server and the client.
 * Declared once here; every front end imports these types (design.md, "Data contracts").
 */

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A position in a file: 1-based line, 1-based column counted in UTF-16 code units. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** One finding of a validation rule (CLI `--format json`: `{ diagnostics: Diagnostic[] }`). */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  /** A stable rule code, e.g. `unknown-property`. */
  code: string;
  message: string;
  tags?: ('deprecated' | 'unnecessary')[];
  related?: { location: SourceLocation; message: string }[];
}

export type Timing = 'before' | 'immediately' | 'delayed';

export interface GraphNotification {
  /** `notifies` (this resource notifies the target) or `subscribes` (this resource listens to the target). */
  kind: 'notifies' | 'subscribes';
  action: string;
  /** The target as written, e.g. `service[nginx]`. */
  target: string;
  /** The id of the resource it resolves to, when it does. */
  resolved?: string;
  timing: Timing;
  location: SourceLocation;
}

export interface GraphGuard {
  kind: 'not_if' | 'only_if';
  /** `string` guards run a command; `block` guards are Ruby; `unknown` when neither is known statically. */
  form: 'string' | 'block' | 'array';
  command?: string;
  /** For block guards: the statically known result, when the evaluator could decide it. */
  value?: boolean;
  /** Why a block guard's value is not known. */
  unknownReason?: string;
  /** Source text of the guard. */
  source: string;
  location: SourceLocation;
}

/** A property value in the JSON graph: plain JSON, or `{ $unknown: reason }` / `{ $lazy: source }`. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface GraphResource {
  /** Chef's `type[name]` (with the type as written in the recipe). */
  id: string;
  /** The DSL name as written (e.g. `package`). */
  type: string;
  /** The resource class it resolves to for the platform (e.g. `apt_package`). */
  resolvedType: string;
  name: string;
  actions: string[];
  properties: Record<string, JsonValue>;
  location: SourceLocation;
  notifies: GraphNotification[];
  guards: GraphGuard[];
  /** `cookbook::recipe` that declared it (or `cookbook::resource` for children of custom resources). */
  origin: string;
  /** Set when the resource is declared under a branch the evaluator could not decide. */
  conditional?: string;
  /** Set when the resource is declared in a loop over a collection the evaluator could not know. */
  repeated?: string;
  /** Id of the custom resource / definition instance this resource was expanded from. */
  parent?: string;
  /** True when the type is a custom resource or definition of the workspace. */
  custom?: boolean;
  /** `compile_time true` or `.run_action` at compile time. */
  compileTime?: boolean;
  sensitive?: boolean;
}

export type EdgeKind = 'notifies' | 'subscribes' | 'include' | 'contains';

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  timing?: Timing;
  action?: string;
}

export interface GraphRecipe {
  /** `cookbook::recipe` */
  id: string;
  file: string;
  /** Recipes it includes, in order. */
  includes: string[];
}

export interface Graph {
  platform: string;
  runList: string[];
  recipes: GraphRecipe[];
  resources: GraphResource[];
  edges: GraphEdge[];
  diagnostics: Diagnostic[];
}
