/**
 * MatchData, the result of `match`: captures by number or name, what came before and after.
 * Ruby indexes strings by character, JavaScript by UTF-16 unit; positions are converted.
 */
import { type Value, type RubyObject, NIL, str, int, arr, hashOf } from '../values';
import { inspectString } from './display';
import type { RegexMatch } from './regexRe2';

/** The character index of a UTF-16 offset in `s`. */
export function utf16ToCharIndex(s: string, at: number): number {
  return [...s.slice(0, at)].length;
}

class MatchData implements RubyObject {
  readonly className = 'MatchData';
  constructor(private readonly m: RegexMatch, private readonly subject: string) {}

  private group(i: number): Value {
    const idx = i < 0 ? this.m.length + i : i;
    const g = idx >= 0 && idx < this.m.length ? this.m[idx] : undefined;
    return g === undefined ? NIL : str(g);
  }

  private named(name: string): Value | undefined {
    const groups = this.m.groups ?? {};
    if (!(name in groups)) return undefined;
    return groups[name] === undefined ? NIL : str(groups[name]!);
  }

  private index(k: Value): Value | undefined {
    if (k.k === 'int') return this.group(k.v);
    if (k.k === 'str' || k.k === 'sym') return this.named(k.v);
    return undefined;
  }

  private get end(): number { return this.m.index + this.m[0]!.length; }

  call(method: string, args: Value[]): Value | undefined {
    switch (method) {
      case '[]': return args[0] ? this.index(args[0]) : undefined;
      case 'to_a': return arr([...this.m].map((g) => (g === undefined ? NIL : str(g))));
      case 'captures': return arr([...this.m].slice(1).map((g) => (g === undefined ? NIL : str(g))));
      case 'named_captures': return hashOf(Object.entries(this.m.groups ?? {}).map(([k, v]) => [str(k), v === undefined ? NIL : str(v)]));
      case 'names': return arr(Object.keys(this.m.groups ?? {}).map(str));
      case 'pre_match': return str(this.subject.slice(0, this.m.index));
      case 'post_match': return str(this.subject.slice(this.end));
      case 'to_s': return str(this.m[0]!);
      case 'string': return str(this.subject);
      case 'size': case 'length': return int(this.m.length);
      case 'begin': return args[0]?.k === 'int' && args[0].v === 0 ? int(utf16ToCharIndex(this.subject, this.m.index)) : undefined;
      case 'end': return args[0]?.k === 'int' && args[0].v === 0 ? int(utf16ToCharIndex(this.subject, this.end)) : undefined;
      case 'values_at': return arr(args.map((a) => this.index(a) ?? NIL));
      case 'inspect': return str(this.describe());
      default: return undefined;
    }
  }

  describe(): string {
    const names = Object.keys(this.m.groups ?? {});
    const groups = [...this.m].slice(1).map((g, i) => `${names[i] ?? i + 1}:${g === undefined ? 'nil' : inspectString(g)}`);
    return `#<MatchData ${inspectString(this.m[0]!)}${groups.map((g) => ' ' + g).join('')}>`;
  }

  toJson() { return this.describe(); }
}

/** A MatchData value for a match of `subject`. */
export function matchDataValue(m: RegexMatch, subject: string): Value {
  return { k: 'object', obj: new MatchData(m, subject) };
}
