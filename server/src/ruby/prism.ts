/**
 * The one module that knows how to load and call @ruby/prism. Parsing never throws: a broken source
 * still yields a tree (prism recovers) plus its errors.
 */
import { readFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { parsePrism } from '@ruby/prism/src/parsePrism.js';
import type { ProgramNode, Node } from '@ruby/prism/src/nodes.js';
import { LineIndex } from './positions';

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
}

let prismExports: WebAssembly.Exports | undefined;

function wasmPath(): string {
  // In the bundles prism.wasm ships next to dist/*.js; from sources it is in node_modules.
  const beside = path.join(__dirname, 'prism.wasm');
  if (existsSync(beside)) return beside;
  return path.join(path.dirname(require.resolve('@ruby/prism/package.json')), 'src', 'prism.wasm');
}

function loadPrism(): WebAssembly.Exports {
  if (prismExports) return prismExports;
  const module = new WebAssembly.Module(readFileSync(wasmPath()));
  // Node 20 flags WASI as experimental when node:wasi is first loaded, and prints that a tick later
  // through the 'warning' listeners. So node:wasi is loaded only here, after the listeners are put
  // behind a filter that drops just that notice.
  const listeners = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (w: Error) => {
    if (!/WASI/.test(w.message)) for (const l of listeners) l(w);
  });
  const { WASI } = require('node:wasi') as typeof import('node:wasi');
  const wasi = new WASI({ version: 'preview1' });
  const instance = new WebAssembly.Instance(module, wasi.getImportObject() as WebAssembly.Imports);
  wasi.initialize(instance);
  prismExports = instance.exports;
  return prismExports;
}

/** Parses Ruby source. Never throws; errors in the source come back as data. */
export function parseRuby(text: string, filepath?: string): ParsedRuby {
  const result = parsePrism(loadPrism(), text, filepath ? { filepath } : {});
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
  };
}

const decoder = new TextDecoder();

/** The source text of a node (or any byte range). */
export function sliceSource(parsed: ParsedRuby, loc: { startOffset: number; length: number }): string {
  return decoder.decode(parsed.bytes.subarray(loc.startOffset, loc.startOffset + loc.length));
}
