/**
 * Gem::Version and Gem::Requirement as evaluator objects, so that the version checks cookbooks make
 * (`Gem::Requirement.new('>= 12').satisfied_by?(Gem::Version.new(node['platform_version']))`) are
 * decided statically when the versions are known. A malformed version raises ArgumentError, as
 * RubyGems does; an unknown one makes the answer unknown.
 */
import { type Value, type RubyObject, type CallContext, NIL, str, int, arr, bool, unknown, findUnknown } from '../values';
import { raise } from './args';
import { inspectString } from './display';
import {
  normalizeVersion, segments, isPrerelease, canonicalSegments, compareVersions, release, bump, approximateRecommendation, type Segment,
} from './gemVersion';

const segmentValues = (segs: Segment[]): Value => arr(segs.map((s) => (typeof s === 'number' ? int(s) : str(s))));

/** A Gem::Version instance. */
export class GemVersion implements RubyObject {
  readonly className = 'Gem::Version';
  constructor(readonly version: string) {}

  describe(): string { return this.version; }
  toJson() { return this.version; }

  /** The other side of a comparison: a version, or a string that is a correct version. */
  private other(v: Value | undefined): string | undefined {
    if (v?.k === 'object' && v.obj instanceof GemVersion) return v.obj.version;
    if (v?.k === 'str') return normalizeVersion(v.v);
    return undefined;
  }

  private compare(args: Value[], ctx: CallContext, test: (c: number) => boolean): Value {
    const o = this.other(args[0]);
    if (o === undefined) return findUnknown(args[0] ?? NIL) ? unknown(findUnknown(args[0])!.reason) : raise(ctx, 'ArgumentError', `comparison of Gem::Version with ${args[0]?.k === 'str' ? inspectString(args[0].v) : 'other'} failed`);
    return bool(test(compareVersions(this.version, o)));
  }

  call(method: string, args: Value[], ctx: CallContext): Value | undefined {
    switch (method) {
      case '<=>': { const o = this.other(args[0]); return o === undefined ? (args[0]?.k === 'unknown' ? args[0] : NIL) : int(compareVersions(this.version, o)); }
      case '<': return this.compare(args, ctx, (c) => c < 0);
      case '>': return this.compare(args, ctx, (c) => c > 0);
      case '<=': return this.compare(args, ctx, (c) => c <= 0);
      case '>=': return this.compare(args, ctx, (c) => c >= 0);
      case '==': { const o = args[0]; return o?.k === 'unknown' ? o : bool(o?.k === 'object' && o.obj instanceof GemVersion && compareVersions(this.version, o.obj.version) === 0); }
      case '!=': { const o = args[0]; return o?.k === 'unknown' ? o : bool(!(o?.k === 'object' && o.obj instanceof GemVersion && compareVersions(this.version, o.obj.version) === 0)); }
      case 'eql?': return bool(args[0]?.k === 'object' && args[0].obj instanceof GemVersion && args[0].obj.version === this.version);
      case 'between?': {
        const lo = this.compare([args[0] ?? NIL], ctx, (c) => c >= 0);
        return lo.k === 'bool' && lo.v ? this.compare([args[1] ?? NIL], ctx, (c) => c <= 0) : lo;
      }
      case 'to_s': case 'version': return str(this.version);
      case 'inspect': return str(`#<Gem::Version ${inspectString(this.version)}>`);
      case 'segments': return segmentValues(segments(this.version));
      case 'canonical_segments': return segmentValues(canonicalSegments(this.version));
      case 'release': return gemVersion(release(this.version));
      case 'prerelease?': return bool(isPrerelease(this.version));
      case 'bump': return gemVersion(bump(this.version));
      case 'approximate_recommendation': return str(approximateRecommendation(this.version));
      default: return undefined;
    }
  }
}

export const gemVersion = (v: string): Value => ({ k: 'object', obj: new GemVersion(v) });

