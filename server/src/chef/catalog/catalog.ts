/**
 * The catalog: every resource type a recipe can use — Chef's built-ins plus the workspace's custom
 * resources — and Chef's `provides` resolution of a DSL name (`package`) to a resource type
 * (`apt_package`) for a platform.
 */
import type { PlatformFacts } from '../platforms';
import { platformVersionMatches } from '../platforms';
import { loadBuiltinSchemas } from './builtin';
import type { ProvidesRule, ResourceSchema } from './schema';

/** One way a DSL name can map to a resource type. */
interface Provider {
  schema: ResourceSchema;
  rule: ProvidesRule;
  /** Insertion order; with equal specificity the later one wins, as in Chef's NodeMap. */
  seq: number;
}

/**
 * Blocks in Chef's `provides … do |node| … end` that we know how to decide. Keyed by
 * `resource:dslName`. Undefined means "cannot tell" (the rule then matches with lowest priority).
 */
const KNOWN_BLOCKS: Record<string, (facts: PlatformFacts) => boolean | undefined> = {
  // dnf_package: `provides :package, platform: "amazon" do which("dnf") end` — dnf exists on Amazon 2023+.
  'dnf_package:package': (facts) => facts.packageManager ? facts.packageManager === 'dnf' : platformVersionMatches('>= 2023', facts.platformVersion),
};

/** Resource types by name, and the resolution of DSL names to them per platform. */
export class Catalog {
  private readonly builtins: Map<string, ResourceSchema>;
  private readonly customs = new Map<string, ResourceSchema>();
  private index: Map<string, Provider[]> | undefined;
  /** Did-you-mean answers against all DSL names, until the names change (an unknown name is asked about at each call). */
  private readonly suggestions = new Map<string, string[]>();
  private seq = 0;

  constructor(builtins: Map<string, ResourceSchema> = loadBuiltinSchemas()) {
    this.builtins = builtins;
  }

  /** Adds (or replaces, by name) a workspace custom resource / LWRP / definition. */
  addCustom(schema: ResourceSchema): void {
    this.customs.delete(schema.name); // re-insert so it counts as declared last
    this.customs.set(schema.name, schema);
    this.index = undefined;
  }

  /** A built-in resource type by its Chef name, whatever the workspace declares. */
  builtin(resourceName: string): ResourceSchema | undefined {
    return this.builtins.get(resourceName);
  }

  /** Forgets every custom resource. */
  clearCustom(): void {
    this.customs.clear();
    this.index = undefined;
  }

  /** Forgets one custom resource. */
  remove(resourceName: string): void {
    if (this.customs.delete(resourceName)) this.index = undefined;
  }

  /** Forgets every custom resource of a cookbook (before it is loaded again, or when it goes away). */
  removeCookbook(cookbookName: string): void {
    for (const [name, schema] of this.customs) if (schema.cookbook === cookbookName) this.customs.delete(name);
    this.index = undefined;
  }

  /** The custom resources currently known, in the order they were added. */
  customResources(): ResourceSchema[] {
    return [...this.customs.values()];
  }

  /** A resource type by its canonical name (`apt_package`, `mycookbook_site`); a custom one shadows a built-in. */
  get(resourceName: string): ResourceSchema | undefined {
    return this.customs.get(resourceName) ?? this.builtins.get(resourceName);
  }

  /**
   * Whether `dslName` names a resource on ANY platform. Use it before reporting an unknown resource:
   * `windows_service` on a Debian profile resolves to nothing but is not a typo.
   */
  has(dslName: string): boolean {
    return (this.providers().get(dslName)?.length ?? 0) > 0;
  }

  /**
   * The resource type `dslName` means on this platform, following Chef's `provides` rules: of the
   * rules whose conditions hold, the most specific wins (a decided block, then platform_version,
   * platform, platform_family, os), ties go to the later declaration (so cookbooks shadow built-ins),
   * and a block we cannot decide counts as matching.
   */
  resolve(dslName: string, facts: PlatformFacts): ResourceSchema | undefined {
    let best: { p: Provider; score: number[] } | undefined;
    for (const p of this.providers().get(dslName) ?? []) {
      const score = matchScore(p, facts);
      if (!score) continue;
      if (!best || compareScores(score, best.score) > 0 || (compareScores(score, best.score) === 0 && p.seq > best.p.seq)) best = { p, score };
    }
    return best?.p.schema;
  }

