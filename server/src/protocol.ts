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
  /** Machine-readable help for fixing it (optional; front ends that do not use it ignore it). */
  data?: DiagnosticData;
  /** The tool that found it when not Cloche (`cloche check --lint`): then `code` is the cop's name. */
  source?: 'cookstyle' | 'rubocop';
}

/**
 * What a fix needs, so that no front end parses message text. Every field is optional; rules set
 * the ones that apply (the language server passes the object through as the LSP diagnostic's `data`
 * and its code actions read it back):
 * - did-you-mean (`unknown-resource`, `unknown-property`, `unknown-action`, `dangling-notification`,
 *   `unknown-rule-code`, a cookbook name in `dependency-not-in-workspace`, a recipe name in
 *   `missing-recipe`), a deprecated property's successor (`deprecated-property`): `suggestions` and `replace`;
 * - missing source (`missing-template`, `missing-cookbook-file`): `create`, and for a template the
 *   resource's `templateVariables`;
 * - a missing recipe (`missing-recipe`): `create` (recipes/NAME.rb), and the closest recipe names as
 *   `suggestions` with the range of the name written (`replace`);
 * - a cookbook the run uses that metadata.rb does not declare (`dependency-not-in-workspace`): `addDepends`;
 * - the same resource declared twice (`duplicate-resource`): the `other` declaration.
 */
export interface DiagnosticData {
  /**
   * Replacements for the text at `replace`, best first: resource types, property names, action
   * names (without the `:`), or notification targets as `type[name]` (without quotes).
   */
  suggestions?: string[];
  /**
   * The exact source range a suggestion replaces: the misspelt word (an action symbol's name,
   * without the `:`), or for a notification target the whole string literal, quotes included.
   */
  replace?: SourceLocation;
  /** The file that would satisfy the lookup (absolute path): where a missing template, cookbook_file or recipe would go. */
  create?: string;
  /** The keys of a template resource's `variables` (each becomes `<%= @key %>` in a new template). */
  templateVariables?: string[];
  /** The `depends` line a cookbook's metadata.rb lacks: the cookbook to depend on and the metadata file. */
  addDepends?: { name: string; metadata: string };
  /** Where the other declaration of a duplicate resource is. */
  other?: SourceLocation;
}

export type Timing = 'before' | 'immediately' | 'delayed';

/**
 * A value the evaluator cannot know statically, and why. It appears wherever a value would (a
 * property, an action, a name, rendered content) and is never a value itself: front ends show the
 * reason, the engine refuses to act on it.
 */
export interface UnknownMarker { $unknown: string }

export function isUnknownMarker(v: unknown): v is UnknownMarker {
  return typeof v === 'object' && v !== null && typeof (v as { $unknown?: unknown }).$unknown === 'string';
}

/** A name or action as text for people: the value, or `«unknown: why»`. */
export function markerText(v: string | UnknownMarker): string {
  return typeof v === 'string' ? v : `«unknown: ${v.$unknown}»`;
}

/** An action as people read it: `:start`, or `«unknown action»` (with why in the title of whatever shows it). */
export function actionLabel(a: string | UnknownMarker): string {
  return typeof a === 'string' ? ':' + a : '«unknown action»';
}

export interface GraphNotification {
  /** `notifies` (this resource notifies the target) or `subscribes` (this resource listens to the target). */
  kind: 'notifies' | 'subscribes';
  action: string | UnknownMarker;
  /** The target as written, e.g. `service[nginx]`. */
  target: string | UnknownMarker;
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
  /**
   * For block guards made of file tests (`::File.exist?(p)`, `!`, `&&`, `||`): the POSIX sh
   * condition that answers them on the machine (`test -e '/p'`). The engine probes it like a
   * command guard, so the guard is decided by the container, not assumed.
   */
  test?: string;
  /** Source text of the guard. */
  source: string;
  /** The guard's own options for a command (`not_if 'cmd', cwd: '/x', environment: { … }, timeout: 30`). */
  cwd?: string;
  /** Seconds Chef waits for the command (its default is 600); a guard that times out is false. */
  timeout?: number;
  environment?: Record<string, string>;
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
  /** The name; an UnknownMarker when it is not known statically (the id then says `«unknown»`). */
  name: string | UnknownMarker;
  /** The actions, in order; an UnknownMarker stands for actions that cannot be read statically. */
  actions: (string | UnknownMarker)[];
  /** Property values (`{ "$unknown": why }` for a value not known statically, `{ "$lazy": … }` for one computed at converge time). */
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
  /** The parent's action whose body declared it: Chef converges it during that action only. */
  parentAction?: string;
  /** True when the type is a custom resource or definition of the workspace. */
  custom?: boolean;
  /** `compile_time true` or `.run_action` at compile time. */
  compileTime?: boolean;
  sensitive?: boolean;
  /** `graph --with-content` only: the file a file-like resource would write (template, cookbook_file, file, remote_file). */
  content?: RenderedContent;
}