/** `Gem::Version.new(x)`: a string (or number) that is a version, else ArgumentError. */
export function newGemVersion(arg: Value | undefined, ctx: CallContext): Value {
  if (!arg) return raise(ctx, 'ArgumentError', 'wrong number of arguments (given 0, expected 1)');
  const u = findUnknown(arg);
  if (u) return unknown(u.reason, u.loc);
  if (arg.k === 'object' && arg.obj instanceof GemVersion) return gemVersion(arg.obj.version);
  // Strings and what converts to one (Chef::VersionString, …).
  const asString = arg.k === 'object' ? arg.obj.call('to_s', [], ctx) : undefined;
  const text = arg.k === 'str' ? arg.v : asString?.k === 'str' ? asString.v : arg.k === 'int' || arg.k === 'float' ? String(arg.v) : arg.k === 'nil' ? '' : undefined;
  if (text === undefined) return raise(ctx, 'ArgumentError', `Malformed version number string ${arg.k === 'object' ? arg.obj.describe() : arg.k}`);
  const v = normalizeVersion(text);
  return v === undefined ? raise(ctx, 'ArgumentError', `Malformed version number string ${text}`) : gemVersion(v);
}

type Op = '=' | '!=' | '>' | '<' | '>=' | '<=' | '~>';
const REQUIREMENT = /^\s*(=|!=|>=|<=|>|<|~>)?\s*(\S+)\s*$/;

/** A Gem::Requirement instance: every [op, version] pair must hold. */
export class GemRequirement implements RubyObject {
  readonly className = 'Gem::Requirement';
  constructor(readonly requirements: [Op, string][]) {}

  describe(): string { return this.requirements.map(([op, v]) => `${op} ${v}`).join(', '); }
  toJson() { return this.describe(); }

  satisfiedBy(v: string): boolean {
    return this.requirements.every(([op, r]) => {
      const c = compareVersions(v, r);
      switch (op) {
        case '=': return c === 0;
        case '!=': return c !== 0;
        case '>': return c > 0;
        case '<': return c < 0;
        case '>=': return c >= 0;
        case '<=': return c <= 0;
        // Pessimistic: at least r, and below r with its last segment dropped and the one before bumped.
        case '~>': return c >= 0 && compareVersions(release(v), bump(r)) < 0;
      }
    });
  }

  call(method: string, args: Value[], ctx: CallContext): Value | undefined {
    switch (method) {
      case 'satisfied_by?': case '===': case '=~': {
        const v = args[0];
        if (v?.k === 'unknown') return unknown(v.reason, v.loc);
        if (!(v?.k === 'object' && v.obj instanceof GemVersion)) return raise(ctx, 'ArgumentError', `Need a Gem::Version: ${v?.k === 'str' ? inspectString(v.v) : v?.k === 'nil' ? 'nil' : 'value'}`);
        return bool(this.satisfiedBy(v.obj.version));
      }
      case 'to_s': return str(this.describe());
      case 'inspect': return str(`#<Gem::Requirement ${this.describe()}>`);
      case 'requirements': return arr(this.requirements.map(([op, v]) => arr([str(op), gemVersion(v)])));
      case 'none?': return bool(this.requirements.length === 1 && this.requirements[0][0] === '>=' && compareVersions(this.requirements[0][1], '0') === 0);
      case 'exact?': return bool(this.requirements.length === 1 && this.requirements[0][0] === '=');
      case 'prerelease?': return bool(this.requirements.some(([, v]) => isPrerelease(v)));
      case '==': { const o = args[0]; return bool(o?.k === 'object' && o.obj instanceof GemRequirement && o.obj.describe() === this.describe()); }
      default: return undefined;
    }
  }
}

/** One requirement argument: `'>= 12'`, `'2.0'` (meaning `=`), or a Gem::Version; undefined when illformed. */
function parseRequirement(v: Value): [Op, string] | undefined {
  if (v.k === 'object' && v.obj instanceof GemVersion) return ['=', v.obj.version];
  if (v.k !== 'str') return undefined;
  const m = REQUIREMENT.exec(v.v);
  const version = m ? normalizeVersion(m[2]) : undefined;
  return m && version !== undefined ? [(m[1] ?? '=') as Op, version] : undefined;
}