  /** All DSL names (sorted), or only those that resolve on the given platform; for completion. */
  dslNames(facts?: PlatformFacts): string[] {
    const names = [...this.providers().keys()];
    return (facts ? names.filter((n) => this.resolve(n, facts)) : names).sort();
  }

  /** All resource types (built-in and custom), custom ones shadowing built-ins of the same name. */
  all(): ResourceSchema[] {
    const out = new Map(this.builtins);
    for (const [name, schema] of this.customs) out.set(name, schema);
    return [...out.values()];
  }

  /** Did-you-mean for an unknown name, against `candidates` (default: all DSL names). */
  suggest(name: string, candidates?: Iterable<string>): string[] {
    if (candidates) return suggest(name, candidates);
    this.providers();
    let found = this.suggestions.get(name);
    if (!found) {
      if (this.suggestions.size > 5000) this.suggestions.clear();
      this.suggestions.set(name, found = suggest(name, this.dslNames()));
    }
    return [...found];
  }

  /** DSL name → the rules that provide it; rebuilt lazily after custom resources change. */
  private providers(): Map<string, Provider[]> {
    if (this.index) return this.index;
    this.suggestions.clear();
    const index = new Map<string, Provider[]>();
    const add = (schema: ResourceSchema) => {
      // A custom resource with no `provides` is still used by its own name; built-in base classes
      // without `provides` (the `user` base, windows_script) are not DSL names at all.
      const rules = schema.provides.length || schema.source === 'builtin' ? schema.provides : [{ name: schema.name }];
      for (const rule of rules) {
        const list = index.get(rule.name) ?? [];
        list.push({ schema, rule, seq: this.seq++ });
        index.set(rule.name, list);
      }
    };
    this.seq = 0;
    for (const schema of this.builtins.values()) add(schema);
    for (const schema of this.customs.values()) add(schema);
    this.index = index;
    return index;
  }
}

/** The rule's specificity when it matches the facts, or undefined when it does not. */
/** How specifically a provides rule matches the facts (compare with `compareScores`), or undefined when it does not. */
export function ruleScore(rule: ProvidesRule, facts: PlatformFacts, resourceName = ''): number[] | undefined {
  return matchScore({ rule, schema: { name: resourceName } as ResourceSchema, seq: 0 }, facts);
}

function matchScore(p: Provider, facts: PlatformFacts): number[] | undefined {
  const { rule } = p;
  if (rule.platform && !rule.platform.includes(facts.platform)) return undefined;
  if (rule.platformFamily && !rule.platformFamily.includes(facts.platformFamily)) return undefined;
  if (rule.os && !rule.os.includes(facts.os)) return undefined;
  if (rule.platformVersion && !platformVersionMatches(rule.platformVersion, facts.platformVersion)) return undefined;
  let block = 0;
  if (rule.block) {
    const decided = rule.decide ? rule.decide(facts) : KNOWN_BLOCKS[`${p.schema.name}:${rule.name}`]?.(facts);
    if (decided === false) return undefined;
    // A block only narrows a rule: one we cannot decide is taken as the author's intent (it matches),
    // ranked below a decided block of the same specificity.
    block = decided === undefined ? 0 : 1;
  }
  return [block, rule.platformVersion ? 1 : 0, rule.platform ? 1 : 0, rule.platformFamily ? 1 : 0, rule.os ? 1 : 0];
}

export function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * Names from `candidates` close to `name` (optimal-string-alignment Damerau–Levenshtein: a swap of two
 * neighbours costs 1), best first, at most three. Only small distances count — 1 for short names,
 * 2 up to 8 characters, 3 beyond — so suggestions stay plausible.
 */
export function suggest(name: string, candidates: Iterable<string>): string[] {
  const max = name.length <= 4 ? 1 : name.length <= 8 ? 2 : 3;
  const scored: { c: string; d: number }[] = [];
  for (const c of new Set(candidates)) {
    if (c === name || Math.abs(c.length - name.length) > max) continue;
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d <= max) scored.push({ c, d });
  }
  return scored.sort((x, y) => x.d - y.d || x.c.localeCompare(y.c)).slice(0, 3).map((s) => s.c);
}

/** Optimal string alignment distance. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
