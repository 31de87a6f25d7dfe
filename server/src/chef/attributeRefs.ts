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

/** Every maximal attribute chain in a file. */
export function findAttributeRefs(parsed: ParsedRuby): AttributeRef[] {
  const out: AttributeRef[] = [];
  const visit = (node: N, parentIsChain: boolean, depth: number): void => {
    if (!node || depth > 400) return;
    const chain = node.constructor.name === 'CallNode' ? attributeChain(node) : undefined;
    if (chain && !parentIsChain) out.push(chain);
    for (const child of node.childNodes?.() ?? []) visit(child, !!chain && child === node.receiver, depth + 1);
  };
  visit(parsed.tree, false, 0);
  return out;
}
