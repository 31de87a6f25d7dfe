/**
 * A bound on prism.wasm's C stack.
 *
 * prism's parser recurses once or more per level of nesting, on a shadow stack in linear memory that
 * wasm-ld sized at 64 KiB and placed just above the module's static data, growing down towards it.
 * Nothing checks it: about 130 nested hashes or 150 nested parentheses run the stack into the data
 * below (prism's binding-power table, malloc's state), which silently corrupts the instance — a
 * false "unexpected end-of-input" on valid Ruby, then wrong parses of every later file, an endless
 * loop in `calloc`, or a "memory access out of bounds" trap much later.
 *
 * `guardStackPointer` rewrites the module's code so every write of the stack pointer (global 0,
 * `global.set 0`) goes through one added function that traps (`unreachable`) when the new pointer
 * would leave the stack's region, before anything below it is written, after storing a marker at a
 * fixed address so the caller can tell this trap from any other. The rewrite decodes each function
 * body instruction by instruction (only the instructions this module uses are known; any other
 * makes it throw rather than guess), and checks the layout it relies on.
 */

/** Where the added check stores 1 before trapping (in the first KiB, which wasm-ld leaves unused). */
export const STACK_GUARD_MARKER = 512;

/**
 * Bytes kept free above the stack's low end: LLVM lets a leaf function use up to 128 bytes below the
 * stack pointer without moving it (the "red zone").
 */
const RED_ZONE_MARGIN = 1024;

export interface GuardedPrism {
  bytes: Uint8Array<ArrayBuffer>;
  /** Lowest address the stack pointer may take. */
  stackLimit: number;
  /** Where the stack starts (its highest address). */
  stackHigh: number;
}

/** The module with its stack pointer bounded; throws when the module is not laid out as expected. */
export function guardStackPointer(wasm: Uint8Array): GuardedPrism {
  const sections = readSections(wasm);
  const section = (id: number) => sections.find((s) => s.id === id);
  const [types, imports, functions, globals, exports, code, data] = [1, 2, 3, 6, 7, 10, 11].map(section);
  if (!types || !functions || !globals || !exports || !code || !data) throw new Error('prism.wasm: a section is missing');

  const exported = readExports(wasm, exports);
  const globalInits = readGlobals(wasm, globals);
  const stackLow = exportedGlobal(exported, globalInits, '__stack_low');
  const stackHigh = exportedGlobal(exported, globalInits, '__stack_high');
  const sp = globalInits[0];
  if (!sp?.mutable || sp.init !== stackHigh) throw new Error('prism.wasm: global 0 is not the stack pointer');
  if (lowestDataAddress(wasm, data) < STACK_GUARD_MARKER + 4 || stackLow < STACK_GUARD_MARKER + 4) throw new Error('prism.wasm: no free memory for the guard marker');
  const stackLimit = stackLow + RED_ZONE_MARGIN;

  // The added function is (i32) -> (): reuse such a type, or add one.
  const typeList = readTypes(wasm, types);
  let typeIndex = typeList.findIndex((t) => t === '7f:');
  const newType = typeIndex >= 0 ? undefined : appendToVector(wasm, types, Uint8Array.from([0x60, 1, 0x7f, 0]));
  if (typeIndex < 0) typeIndex = typeList.length;
  const guardIndex = importedFunctionCount(wasm, imports) + vectorLength(wasm, functions);

  const guardBody = Uint8Array.from([
    0x00, // no locals
    0x20, 0x00, 0x41, ...sleb(stackLimit), 0x49, // local.get 0; i32.const limit; i32.lt_u
    0x20, 0x00, 0x41, ...sleb(stackHigh), 0x4b, 0x72, // local.get 0; i32.const high; i32.gt_u; i32.or
    0x04, 0x40, 0x41, ...sleb(STACK_GUARD_MARKER), 0x41, 0x01, 0x36, 0x02, 0x00, 0x00, 0x0b, // if: store 1 at the marker; unreachable; end
    0x20, 0x00, 0x24, 0x00, 0x0b, // local.get 0; global.set 0; end
  ]);

  const replaced = new Map<number, Uint8Array>([
    [3, appendToVector(wasm, functions, Uint8Array.from(uleb(typeIndex)))],
    [10, rewriteCode(wasm, code, guardIndex, guardBody)],
  ]);
  if (newType) replaced.set(1, newType);
  const out = new ByteSink();
  out.add(wasm.subarray(0, 8));
  for (const s of sections) {
    const payload = replaced.get(s.id);
    if (!payload) { out.add(wasm.subarray(s.headerStart, s.end)); continue; }
    out.add([s.id, ...uleb(payload.length)]);
    out.add(payload);
  }
  return { bytes: out.bytes(), stackLimit, stackHigh };
}

interface Section { id: number; headerStart: number; start: number; end: number }

