/**
 * Flag parsing shared by every command: `--name value`, `--name=value`, boolean `--flag`, and
 * positional arguments. Unknown flags are usage errors with the list of known ones.
 */
import { UsageError } from './io';

export interface FlagSpec {
  /** Flags that take a value. */
  values?: string[];
  /** Flags that are on/off. */
  booleans?: string[];
  /** Flags that take a value and may be given several times (`--attribute a=1 --attribute b=2`). */
  lists?: string[];
}

export interface ParsedArgs {
  positional: string[];
  values: Map<string, string>;
  booleans: Set<string>;
  lists: Map<string, string[]>;
}

export function parseArgs(argv: string[], spec: FlagSpec): ParsedArgs {
  const values = new Map<string, string>();
  const booleans = new Set<string>();
  const lists = new Map<string, string[]>();
  const positional: string[] = [];
  const known = [...(spec.values ?? []), ...(spec.lists ?? []), ...(spec.booleans ?? [])];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--') || a === '--') { positional.push(a); continue; }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
    if (spec.values?.includes(name)) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`--${name} needs a value`);
      values.set(name, v);
    } else if (spec.lists?.includes(name)) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`--${name} needs a value`);
      lists.set(name, [...(lists.get(name) ?? []), v]);
    } else if (spec.booleans?.includes(name)) booleans.add(name);
    else throw new UsageError(`unknown option --${name}${known.length ? ` (known: ${known.map((k) => '--' + k).join(', ')})` : ''}`);
  }
  return { positional, values, booleans, lists };
}

/** Reads `--format`, checking it is one of the allowed formats. */
export function formatOf(args: ParsedArgs, allowed: string[], fallback: string): string {
  const f = args.values.get('format') ?? fallback;
  if (!allowed.includes(f)) throw new UsageError(`--format must be one of ${allowed.join(', ')} (got '${f}')`);
  return f;
}
