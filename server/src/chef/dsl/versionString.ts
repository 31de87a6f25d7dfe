/**
 * Chef::VersionString (`Chef::VERSION`, `node['platform_version']` in chef-utils): a String that
 * compares as a version with strings and Gem::Version (`Chef::VERSION >= Gem::Version.new('18')`,
 * `'12.7' =~ '>= 12'`). Everything else is String's.
 */
import { type Value, type RubyObject, type CallContext, str, bool, int, unknown, findUnknown } from '../../ruby/values';
import { callValueMethod } from '../../ruby/rubyMethods';
import { GemVersion, gemVersion, newGemRequirement } from '../../ruby/core/gem';
import { compareVersions, normalizeVersion } from '../../ruby/core/gemVersion';

export class VersionString implements RubyObject {
  readonly className = 'Chef::VersionString';
  constructor(readonly value: string) {}
  describe(): string { return this.value; }
  toJson() { return this.value; }

  private other(v: Value | undefined): string | undefined {
    if (v?.k === 'object' && (v.obj instanceof VersionString)) return normalizeVersion(v.obj.value);
    if (v?.k === 'object' && v.obj instanceof GemVersion) return v.obj.version;
    if (v?.k === 'str') return normalizeVersion(v.v);
    return undefined;
  }

  call(method: string, args: Value[], ctx: CallContext): Value | undefined {
    const compare = COMPARISONS[method];
    if (compare) {
      const mine = normalizeVersion(this.value);
      const o = this.other(args[0]);
      if (args[0] && findUnknown(args[0])) return unknown(findUnknown(args[0])!.reason);
      if (mine === undefined || o === undefined) return callValueMethod(str(this.value), method, args, ctx);
      const c = compareVersions(mine, o);
      return method === '<=>' ? int(c) : bool(compare(c));
    }
    // `=~ '>= 12'`: whether the version satisfies the requirement (a regexp matches as a String's would).
    if (method === '=~' && args[0]?.k === 'str') {
      const req = newGemRequirement([args[0]], ctx);
      return req.k === 'object' ? req.obj.call('satisfied_by?', [gemVersion(this.value)], ctx) : req;
    }
    if (method === 'to_s' || method === 'to_str') return str(this.value);
    return callValueMethod(str(this.value), method, args, ctx);
  }
}

const COMPARISONS: Record<string, (c: number) => boolean> = {
  '<=>': () => true, '==': (c) => c === 0, '!=': (c) => c !== 0, '<': (c) => c < 0, '<=': (c) => c <= 0, '>': (c) => c > 0, '>=': (c) => c >= 0,
};