function readSections(b: Uint8Array): Section[] {
  if (b[0] !== 0 || b[1] !== 0x61 || b[2] !== 0x73 || b[3] !== 0x6d) throw new Error('prism.wasm: not a wasm module');
  const out: Section[] = [];
  const r = new Reader(b, 8);
  while (r.p < b.length) {
    const headerStart = r.p;
    const id = b[r.p++];
    const size = r.u32();
    out.push({ id, headerStart, start: r.p, end: r.p + size });
    r.p += size;
  }
  return out;
}

function readTypes(b: Uint8Array, s: Section): string[] {
  const r = new Reader(b, s.start);
  const out: string[] = [];
  for (let n = r.u32(); n > 0; n--) {
    if (b[r.p++] !== 0x60) throw new Error('prism.wasm: unexpected type form');
    const params = r.bytes(r.u32());
    const results = r.bytes(r.u32());
    out.push(`${[...params].map((x) => x.toString(16)).join(',')}:${[...results].map((x) => x.toString(16)).join(',')}`);
  }
  return out;
}

function importedFunctionCount(b: Uint8Array, s: Section | undefined): number {
  if (!s) return 0;
  const r = new Reader(b, s.start);
  let functions = 0;
  for (let n = r.u32(); n > 0; n--) {
    r.skip(r.u32()); r.skip(r.u32()); // module and field names
    const kind = b[r.p++];
    if (kind === 0) { r.u32(); functions++; } else if (kind === 3) throw new Error('prism.wasm: an imported global would shift global 0');
    else if (kind === 1) { r.p++; limits(r); } else if (kind === 2) limits(r);
    else throw new Error('prism.wasm: unexpected import kind');
  }
  return functions;
}

function limits(r: Reader): void {
  const flags = r.b[r.p++];
  r.u32();
  if (flags & 1) r.u32();
}

function readExports(b: Uint8Array, s: Section): Map<string, { kind: number; index: number }> {
  const r = new Reader(b, s.start);
  const out = new Map<string, { kind: number; index: number }>();
  for (let n = r.u32(); n > 0; n--) {
    const name = new TextDecoder().decode(r.bytes(r.u32()));
    const kind = b[r.p++];
    out.set(name, { kind, index: r.u32() });
  }
  return out;
}

/** Each global's mutability and its `i32.const` initial value (undefined for other initialisers). */
function readGlobals(b: Uint8Array, s: Section): { mutable: boolean; init?: number }[] {
  const r = new Reader(b, s.start);
  const out: { mutable: boolean; init?: number }[] = [];
  for (let n = r.u32(); n > 0; n--) {
    const type = b[r.p++];
    const mutable = b[r.p++] === 1;
    let init: number | undefined;
    if (type === 0x7f && b[r.p] === 0x41) { r.p++; init = r.s32(); }
    while (b[r.p] !== 0x0b) r.p = nextInstruction(b, r.p);
    r.p++;
    out.push({ mutable, init });
  }
  return out;
}

function exportedGlobal(exported: Map<string, { kind: number; index: number }>, inits: { init?: number }[], name: string): number {
  const e = exported.get(name);
  const value = e?.kind === 3 ? inits[e.index]?.init : undefined;
  if (value === undefined) throw new Error(`prism.wasm: no ${name}`);
  return value;
}

function lowestDataAddress(b: Uint8Array, s: Section): number {
  const r = new Reader(b, s.start);
  let lowest = Infinity;
  for (let n = r.u32(); n > 0; n--) {
    const flags = r.u32();
    if (flags === 2) r.u32();
    if (flags !== 1) {
      if (b[r.p++] !== 0x41) throw new Error('prism.wasm: unexpected data segment offset');
      lowest = Math.min(lowest, r.s32());
      if (b[r.p++] !== 0x0b) throw new Error('prism.wasm: unexpected data segment offset');
    }
    r.skip(r.u32());
  }
  return lowest;
}

function vectorLength(b: Uint8Array, s: Section): number {
  return new Reader(b, s.start).u32();
}

/** A vector section's payload with one more element at its end. */
function appendToVector(b: Uint8Array, s: Section, element: Uint8Array): Uint8Array {
  const r = new Reader(b, s.start);
  const count = r.u32();
  const out = new ByteSink();
  out.add(uleb(count + 1));
  out.add(b.subarray(r.p, s.end));
  out.add(element);
  return out.bytes();
}

/** The code section's payload with every `global.set 0` made a call of the guard, and the guard's body appended. */
function rewriteCode(b: Uint8Array, s: Section, guardIndex: number, guardBody: Uint8Array): Uint8Array {
  const r = new Reader(b, s.start);
  const count = r.u32();
  const call = Uint8Array.from([0x10, ...uleb(guardIndex)]);
  const out = new ByteSink();
  out.add(uleb(count + 1));
  for (let i = 0; i < count; i++) {
    const size = r.u32();
    const start = r.p;
    const end = start + size;
    for (let groups = r.u32(); groups > 0; groups--) { r.u32(); r.p++; } // locals
    const sets: number[] = []; // [start, end) of each global.set 0
    let p = r.p;
    let grows = 0;
    while (p < end) {
      const at = p;
      p = nextInstruction(b, p);
      if (b[at] !== 0x24 || new Reader(b, at + 1).u32() !== 0) continue; // not global.set 0
      sets.push(at, p);
      grows += call.length - (p - at);
    }
    if (p !== end) throw new Error(`prism.wasm: function ${i} did not decode to its end`);
    out.add(uleb(size + grows));
    let copied = start;
    for (let k = 0; k < sets.length; k += 2) {
      out.add(b.subarray(copied, sets[k]));
      out.add(call);
      copied = sets[k + 1];
    }
    out.add(b.subarray(copied, end));
    r.p = end;
  }
  out.add(uleb(guardBody.length));
  out.add(guardBody);
  return out.bytes();
}