/**
 * Text of which some parts may not be known statically: the whole text as a string, or an
 * UnknownMarker saying why it is not (the first hole's reason) whose `parts` (when any of the text
 * is known) are the pieces in order: known text as strings, each hole as `{ "$unknown": why }`.
 * E.g. `{ "$unknown": "node['app']['port'] is …", "parts": ["listen ", { "$unknown": "node['app']['port'] is …" }, "\n"] }`.
 * A hole is never filled with a guess; joining only the strings of `parts` is not the file.
 */
export type RenderedText = string | (UnknownMarker & { parts?: (string | UnknownMarker)[] });

/** What a file-like resource would write, as the static evaluator renders it. */
export interface RenderedContent {
  /** The template or cookbook file it comes from (absolute path), when there is one. */
  source?: string;
  text: RenderedText;
}

/** Rendered text for people: holes as `«unknown: why»` (editor previews, `graph --format text`). */
export function renderedTextForPeople(t: RenderedText): string {
  if (typeof t === 'string') return t;
  if (!t.parts) return `«unknown: ${t.$unknown}»`;
  return t.parts.map((p) => (typeof p === 'string' ? p : `«unknown: ${p.$unknown}»`)).join('');
}

/** How well Cloche knows a run (`cloche check --stats`, the editor's status). */
export interface FidelityStats {
  platform: string;
  /** Resources of the run (custom resources' children included). */
  resources: number;
  /** How many have a known type, name, actions, property values, and all four. */
  known: { type: number; name: number; actions: number; properties: number; fully: number };
  /** The most common reasons for what is unknown, most frequent first, with up to three places each. */
  reasons: { reason: string; count: number; examples: SourceLocation[] }[];
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

// ─── Run diff contract (`cloche diff --format json`; chef/runDiff.ts) ─────────────────────────────

/**
 * How one aspect of a resource differs between two runs. `may-change` when the value is not known
 * statically on either side (`{ "$unknown": why }`, a lazy value, an unknown name, action or hole in
 * rendered content): never reported as changed or unchanged. `added`/`removed`: present on one side only.
 */
export type RunDiffStatus = 'changed' | 'may-change' | 'added' | 'removed';

/** One changed aspect of a resource present on both sides. */
export interface RunDiffFieldChange {
  /** `property` (by name), `actions`, `name`, `type` (the resolved resource class), `guard`, `origin`, `conditional`, `repeated`. */
  field: 'property' | 'actions' | 'name' | 'type' | 'guard' | 'origin' | 'conditional' | 'repeated';
  /** The property's name for `property`; the guard as written for `guard`. */
  name?: string;
  status: RunDiffStatus;
  /** The value before (absent when `added`). */
  from?: JsonValue;
  /** The value after (absent when `removed`). */
  to?: JsonValue;
  /** Why it may change: the reason of the unknown (or lazy value) on either side. */
  reason?: string;
}

/** A notification (or subscription) declared on one side and not the other, or whose action/target is unknown. */
export interface RunDiffNotificationChange {
  status: 'added' | 'removed' | 'may-change';
  kind: 'notifies' | 'subscribes';
  /** The action, or `«unknown»`. */
  action: string;
  /** The target resource's id (resolved, else as written), or `«unknown»`. */
  target: string;
  timing: Timing;
  reason?: string;
}

/** The rendered file content of a file-like resource, when it differs or may. */
export interface RunDiffContentChange {
  status: RunDiffStatus;
  /** Unified diff (`--- a/…`, `+++ b/…`, hunks) of the content as people read it (holes as `«unknown: why»`); `''` when that text is the same on both sides (a may-change: only a hole may differ). */
  patch: string;
  /** The whole content on each side, as the Graph carries it (for a diff editor). */
  from?: RenderedText;
  to?: RenderedText;
  /** Why it may change: the first hole's reason. */
  reason?: string;
}

/** A resource present on both sides that differs (or may). */
export interface RunDiffResourceChange {
  id: string;
  type: string;
  /** Its id repeats and this is not the first: the nth (0-based) occurrence on both sides. */
  occurrence?: number;
  /** `may-change` when every difference is a may-change; `changed` when any is known to change. */
  status: 'changed' | 'may-change';
  fromLocation: SourceLocation;
  toLocation: SourceLocation;
  fields: RunDiffFieldChange[];
  notifications: RunDiffNotificationChange[];
  content?: RunDiffContentChange;
}

/** A resource present on one side only. */
export interface RunDiffResourceRef {
  id: string;
  type: string;
  resolvedType: string;
  actions: (string | UnknownMarker)[];
  location: SourceLocation;
  /** Its id repeats on this side and this is not the first: the nth (0-based) occurrence. */
  occurrence?: number;
}

/**
 * A notification edge present on both sides whose two resources swapped converge order: the
 * notifier (or subscribed-to resource) `source` now runs after (or before) its `target`. It matters
 * for `:immediately`/`:before` notifications and for anything the target reads that the source writes.
 */
export interface RunDiffOrderChange {
  source: string;
  target: string;
  kind: 'notifies' | 'subscribes';
  action?: string;
  timing?: Timing;
  /** Which resource converged first on each side. */
  fromFirst: 'source' | 'target';
  toFirst: 'source' | 'target';
}

/** One side of a diff: where its run came from. */
export interface RunDiffSide {
  /** `working tree`, a git revision as given, and the platform, suite or attribute file when those differ. */
  label: string;
  /** The commit the revision resolved to (absent for the working tree). */
  commit?: string;
  platform: string;
  runList: string[];
}

/** `cloche diff --format json`: the difference between two runs of the same cookbook. */
export interface RunDiff {
  from: RunDiffSide;
  to: RunDiffSide;
  /** In the `to` run's converge order. */
  added: RunDiffResourceRef[];
  /** In the `from` run's converge order. */
  removed: RunDiffResourceRef[];
  /** In the `to` run's converge order. */
  changed: RunDiffResourceChange[];
  order: RunDiffOrderChange[];
  summary: { added: number; removed: number; changed: number; mayChange: number; unchanged: number; order: number };
}

// ─── Plan and converge contracts (the engine; design.md "Data contracts") ─────────────────────────

/** What a step would do (plan) or did (converge). */
export type StepStatus = 'change' | 'up-to-date' | 'skipped' | 'unknown' | 'failed';

/** One property-level change of a step; `message` is the human line ("would install nginx 1.22.1-9"). */
export interface PlanChange {
  property: string;
  from: JsonValue;
  to: JsonValue;
  message?: string;
}

/** A notification leaving a step: whether it would fire, and why. */
export interface PlanNotification {
  target: string;
  action: string;
  timing: Timing;
  /** `yes` when the step changes, `no` when it does not, `maybe` when its status is unknown. */
  fires: 'yes' | 'no' | 'maybe';
  /** How the link was declared: on this resource (`notifies`) or on the target (`subscribes`). */
  kind: 'notifies' | 'subscribes';
}

/** Current and planned content of a file a step would change (`path` in the container). */
export interface PlanContent {
  path: string;
  /** The file's content now; `null` when it does not exist. */
  before: string | null;
  /** The content the step would write. */
  after: string;
}

/** One resource action in converge order (notified actions appear where Chef would run them). */
export interface PlanStep {
  resource: string;
  type: string;
  action: string;
  status: StepStatus;
  reason?: string;
  changes: PlanChange[];
  /** Unified diff of file content (absent when unchanged, unknown or `sensitive`). */
  diff?: string;
  /**
   * Both sides of a content change, for a real diff editor: only with `cloche plan --with-content`,
   * only when the content would change, is known on both sides and the resource is not `sensitive`
   * (file, template, cookbook_file, cron_d, apt_repository, systemd_unit, cron's crontab).
   */
  content?: PlanContent;
  notifications: PlanNotification[];
  location: SourceLocation;
  /** Set when the step runs because of a notification: which resource triggered it, and when. */
  notifiedBy?: { resource: string; timing: Timing }[];
  /** Statements taken as true without proof (unknown block guards, opaque earlier steps). */
  assumptions?: string[];
  /** Id of the custom resource this step was expanded from. */
  parent?: string;
}

export interface PlanTarget {
  runtime: string;
  image: string;
  container: string;
  platform: string;
  /** The kitchen.yml suite whose run list (and attributes) ran (`--suite`). */
  suite?: string;
  /** The kitchen.yml platform whose image ran (`--kitchen-platform`, or the suite's first platform). */
  kitchenPlatform?: string;
}

export interface PlanSummary {
  total: number;
  changed: number;
  upToDate: number;
  skipped: number;
  unknown: number;
  failed: number;
}

/** Wall-clock figures of a plan; `roundTrips` counts container execs (1–2 whatever the size). */
export interface PlanTimings {
  totalMs: number;
  probeMs: number;
  simulateMs: number;
  roundTrips: number;
}

/** `cloche plan --format json`. */
export interface Plan {
  target: PlanTarget;
  steps: PlanStep[];
  summary: PlanSummary;
  timings: PlanTimings;
  /** Problems of the plan itself (garbled probe records …); the steps they touch are planned unknown. */
  warnings?: string[];
}

/**
 * What a converge did with a step: applied, nothing to do, skipped by a guard, failed (or failed
 * with ignore_failure), `not-applied` because the step was `unknown` (Cloche never acts on a guess:
 * `reason` says what is not known), or not run because the run stopped before it.
 */
export type StepDone = 'applied' | 'up-to-date' | 'skipped' | 'failed' | 'ignored-failure' | 'not-applied' | 'not-run';

/** A step as converged: what was done, its output and duration. */
export interface ConvergeStep extends PlanStep {
  done: StepDone;
  output?: string;
  durationMs: number;
  attempts?: number;
}

/**
 * Converge progress, as it happens: one start/end per step, output as it streams, retries, and
 * re-probes after steps whose effects cannot be simulated. `cloche converge|test --format jsonl`
 * writes each as a `{ "event": … }` line ({@link ConvergeStreamLine}).
 */
export type ConvergeEvent =
  | { kind: 'step-start'; step: PlanStep }
  | { kind: 'output'; resource: string; chunk: string; stream: 'stdout' | 'stderr' }
  | { kind: 'retry'; resource: string; attempt: number; delaySec: number; why: string }
  | { kind: 'reprobe'; after: string; ms: number }
  | { kind: 'step-end'; step: ConvergeStep };

/**
 * One stdout line of `cloche converge|test --format jsonl`: every progress event as it happens,
 * then `idempotence-start` before the idempotence re-plan (when it runs), then the report last.
 * Nothing else is written to stdout; the exit code is the same as with `--format json`.
 */
export type ConvergeStreamLine =
  | { event: ConvergeEvent }
  | { 'idempotence-start': Record<string, never> }
  | { report: ConvergeReport };

/** A step named in a verdict, with what is wrong or not known about it. */
export interface StepFinding { resource: string; action: string; location: SourceLocation; reason: string }

/**
 * The idempotence check: a plan after the converge; every change is a finding, and a step the
 * second plan cannot decide leaves the verdict undecided (`idempotent` is then false).
 */
export interface IdempotenceVerdict {
  idempotent: boolean;
  /** `idempotent`, `not-idempotent` (offenders), or `undecided` (no offender, but unknown steps). */
  verdict: 'idempotent' | 'not-idempotent' | 'undecided';
  /** Steps of the second plan that would still change something (each points at its resource). */
  offenders: StepFinding[];
  /** Steps of the second plan whose status is unknown: whether they would change is not known. */
  undecided: StepFinding[];
  /** Steps exempt from the check because they always act (log, notify_group). */
  exempt: string[];
  planMs: number;
}

/** How many steps of a converge ended each way (custom resources' own steps are not counted: their children are). */
export type ConvergeSummary = { total: number } & { [K in StepDone as K extends 'up-to-date' ? 'upToDate' : K extends 'ignored-failure' ? 'ignoredFailures' : K extends 'not-applied' ? 'notApplied' : K extends 'not-run' ? 'notRun' : K]: number };

/**
 * The verdict of a run: `converged` (every step applied or already right), `failed` (a step
 * failed: `result`), `incomplete` (some steps were not applied because they are unknown:
 * `notApplied`), and for `cloche test` also `not-idempotent`, or `incomplete` when the
 * idempotence check is undecided. `passed` is only said of a test that converged and is idempotent.
 */
export type RunVerdict = 'converged' | 'passed' | 'failed' | 'incomplete' | 'not-idempotent';

/** `cloche converge --format json` / `cloche test --format json`. */
export interface ConvergeReport {
  target: PlanTarget;
  verdict: RunVerdict;
  steps: ConvergeStep[];
  /** `ok`, or the failure that stopped the run (resource and line). */
  result: { ok: true } | { ok: false; resource?: string; location?: SourceLocation; message: string };
  /** The steps Cloche did not apply because they are unknown, with why (the run is then incomplete). */
  notApplied: StepFinding[];
  summary: ConvergeSummary;
  idempotence?: IdempotenceVerdict;
  timings: { totalMs: number; commandMs: number; overheadMs: number; roundTrips: number };
  kept?: boolean;
}
