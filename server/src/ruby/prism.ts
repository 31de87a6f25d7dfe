/**
 * The one module that knows how to load and call @ruby/prism. Parsing never throws: a broken source
 * still yields a tree (prism recovers) plus its errors, and a source the parser cannot take at all
 * (nested past its stack) an empty tree with the reason; the parser instance is then replaced.
 */
import { readFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { parsePrism } from '@ruby/prism/src/parsePrism.js';
import type { ProgramNode, Node } from '@ruby/prism/src/nodes.js';
import { LineIndex } from './positions';
import { guardStackPointer, STACK_GUARD_MARKER } from './prismStackGuard';

export type { Node, ProgramNode };

export interface SyntaxError {
  message: string;
  /** Byte offsets into the UTF-8 source. */
  startOffset: number;
  length: number;
}

export interface ParsedRuby {
  tree: ProgramNode;
  errors: SyntaxError[];
  comments: { startOffset: number; length: number }[];
  lines: LineIndex;
  /** The source as UTF-8 bytes, for slicing node text by byte offsets. */
  bytes: Uint8Array;
  text: string;
  /** Set when the file could not be parsed at all: `tree` is then an empty program. */
  failure?: ParseFailure;
}

/**
 * Why a file has no tree. `nesting`: it nests deeper than the parser's stack or the reading of its
 * tree allows (valid Ruby, perhaps, that Cloche cannot analyse). `parser`: prism failed otherwise.
 */
export interface ParseFailure {
  kind: 'nesting' | 'parser';
  message: string;
}

interface PrismWasm {
  module: WebAssembly.Module;
  WASI: typeof import('node:wasi').WASI;
}

let prismWasm: PrismWasm | undefined;
/** The instance parses run in; dropped after a failure, whose memory may be half-way through anything. */
let prismExports: WebAssembly.Exports | undefined;

function wasmPath(): string {
  // In the bundles prism.wasm ships next to dist/*.js; from sources it is in node_modules.
  const beside = path.join(__dirname, 'prism.wasm');
  if (existsSync(beside)) return beside;
  return path.join(path.dirname(require.resolve('@ruby/prism/package.json')), 'src', 'prism.wasm');
}

/** Compiles prism.wasm once, with its stack bounded (prismStackGuard.ts says why). */
function loadPrismWasm(): PrismWasm {
  if (prismWasm) return prismWasm;
  const module = new WebAssembly.Module(guardStackPointer(readFileSync(wasmPath())).bytes);
  // Node 20 flags WASI as experimental when node:wasi is first loaded, and prints that a tick later
  // through the 'warning' listeners. So node:wasi is loaded only here, after the listeners are put
  // behind a filter that drops just that notice.
  const listeners = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (w: Error) => {
    if (!/WASI/.test(w.message)) for (const l of listeners) l(w);
  });
  const { WASI } = require('node:wasi') as typeof import('node:wasi');
  return prismWasm = { module, WASI };
}

function prismInstance(): WebAssembly.Exports {
  if (prismExports) return prismExports;
  const { module, WASI } = loadPrismWasm();
  const wasi = new WASI({ version: 'preview1' });
  const instance = new WebAssembly.Instance(module, wasi.getImportObject() as WebAssembly.Imports);
  wasi.initialize(instance);
  prismExports = instance.exports;
  return prismExports;
}

/**
 * Parses Ruby source. Never throws; errors in the source come back as data, and a file the parser
 * cannot take (too deeply nested) as `failure` with an empty tree. A failed parse leaves the next
 * one a fresh parser instance.
 */
export function parseRuby(text: string, filepath?: string): ParsedRuby {
  const options = filepath ? { filepath } : {};
  let result;
  let failure: ParseFailure | undefined;
  try {
    result = parsePrism(prismInstance(), text, options);
  } catch (e) {
    failure = failureOf(e, prismExports);
    prismExports = undefined;
    result = parsePrism(prismInstance(), '', {});
  }
  return {
    tree: result.value,
    errors: result.errors.map((e: { message: string; location: { startOffset: number; length: number } }) => ({
      message: e.message,
      startOffset: e.location.startOffset,
      length: e.location.length,
    })),
    comments: result.comments.map((c: { location: { startOffset: number; length: number } }) => c.location),
    lines: new LineIndex(text),
    bytes: new TextEncoder().encode(text),
    text,
    ...(failure ? { failure } : {}),
  };
}

/** Parses of texts still in use anywhere in the process, by text (see {@link parseShared}). */
const shared = new Map<string, WeakRef<ParsedRuby>>();
const forget = new FinalizationRegistry<string>((text) => { if (shared.get(text)?.deref() === undefined) shared.delete(text); });

/**
 * The parse of a text, shared by every file of the process holding that same text (`cloche diff`'s
 * two revisions, the background index's copy of the workspace): a parse depends on the text alone
 * (the evaluator takes `__FILE__` from the file it runs, not from the parse), and nothing changes a
 * parse once made. Kept only while some workspace still holds it.
 */
export function parseShared(text: string): ParsedRuby {
  const known = shared.get(text)?.deref();
  if (known) return known;
  const parsed = parseRuby(text);
  shared.set(text, new WeakRef(parsed));
  forget.register(parsed, text);
  return parsed;
}

function failureOf(e: unknown, exports: WebAssembly.Exports | undefined): ParseFailure {
  const memory = exports?.memory as WebAssembly.Memory | undefined;
  const tooDeepForPrism = { kind: 'nesting' as const, message: 'it nests deeper than the Ruby parser\'s stack allows (about a hundred levels of brackets, blocks or calls)' };
  if (e instanceof WebAssembly.RuntimeError && memory && new DataView(memory.buffer).getUint32(STACK_GUARD_MARKER, true) === 1) return tooDeepForPrism;
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    // Prism's recursion runs on the JavaScript stack too; so does the reading back of its tree, in
    // which a very long chain (`a.b.b.b…`, `1 + 1 + …`) is as deep as it is long.
    if (e.stack?.includes('wasm://')) return tooDeepForPrism;
    return { kind: 'nesting', message: 'its syntax tree is too deep to read (a chain of thousands of calls or operators)' };
  }
  return { kind: 'parser', message: `the Ruby parser failed: ${(e as Error)?.message ?? e}` };
}

const decoder = new TextDecoder();

/** The source text of a node (or any byte range). */
export function sliceSource(parsed: ParsedRuby, loc: { startOffset: number; length: number }): string {
  return decoder.decode(parsed.bytes.subarray(loc.startOffset, loc.startOffset + loc.length));
}
