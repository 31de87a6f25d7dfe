/**
 * Finds node attribute reads in the syntax tree: `node['a']['b']`, `node[:a][:b]`, `node.dig('a', 'b')`.
 * Static (no evaluation), so hover, go-to-definition and the never-set rule see every literal path.
 */
import type { ParsedRuby } from '../ruby/prism';

export interface AttributeRef {
  path: string[];
  /** Byte offsets of the whole chain. */
  startOffset: number;
  length: number;
  /** Byte offset range of each key (for hover on one segment). */
  keys: { startOffset: number; length: number }[];
}

type N = any;

function literalKey(n: N): string | undefined {
  const name = n?.constructor.name;
  return name === 'StringNode' || name === 'SymbolNode' ? n.unescaped.value : undefined;
}

/** The path of a `node[...]...` chain ending at `n`, or undefined. */
export function attributeChain(n: N): AttributeRef | undefined {
  const keys: { k: string; loc: { startOffset: number; length: number } }[] = [];
  let cur = n;
  while (cur?.constructor.name === 'CallNode') {
    if (!cur.receiver && cur.name === 'node' && !cur.arguments_) {
      if (!keys.length) return undefined;
      keys.reverse();
      return { path: keys.map((k) => k.k), startOffset: n.location.startOffset, length: n.location.length, keys: keys.map((k) => k.loc) };
    }
    const args = cur.arguments_?.arguments_ ?? [];
    if (cur.name === '[]' && args.length === 1 && literalKey(args[0]) !== undefined) {
      keys.push({ k: literalKey(args[0])!, loc: args[0].location });
    } else if (cur.name === 'dig' && args.length && args.every((a: N) => literalKey(a) !== undefined)) {
      for (const a of [...args].reverse()) keys.push({ k: literalKey(a)!, loc: a.location });
    } else return undefined;
    cur = cur.receiver;
  }
  return undefined;
}

/** Byte offsets where `seq` occurs in the source, ascending. */
function offsetsOf(bytes: Uint8Array, seq: number[]): number[] {
  const out: number[] = [];
  for (let i = bytes.indexOf(seq[0]); i >= 0 && i + seq.length <= bytes.length; i = bytes.indexOf(seq[0], i + 1)) {
    let ok = true;
    for (let j = 1; j < seq.length && ok; j++) ok = bytes[i + j] === seq[j];
    if (ok) out.push(i);
  }
  return out;
}

/** Whether a sorted list has a value in [lo, hi]. */
function within(sorted: number[], lo: number, hi: number): boolean {
  let a = 0, b = sorted.length;
  while (a < b) { const mid = (a + b) >> 1; if (sorted[mid] < lo) a = mid + 1; else b = mid; }
  return a < sorted.length && sorted[a] <= hi;
}

const refCache = new WeakMap<ParsedRuby, readonly AttributeRef[]>();

/** Every maximal attribute chain in a file (cached per parse, i.e. per text; do not mutate the result). */
export function findAttributeRefs(parsed: ParsedRuby): readonly AttributeRef[] {
  let refs = refCache.get(parsed);
  if (!refs) { refs = walkAttributeRefs(parsed); refCache.set(parsed, refs); }
  return refs;
}

function walkAttributeRefs(parsed: ParsedRuby): AttributeRef[] {
  const out: AttributeRef[] = [];
  // Every chain starts with the bytes `node`, so a subtree whose source has none is skipped — unless
  // it has a `<<` (a heredoc's body lies outside the ranges of the nodes that hold it).
  const words = offsetsOf(parsed.bytes, [0x6e, 0x6f, 0x64, 0x65]);
  if (!words.length) return out;
  const shovels = offsetsOf(parsed.bytes, [0x3c, 0x3c]);
  const mentionsNode = (n: N): boolean => {
    const l = n.location;
    return !l || within(words, l.startOffset, l.startOffset + l.length - 4) || within(shovels, l.startOffset, l.startOffset + l.length - 2);
  };
  const visit = (node: N, parentIsChain: boolean, depth: number): void => {
    if (!node || depth > 400 || !mentionsNode(node)) return;
    const chain = node.constructor.name === 'CallNode' ? attributeChain(node) : undefined;
    if (chain && !parentIsChain) out.push(chain);
    for (const child of node.childNodes?.() ?? []) visit(child, !!chain && child === node.receiver, depth + 1);
  };
  visit(parsed.tree, false, 0);
  return out;
}