/** `Gem::Requirement.new(*reqs)` (arrays are flattened; none means `>= 0`). */
export function newGemRequirement(args: Value[], ctx: CallContext): Value {
  const flat = args.flatMap((a) => (a.k === 'array' ? a.items : [a]));
  const u = flat.map((a) => findUnknown(a)).find(Boolean);
  if (u) return unknown(u.reason, u.loc);
  const reqs: [Op, string][] = [];
  for (const a of flat) {
    const r = parseRequirement(a);
    if (!r) return raise(ctx, 'Gem::Requirement::BadRequirementError', `Illformed requirement [${a.k === 'str' ? inspectString(a.v) : a.k}]`);
    if (!reqs.some(([op, v]) => op === r[0] && v === r[1])) reqs.push(r);
  }
  return { k: 'object', obj: new GemRequirement(reqs.length ? reqs : [['>=', '0']]) };
}

/** `Gem::Requirement.create(x)`: a requirement stays, a version or string or array makes one, else the default. */
function createRequirement(args: Value[], ctx: CallContext): Value {
  if (args.length > 1) return newGemRequirement(args, ctx);
  const a = args[0];
  if (a?.k === 'unknown') return unknown(a.reason, a.loc);
  if (a?.k === 'object' && a.obj instanceof GemRequirement) return a;
  if (a && (a.k === 'str' || a.k === 'array' || (a.k === 'object' && a.obj instanceof GemVersion))) return newGemRequirement([a], ctx);
  return newGemRequirement([], ctx);
}

/** The class objects `Gem::Version` and `Gem::Requirement`: `.new` and friends make instances. */
class GemClass implements RubyObject {
  readonly className = 'Class';
  constructor(readonly name: 'Gem::Version' | 'Gem::Requirement') {}
  describe(): string { return this.name; }
  toJson() { return this.name; }

  call(method: string, args: Value[], ctx: CallContext): Value | undefined {
    const isVersion = this.name === 'Gem::Version';
    switch (method) {
      case 'new': return isVersion ? newGemVersion(args[0], ctx) : newGemRequirement(args, ctx);
      case 'create':
        if (!isVersion) return createRequirement(args, ctx);
        if (args[0]?.k === 'nil') return NIL;
        return args[0]?.k === 'object' && args[0].obj instanceof GemVersion ? args[0] : newGemVersion(args[0], ctx);
      case 'correct?': {
        if (!isVersion) return undefined;
        const a = args[0];
        if (a?.k === 'unknown') return unknown(a.reason, a.loc);
        return bool((a?.k === 'str' || a?.k === 'int' || a?.k === 'float') && normalizeVersion(String(a.v)) !== undefined);
      }
      case 'default': return isVersion ? undefined : newGemRequirement([], ctx);
      case '===': { const a = args[0]; return a?.k === 'unknown' ? undefined : bool(a?.k === 'object' && (isVersion ? a.obj instanceof GemVersion : a.obj instanceof GemRequirement)); }
      case 'name': case 'to_s': case 'inspect': return str(this.name);
      default: return undefined;
    }
  }
}

const VERSION_CLASS: Value = { k: 'object', obj: new GemClass('Gem::Version') };
const REQUIREMENT_CLASS: Value = { k: 'object', obj: new GemClass('Gem::Requirement') };

/** The value of the constant `Gem::Version` or `Gem::Requirement` (also written `::Gem::…`); undefined for any other path. */
export function gemConstant(path: string): Value | undefined {
  const p = path.replace(/^::/, '');
  return p === 'Gem::Version' ? VERSION_CLASS : p === 'Gem::Requirement' ? REQUIREMENT_CLASS : undefined;
}