/** Pieces of a byte string, joined once at the end. */
class ByteSink {
  private readonly parts: Uint8Array[] = [];
  private size = 0;
  add(part: Uint8Array | number[]): void {
    const bytes = part instanceof Uint8Array ? part : Uint8Array.from(part);
    this.parts.push(bytes);
    this.size += bytes.length;
  }
  bytes(): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) { out.set(p, at); at += p.length; }
    return out;
  }
}

/** What follows each opcode (0: an opcode the guard does not know). */
const enum Imm { Unknown, None, Leb, TwoLebs, BrTable, TypedSelect, MemArg, Bytes4, Bytes8, Prefixed }

const IMMEDIATES = (() => {
  const t = new Uint8Array(256);
  const set = (kind: Imm, ...ops: number[]) => { for (const op of ops) t[op] = kind; };
  const range = (kind: Imm, from: number, to: number) => { for (let op = from; op <= to; op++) t[op] = kind; };
  set(Imm.None, 0x00, 0x01, 0x05, 0x0b, 0x0f, 0x1a, 0x1b, 0xd1);
  range(Imm.None, 0x45, 0xc4); // numeric operators, sign extension
  range(Imm.Leb, 0x02, 0x04); // block, loop, if: a block type
  set(Imm.Leb, 0x0c, 0x0d, 0x10, 0x3f, 0x40, 0x41, 0x42, 0xd0, 0xd2);
  range(Imm.Leb, 0x20, 0x26); // locals, globals, tables
  set(Imm.BrTable, 0x0e);
  set(Imm.TwoLebs, 0x11); // call_indirect
  set(Imm.TypedSelect, 0x1c);
  range(Imm.MemArg, 0x28, 0x3e);
  set(Imm.Bytes4, 0x43);
  set(Imm.Bytes8, 0x44);
  set(Imm.Prefixed, 0xfc);
  return t;
})();

/** The offset after the instruction at `p`, immediates included (the instruction set this module uses). */
function nextInstruction(b: Uint8Array, p: number): number {
  const op = b[p++];
  switch (IMMEDIATES[op] as Imm) {
    case Imm.None: return p;
    case Imm.Leb: return skipLeb(b, p);
    case Imm.TwoLebs: return skipLeb(b, skipLeb(b, p));
    case Imm.Bytes4: return p + 4;
    case Imm.Bytes8: return p + 8;
    case Imm.MemArg: { const memoryIndex = b[p] & 0x40; p = skipLeb(b, p); if (memoryIndex) p = skipLeb(b, p); return skipLeb(b, p); }
    case Imm.BrTable: { const r = new Reader(b, p); for (let n = r.u32(); n >= 0; n--) r.leb(); return r.p; } // labels and the default
    case Imm.TypedSelect: { const r = new Reader(b, p); const n = r.u32(); return r.p + n; }
    case Imm.Prefixed: {
      const r = new Reader(b, p);
      const sub = r.u32();
      if (sub <= 7) return r.p; // saturating truncations
      if (sub === 8 || sub === 10 || sub === 12 || sub === 14) return skipLeb(b, skipLeb(b, r.p));
      if (sub === 9 || sub === 11 || sub === 13 || (sub >= 15 && sub <= 17)) return skipLeb(b, r.p);
      break;
    }
    case Imm.Unknown: break;
  }
  throw new Error(`prism.wasm: instruction 0x${op.toString(16)} at ${p - 1} is not known to the stack guard`);
}

function skipLeb(b: Uint8Array, p: number): number {
  while (b[p++] & 0x80);
  return p;
}

class Reader {
  constructor(readonly b: Uint8Array, public p: number) {}
  u32(): number {
    let result = 0, shift = 0, byte: number;
    do { byte = this.b[this.p++]; result += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
    return result;
  }
  s32(): number {
    let result = 0, shift = 0, byte: number;
    do { byte = this.b[this.p++]; result |= (byte & 0x7f) << shift; shift += 7; } while (byte & 0x80);
    return shift < 32 && byte & 0x40 ? result | (-1 << shift) : result;
  }
  leb(): void { while (this.b[this.p++] & 0x80); }
  skip(n: number): void { this.p += n; }
  bytes(n: number): Uint8Array { const out = this.b.subarray(this.p, this.p + n); this.p += n; return out; }
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do { let byte = n & 0x7f; n = Math.floor(n / 128); if (n) byte |= 0x80; out.push(byte); } while (n);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) { out.push(byte); return out; }
    out.push(byte | 0x80);
  }
}
