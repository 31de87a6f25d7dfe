/**
 * The common methods of Ruby's core classes (String, Symbol, Integer, Float, Array, Hash, Range, nil)
 * as recipes use them. Returns undefined for a method it does not know, so the caller can say why.
 */
import {
  type Value, type CallContext, NIL, TRUE, FALSE, str, sym, int, arr, bool, unknown, hashOf, hashGet,
  truthy, findUnknown, toS, inspect, rubyEquals, rubyClassOf, hashKey,
} from './values';

/** Ruby regexp source in JavaScript terms (\\A, \\z, \\h), or undefined when JavaScript cannot express it. */
export function safeRegex(source: string, flags: string): RegExp | undefined {
  try {
    const js = source.replace(/\\A/g, '^').replace(/\\[zZ]/g, '$').replace(/\\h/g, '[0-9a-fA-F]').replace(/\(\?<(\w+)>/g, '(?<$1>');
    return new RegExp(js, (flags.includes('i') ? 'i' : '') + (flags.includes('m') ? 's' : '') + 'm');
  } catch {
    return undefined;
  }
}

/** The elements of an integer or single-character range, or undefined when it is too long or not enumerable. */
export function rangeItems(r: Extract<Value, { k: 'range' }>, limit = 100_000): Value[] | undefined {
  if (r.from.k === 'int' && r.to.k === 'int') {
    const end = r.exclusive ? r.to.v - 1 : r.to.v;
    if (end - r.from.v > limit) return undefined;
    const out: Value[] = [];
    for (let i = r.from.v; i <= end; i++) out.push(int(i));
    return out;
  }
  if (r.from.k === 'str' && r.to.k === 'str' && r.from.v.length === 1 && r.to.v.length === 1) {
    const out: Value[] = [];
    const end = r.to.v.charCodeAt(0) - (r.exclusive ? 1 : 0);
    for (let c = r.from.v.charCodeAt(0); c <= end; c++) out.push(str(String.fromCharCode(c)));
    return out;
  }
  return undefined;
}


/** Methods that take a block and call it per element: over an unknown receiver the body still runs once. */
export const ITERATORS = new Set([
  'each', 'each_with_index', 'each_with_object', 'each_pair', 'each_key', 'each_value', 'map', 'collect', 'flat_map',
  'select', 'filter', 'reject', 'find', 'detect', 'any?', 'all?', 'none?', 'times', 'upto', 'downto', 'each_slice',
  'map!', 'select!', 'reject!', 'filter_map', 'sort_by', 'group_by', 'min_by', 'max_by', 'sum', 'count', 'step', 'partition',
]);

type Ctx = CallContext;

export function callValueMethod(recv: Value, name: string, args: Value[], ctx: Ctx): Value | undefined {
  const generic = genericMethod(recv, name, args);
  if (generic !== undefined) return generic;
  switch (recv.k) {
    case 'str': return stringMethod(recv.v, name, args, ctx);
    case 'sym': return symbolMethod(recv.v, name, args, ctx);
    case 'int': case 'float': return numberMethod(recv, name, args, ctx);
    case 'array': return arrayMethod(recv.items, name, args, ctx);
    case 'hash': return hashMethod(recv, name, args, ctx);
    case 'range': {
      const items = rangeItems(recv);
      if (name === 'include?' || name === 'cover?' || name === 'member?' || name === '===') {
        const x = args[0];
        if ((x?.k === 'int' || x?.k === 'float') && (recv.from.k === 'int' || recv.from.k === 'float') && (recv.to.k === 'int' || recv.to.k === 'float')) {
          return bool(x.v >= recv.from.v && (recv.exclusive ? x.v < recv.to.v : x.v <= recv.to.v));
        }
        return undefined;
      }
      if (name === 'first' && args.length === 0) return recv.from;
      if (name === 'last' && args.length === 0) return recv.to;
      return items ? arrayMethod(items, name, args, ctx) : undefined;
    }
    case 'nil':
      switch (name) {
        case 'to_a': return arr([]);
        case 'to_s': return str('');
        case 'to_i': return int(0);
        case 'to_h': return hashOf([]);
        case 'empty?': return undefined;
        default: return undefined;
      }
    case 'regexp':
      if (name === 'match?' || name === '=~' || name === 'match' || name === '===') {
        const s = args[0];
        if (s?.k !== 'str' && s?.k !== 'sym') return s?.k === 'unknown' ? s : undefined;
        const re = safeRegex(recv.source, recv.flags);
        if (!re) return undefined;
        const at = s.v.search(re);
        return name === '=~' ? (at >= 0 ? int(at) : NIL) : name === 'match' ? (at >= 0 ? TRUE : NIL) : bool(at >= 0);
      }
      if (name === 'source') return str(recv.source);
      return undefined;
    case 'proc': case 'lazy':
      if (name === 'call' || name === '()' || name === '[]' || name === 'yield') return ctx.callProc(recv, args);
      return undefined;
    default: return undefined;
  }
}

function genericMethod(recv: Value, name: string, args: Value[]): Value | undefined {
  switch (name) {
    case 'nil?': return bool(recv.k === 'nil');
    case 'to_s': return recv.k === 'object' ? undefined : str(toS(recv));
    case 'inspect': return recv.k === 'object' ? undefined : str(inspect(recv));
    case 'frozen?': return TRUE;
    case 'freeze': case 'dup': case 'clone': case 'itself': case 'to_json_safe': return recv;
    case '!': { const t = truthy(recv); return t === undefined ? undefined : bool(!t); }
    case 'is_a?': case 'kind_of?': case 'instance_of?': {
      const c = args[0];
      if (c?.k !== 'object' || c.obj.className !== 'Class') return undefined;
      const want = c.obj.describe();
      return bool(classMatches(rubyClassOf(recv), want));
    }
    case 'class': return undefined;
    case 'respond_to?': return undefined;
    case 'tap': return undefined;
    case 'eql?': case 'equal?': { const e = rubyEquals(recv, args[0] ?? NIL); return e === undefined ? undefined : bool(e); }
    default: return undefined;
  }
}

/** Whether a value of Ruby class `actual` is_a? `wanted`. */
export function classMatches(actual: string, wanted: string): boolean {
  const w = wanted.replace(/^::/, '');
  if (actual === w || w === 'Object' || w === 'BasicObject') return true;
  if (w === 'Numeric') return actual === 'Integer' || actual === 'Float';
  if (w === 'Enumerable') return actual === 'Array' || actual === 'Hash' || actual === 'Range';
  if (w === 'Comparable') return actual === 'String' || actual === 'Integer' || actual === 'Float';
  return false;
}

function needStrings(args: Value[]): string[] | Value {
  const out: string[] = [];
  for (const a of args) {
    if (a.k === 'str' || a.k === 'sym') out.push(a.v);
    else if (a.k === 'unknown') return a;
    else return unknown('argument is not a string');
  }
  return out;
}

function stringMethod(s: string, name: string, args: Value[], ctx: Ctx): Value | undefined {
  const u = args.map((a) => findUnknown(a)).find(Boolean);
  if (u) return unknown(u.reason, u.loc);
  const a0 = args[0];
  switch (name) {
    case '+': return a0?.k === 'str' ? str(s + a0.v) : undefined;
    case '*': return a0?.k === 'int' ? str(s.repeat(Math.max(0, Math.min(a0.v, 100000)))) : undefined;
    case '%': {
      const vals = a0?.k === 'array' ? a0.items : [a0 ?? NIL];
      let i = 0;
      return str(s.replace(/%([-0-9.]*)([sdfo%])/g, (_m, _w, c) => (c === '%' ? '%' : toS(vals[i++] ?? NIL))));
    }
    case '<<': case 'concat': return a0?.k === 'str' ? str(s + a0.v) : undefined;
    case '==': case 'eql?': return bool(a0?.k === 'str' && a0.v === s);
    case '<=>': return a0?.k === 'str' ? int(s < a0.v ? -1 : s > a0.v ? 1 : 0) : NIL;
    case '<': case '>': case '<=': case '>=':
      if (a0?.k !== 'str') return undefined;
      return bool(name === '<' ? s < a0.v : name === '>' ? s > a0.v : name === '<=' ? s <= a0.v : s >= a0.v);
    case '=~': case 'match?': case 'match': {
      if (a0?.k === 'regexp') {
        const re = safeRegex(a0.source, a0.flags);
        if (!re) return undefined;
        const at = s.search(re);
        return name === '=~' ? (at >= 0 ? int(at) : NIL) : name === 'match' ? (at >= 0 ? TRUE : NIL) : bool(at >= 0);
      }
      if (a0?.k === 'str') { const m = s.includes(a0.v); return name === '=~' ? (m ? int(s.indexOf(a0.v)) : NIL) : bool(m); }
      return undefined;
    }
    case 'to_s': case 'to_str': case 'dup': case 'strip!': return str(s);
    case 'to_sym': case 'intern': return sym(s);
    case 'to_i': { const m = /^\s*[-+]?\d+/.exec(s.replace(/_/g, '')); return int(m ? parseInt(m[0], 10) : 0); }
    case 'to_f': { const f = parseFloat(s); return { k: 'float', v: isNaN(f) ? 0 : f }; }
    case 'oct': return int(parseInt(s.replace(/^0o?/, ''), 8) || 0);
    case 'hex': return int(parseInt(s, 16) || 0);
    case 'upcase': return str(s.toUpperCase());
    case 'downcase': return str(s.toLowerCase());
    case 'capitalize': return str(s.charAt(0).toUpperCase() + s.slice(1).toLowerCase());
    case 'swapcase': return str([...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''));
    case 'strip': return str(s.trim());
    case 'lstrip': return str(s.trimStart());
    case 'rstrip': return str(s.trimEnd());
    case 'chomp': return a0?.k === 'str' ? str(s.endsWith(a0.v) ? s.slice(0, -a0.v.length) : s) : str(s.replace(/\r?\n$/, ''));
    case 'chop': return str(s.slice(0, -1));
    case 'chars': return arr([...s].map(str));
    case 'bytes': return arr([...new TextEncoder().encode(s)].map(int));
    case 'lines': return arr(s.split(/(?<=\n)/).filter((l) => l.length).map(str));
    case 'length': case 'size': return int([...s].length);
    case 'bytesize': return int(new TextEncoder().encode(s).length);
    case 'empty?': return bool(s.length === 0);
    case 'reverse': return str([...s].reverse().join(''));
    case 'include?': return a0?.k === 'str' ? bool(s.includes(a0.v)) : undefined;
    case 'start_with?': { const p = needStrings(args); return Array.isArray(p) ? bool(p.some((x) => s.startsWith(x))) : args.some((a) => a.k === 'regexp') ? undefined : p; }
    case 'end_with?': { const p = needStrings(args); return Array.isArray(p) ? bool(p.some((x) => s.endsWith(x))) : p; }
    case 'delete_prefix': return a0?.k === 'str' ? str(s.startsWith(a0.v) ? s.slice(a0.v.length) : s) : undefined;
    case 'delete_suffix': return a0?.k === 'str' ? str(s.endsWith(a0.v) ? s.slice(0, -a0.v.length) : s) : undefined;
    case 'split': {
      if (!a0 || (a0.k === 'str' && a0.v === ' ')) return arr(s.trim().split(/\s+/).filter(Boolean).map(str));
      if (a0.k === 'str') { const parts = s.split(a0.v); while (parts.length && parts[parts.length - 1] === '') parts.pop(); return arr(parts.map(str)); }
      if (a0.k === 'regexp') { const re = safeRegex(a0.source, a0.flags); if (!re) return undefined; const parts = s.split(new RegExp(re.source, re.flags.replace('m', ''))); while (parts.length && parts[parts.length - 1] === '') parts.pop(); return arr(parts.map(str)); }
      return undefined;
    }
    case 'sub': case 'gsub': case 'sub!': case 'gsub!': case 'tr': case 'delete': {
      if (name === 'tr') {
        if (a0?.k !== 'str' || args[1]?.k !== 'str') return undefined;
        const from = expandTr(a0.v), to = expandTr((args[1] as { v: string }).v);
        return str([...s].map((c) => { const i = from.indexOf(c); return i < 0 ? c : (to[Math.min(i, to.length - 1)] ?? ''); }).join(''));
      }
      if (name === 'delete') return a0?.k === 'str' ? str([...s].filter((c) => !expandTr(a0.v).includes(c)).join('')) : undefined;
      const rep = args[1];
      if (!rep || (rep.k !== 'str' && rep.k !== 'hash')) return undefined;
      const global = name.startsWith('gsub');
      let re: RegExp | undefined;
      if (a0?.k === 'regexp') { const r = safeRegex(a0.source, a0.flags); if (!r) return undefined; re = new RegExp(r.source, r.flags.replace('m', '') + (global ? 'g' : '')); }
      else if (a0?.k === 'str') re = new RegExp(a0.v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), global ? 'g' : '');
      if (!re) return undefined;
      if (rep.k === 'hash') return str(s.replace(re, (m) => { const v = hashGet(rep, str(m)); return v ? toS(v) : ''; }));
      return str(s.replace(re, rep.v.replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1')));
    }
    case 'squeeze': return str(s.replace(/(.)\1+/g, '$1'));
    case 'ljust': case 'rjust': case 'center': {
      if (a0?.k !== 'int') return undefined;
      const pad = args[1]?.k === 'str' ? args[1].v : ' ';
      return str(name === 'ljust' ? s.padEnd(a0.v, pad) : name === 'rjust' ? s.padStart(a0.v, pad) : s.padStart(Math.floor((a0.v + s.length) / 2), pad).padEnd(a0.v, pad));
    }
    case '[]': case 'slice': {
      if (a0?.k === 'int') { const i = a0.v < 0 ? s.length + a0.v : a0.v; if (args[1]?.k === 'int') return str(s.substr(i, args[1].v)); return i < s.length && i >= 0 ? str(s[i]) : NIL; }
      if (a0?.k === 'range' && a0.from.k === 'int' && a0.to.k === 'int') { const from = a0.from.v < 0 ? s.length + a0.from.v : a0.from.v; let to = a0.to.v < 0 ? s.length + a0.to.v : a0.to.v; if (!a0.exclusive) to++; return str(s.slice(from, to)); }
      if (a0?.k === 'str') return s.includes(a0.v) ? str(a0.v) : NIL;
      if (a0?.k === 'regexp') { const m = safeRegex(a0.source, a0.flags)?.exec(s); return m ? str(m[args[1]?.k === 'int' ? args[1].v : 0] ?? '') : NIL; }
      return undefined;
    }
    case 'index': return a0?.k === 'str' ? (s.indexOf(a0.v) >= 0 ? int(s.indexOf(a0.v)) : NIL) : undefined;
    case 'count': return a0?.k === 'str' ? int([...s].filter((c) => expandTr(a0.v).includes(c)).length) : undefined;
    case 'succ': case 'next': return undefined;
    case 'scan': {
      if (a0?.k !== 'regexp' && a0?.k !== 'str') return undefined;
      const re = a0.k === 'regexp' ? safeRegex(a0.source, a0.flags) : new RegExp(a0.v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      if (!re) return undefined;
      const all = [...s.matchAll(new RegExp(re.source, re.flags.replace('m', '') + 'g'))];
      return arr(all.map((m) => (m.length > 1 ? arr(m.slice(1).map((x) => (x === undefined ? NIL : str(x)))) : str(m[0]))));
    }
    case 'each_line': case 'each_char': {
      if (!ctx.block) return undefined;
      const parts = name === 'each_line' ? s.split(/(?<=\n)/).filter((l) => l.length) : [...s];
      for (const p of parts) ctx.callProc(ctx.block, [str(p)]);
      return str(s);
    }
    case 'unpack1': case 'unpack': case 'encode': case 'force_encoding': case 'unicode_normalize': return str(s);
    case 'shellescape': return str(/^[A-Za-z0-9_\-.,:\/@]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'");
    case 'to_json': return str(JSON.stringify(s));
    default: return undefined;
  }
}

function expandTr(spec: string): string {
  return spec.replace(/(.)-(.)/g, (_m, a: string, b: string) => {
    let out = '';
    for (let c = a.charCodeAt(0); c <= b.charCodeAt(0); c++) out += String.fromCharCode(c);
    return out;
  });
}

function symbolMethod(s: string, name: string, args: Value[], ctx: Ctx): Value | undefined {
  switch (name) {
    case 'to_s': case 'id2name': case 'name': return str(s);
    case 'to_sym': return sym(s);
    case 'to_proc': return undefined;
    case '==': return bool(args[0]?.k === 'sym' && args[0].v === s);
    case '<=>': return args[0]?.k === 'sym' ? int(s < args[0].v ? -1 : s > args[0].v ? 1 : 0) : NIL;
    case 'length': case 'size': case 'upcase': case 'downcase': case 'capitalize': case 'start_with?': case 'end_with?': case 'empty?': {
      const r = stringMethod(s, name, args, ctx);
      return r?.k === 'str' ? sym(r.v) : r;
    }
    default: return undefined;
  }
}

function numberMethod(n: Extract<Value, { k: 'int' | 'float' }>, name: string, args: Value[], ctx: Ctx): Value | undefined {
  const a0 = args[0];
  if (a0?.k === 'unknown') return a0;
  const x = n.v;
  const other = a0 && (a0.k === 'int' || a0.k === 'float') ? a0 : undefined;
  const num = (v: number, isFloat = n.k === 'float' || other?.k === 'float'): Value => (isFloat ? { k: 'float', v } : int(Math.trunc(v)));
  switch (name) {
    case '+': return other ? num(x + other.v) : undefined;
    case '-': return other ? num(x - other.v) : undefined;
    case '*': return other ? num(x * other.v) : undefined;
    case '/': return other ? (other.v === 0 && n.k === 'int' && other.k === 'int' ? unknown('division by zero') : num(n.k === 'int' && other.k === 'int' ? Math.floor(x / other.v) : x / other.v)) : undefined;
    case '%': case 'modulo': return other && other.v !== 0 ? num(((x % other.v) + other.v) % other.v) : undefined;
    case '**': return other ? num(x ** other.v) : undefined;
    case '-@': return num(-x);
    case '<': return other ? bool(x < other.v) : undefined;
    case '>': return other ? bool(x > other.v) : undefined;
    case '<=': return other ? bool(x <= other.v) : undefined;
    case '>=': return other ? bool(x >= other.v) : undefined;
    case '<=>': return other ? int(x < other.v ? -1 : x > other.v ? 1 : 0) : NIL;
    case '==': return bool(other !== undefined && other.v === x);
    case '&': return other ? int(x & other.v) : undefined;
    case '|': return other ? int(x | other.v) : undefined;
    case 'to_i': case 'to_int': case 'floor': case 'truncate': return int(Math.floor(x));
    case 'ceil': return int(Math.ceil(x));
    case 'round': return a0?.k === 'int' ? { k: 'float', v: Number(x.toFixed(a0.v)) } : int(Math.round(x));
    case 'to_f': return { k: 'float', v: x };
    case 'to_s': return a0?.k === 'int' ? str(x.toString(a0.v)) : undefined;
    case 'abs': return num(Math.abs(x));
    case 'zero?': return bool(x === 0);
    case 'positive?': return bool(x > 0);
    case 'negative?': return bool(x < 0);
    case 'even?': return bool(x % 2 === 0);
    case 'odd?': return bool(Math.abs(x % 2) === 1);
    case 'succ': case 'next': return num(x + 1);
    case 'pred': return num(x - 1);
    case 'between?': return args[0] && args[1] && 'v' in args[0] && 'v' in args[1] ? bool(x >= (args[0].v as number) && x <= (args[1].v as number)) : undefined;
    case 'clamp': return args[0]?.k === 'int' && args[1]?.k === 'int' ? num(Math.min(Math.max(x, args[0].v), args[1].v)) : undefined;
    case 'times': case 'upto': case 'downto': {
      if (!ctx.block) return undefined;
      const end = name === 'times' ? x - 1 : other?.v;
      if (end === undefined) return undefined;
      const step = name === 'downto' ? -1 : 1;
      const start = name === 'times' ? 0 : x;
      let count = 0;
      for (let i = start; step > 0 ? i <= end : i >= end; i += step) {
        if (++count > 5000) return unknown('loop too long to evaluate');
        ctx.callProc(ctx.block, [int(i)]);
      }
      return n;
    }
    case 'integer?': return bool(n.k === 'int');
    case 'to_r': case 'rationalize': return undefined;
    default: return undefined;
  }
}

function arrayMethod(items: Value[], name: string, args: Value[], ctx: Ctx): Value | undefined {
  const a0 = args[0];
  const call = (v: Value[]): Value => ctx.callProc(ctx.block!, v);
  const withBlock = !!ctx.block;
  switch (name) {
    case 'length': case 'size': return int(items.length);
    case 'count': return withBlock ? countTruthy(items.map((i) => call([i]))) : a0 ? int(items.filter((i) => rubyEquals(i, a0) === true).length) : int(items.length);
    case 'empty?': return bool(items.length === 0);
    case 'any?': if (!withBlock) return a0 ? undefined : anyTruthy(items); return anyTruthy(items.map((i) => call([i])));
    case 'all?': return withBlock ? allTruthy(items.map((i) => call([i]))) : allTruthy(items);
    case 'none?': { const r = withBlock ? anyTruthy(items.map((i) => call([i]))) : anyTruthy(items); return r.k === 'bool' ? bool(!r.v) : r; }
    case 'first': return a0?.k === 'int' ? arr(items.slice(0, a0.v)) : items[0] ?? NIL;
    case 'last': return a0?.k === 'int' ? arr(items.slice(-a0.v)) : items[items.length - 1] ?? NIL;
    case '[]': case 'at': case 'slice': case 'dig': {
      if (a0?.k === 'int') {
        const v = items[a0.v < 0 ? items.length + a0.v : a0.v] ?? NIL;
        if (name === 'dig' && args.length > 1) return v.k === 'array' ? arrayMethod(v.items, 'dig', args.slice(1), ctx) : v.k === 'hash' ? hashMethod(v, 'dig', args.slice(1), ctx) : v.k === 'nil' ? NIL : undefined;
        if (args[1]?.k === 'int') return arr(items.slice(a0.v, a0.v + args[1].v));
        return v;
      }
      if (a0?.k === 'range' && a0.from.k === 'int' && a0.to.k === 'int') { const from = a0.from.v; let to = a0.to.v < 0 ? items.length + a0.to.v : a0.to.v; if (!a0.exclusive) to++; return arr(items.slice(from, to)); }
      return a0?.k === 'unknown' ? a0 : undefined;
    }
    case 'fetch': return a0?.k === 'int' ? items[a0.v] ?? args[1] ?? unknown('index out of range') : undefined;
    case '+': case 'concat': return a0?.k === 'array' ? arr([...items, ...a0.items]) : undefined;
    case '-': return a0?.k === 'array' ? arr(items.filter((i) => !a0.items.some((j) => rubyEquals(i, j) === true))) : undefined;
    case '&': return a0?.k === 'array' ? arr(uniq(items.filter((i) => a0.items.some((j) => rubyEquals(i, j) === true)))) : undefined;
    case '|': return a0?.k === 'array' ? arr(uniq([...items, ...a0.items])) : undefined;
    case '*': return a0?.k === 'str' ? joinValues(items, a0.v) : a0?.k === 'int' ? arr(Array.from({ length: Math.min(a0.v, 1000) }, () => items).flat()) : undefined;
    case '<<': case 'push': case 'append': items.push(...args); return arr(items);
    case 'unshift': case 'prepend': items.unshift(...args); return arr(items);
    case 'pop': return items.pop() ?? NIL;
    case 'shift': return items.shift() ?? NIL;
    case 'include?': case 'member?': {
      let unknownSeen = false;
      for (const i of items) { const e = rubyEquals(i, a0 ?? NIL); if (e === true) return TRUE; if (e === undefined) unknownSeen = true; }
      return unknownSeen ? unknown(findUnknown(arr(items))?.reason ?? findUnknown(a0 ?? NIL)?.reason ?? 'value not known') : FALSE;
    }
    case 'index': case 'find_index': { const i = items.findIndex((x) => rubyEquals(x, a0 ?? NIL) === true); return i >= 0 ? int(i) : NIL; }
    case 'join': { const u = findUnknown(arr(items)); if (u) return unknown(u.reason, u.loc); return joinValues(items, a0?.k === 'str' ? a0.v : ''); }
    case 'compact': return arr(items.filter((i) => i.k !== 'nil'));
    case 'flatten': return arr(flatten(items, a0?.k === 'int' ? a0.v : 64));
    case 'uniq': return arr(uniq(items));
    case 'reverse': return arr([...items].reverse());
    case 'sort': { if (withBlock) return undefined; const u = findUnknown(arr(items)); if (u) return unknown(u.reason); return arr([...items].sort(compareValues)); }
    case 'min': return items.length ? [...items].sort(compareValues)[0] : NIL;
    case 'max': return items.length ? [...items].sort(compareValues)[items.length - 1] : NIL;
    case 'sum': return withBlock ? sumValues(items.map((i) => call([i]))) : sumValues(items);
    case 'to_a': case 'entries': case 'to_ary': return arr(items);
    case 'to_h': return withBlock ? hashOf(items.map((i) => pairOf(call([i])))) : hashOf(items.map(pairOf));
    case 'zip': return a0?.k === 'array' ? arr(items.map((i, j) => arr([i, a0.items[j] ?? NIL]))) : undefined;
    case 'take': return a0?.k === 'int' ? arr(items.slice(0, a0.v)) : undefined;
    case 'drop': return a0?.k === 'int' ? arr(items.slice(a0.v)) : undefined;
    case 'sample': case 'shuffle': return unknown('random choice');
    case 'each': case 'each_entry': if (!withBlock) return undefined; for (const i of items) call([i]); return arr(items);
    case 'each_with_index': if (!withBlock) return undefined; items.forEach((i, j) => call([i, int(j)])); return arr(items);
    case 'each_with_object': if (!withBlock || !a0) return undefined; for (const i of items) call([i, a0]); return a0;
    case 'each_slice': {
      if (!withBlock || a0?.k !== 'int' || a0.v <= 0) return undefined;
      for (let i = 0; i < items.length; i += a0.v) call([arr(items.slice(i, i + a0.v))]);
      return NIL;
    }
    case 'map': case 'collect': case 'map!': case 'collect!': return withBlock ? arr(items.map((i) => call([i]))) : undefined;
    case 'flat_map': return withBlock ? arr(items.flatMap((i) => { const r = call([i]); return r.k === 'array' ? r.items : [r]; })) : undefined;
    case 'filter_map': return withBlock ? arr(items.map((i) => call([i])).filter((r) => truthy(r) !== false)) : undefined;
    case 'select': case 'filter': case 'select!': case 'keep_if': return withBlock ? filterBy(items, (i) => call([i]), true) : undefined;
    case 'reject': case 'reject!': case 'delete_if': return withBlock ? filterBy(items, (i) => call([i]), false) : undefined;
    case 'partition': {
      if (!withBlock) return undefined;
      const yes = filterBy(items, (i) => call([i]), true), no = filterBy(items, (i) => call([i]), false);
      return yes.k === 'array' && no.k === 'array' ? arr([yes, no]) : yes;
    }
    case 'find': case 'detect': {
      if (!withBlock) return undefined;
      for (const i of items) { const t = truthy(call([i])); if (t === true) return i; if (t === undefined) return unknown('block result not known'); }
      return NIL;
    }
    case 'group_by': {
      if (!withBlock) return undefined;
      const groups = new Map<string, [Value, Value[]]>();
      for (const i of items) { const k = call([i]); const key = inspect(k); if (!groups.has(key)) groups.set(key, [k, []]); groups.get(key)![1].push(i); }
      return hashOf([...groups.values()].map(([k, v]) => [k, arr(v)]));
    }
    case 'sort_by': case 'min_by': case 'max_by': {
      if (!withBlock) return undefined;
      const keyed = items.map((i) => ({ i, k: call([i]) }));
      if (keyed.some((x) => findUnknown(x.k))) return unknown('sort key not known');
      keyed.sort((a, b) => compareValues(a.k, b.k));
      if (name === 'min_by') return keyed[0]?.i ?? NIL;
      if (name === 'max_by') return keyed[keyed.length - 1]?.i ?? NIL;
      return arr(keyed.map((x) => x.i));
    }
    case 'inject': case 'reduce': {
      if (!withBlock) return a0?.k === 'sym' && a0.v === '+' ? sumValues(items) : undefined;
      let acc = args.length ? a0 : items[0];
      for (const i of args.length ? items : items.slice(1)) acc = call([acc ?? NIL, i]);
      return acc ?? NIL;
    }
    case 'tally': return hashOf(uniq(items).map((u) => [u, int(items.filter((i) => rubyEquals(i, u) === true).length)]));
    case 'each_cons': return undefined;
    case '==': return a0 ? bool(rubyEquals(arr(items), a0) === true) : undefined;
    case 'to_json': { const u = findUnknown(arr(items)); return u ? unknown(u.reason) : undefined; }
    default: return undefined;
  }
}

function hashMethod(h: Extract<Value, { k: 'hash' }>, name: string, args: Value[], ctx: Ctx): Value | undefined {
  const a0 = args[0];
  const entries = [...h.map.values()];
  const call = (v: Value[]): Value => ctx.callProc(ctx.block!, v);
  const withBlock = !!ctx.block;
  switch (name) {
    case '[]': return a0 ? hashGet(h, a0) ?? NIL : undefined;
    case 'fetch': {
      const v = a0 ? hashGet(h, a0) : undefined;
      if (v !== undefined) return v;
      if (args.length > 1) return args[1];
      if (withBlock) return call([a0 ?? NIL]);
      return unknown(`key ${inspect(a0 ?? NIL)} not found`);
    }
    case 'dig': {
      let cur: Value = h;
      for (const k of args) {
        if (cur.k === 'hash') cur = hashGet(cur, k) ?? NIL;
        else if (cur.k === 'array' && k.k === 'int') cur = cur.items[k.v] ?? NIL;
        else if (cur.k === 'nil') return NIL;
        else return undefined;
      }
      return cur;
    }
    case 'key?': case 'has_key?': case 'include?': case 'member?': return a0 ? bool(hashGet(h, a0) !== undefined) : undefined;
    case 'value?': case 'has_value?': return bool(entries.some((e) => rubyEquals(e.value, a0 ?? NIL) === true));
    case 'keys': return arr(entries.map((e) => e.key));
    case 'values': return arr(entries.map((e) => e.value));
    case 'length': case 'size': case 'count': return withBlock ? undefined : int(entries.length);
    case 'empty?': return bool(entries.length === 0);
    case 'to_h': case 'to_hash': return withBlock ? hashOf(entries.map((e) => pairOf(call([e.key, e.value])))) : h;
    case 'to_a': return arr(entries.map((e) => arr([e.key, e.value])));
    case 'merge': case 'update': case 'merge!': case 'deep_merge': {
      if (a0?.k !== 'hash') return a0?.k === 'unknown' ? a0 : undefined;
      const out = new Map(h.map);
      for (const [k, e] of a0.map) out.set(k, e);
      if (name === 'merge!' || name === 'update') { h.map.clear(); for (const [k, e] of out) h.map.set(k, e); return h; }
      return { k: 'hash', map: out };
    }
    case 'each': case 'each_pair': if (!withBlock) return undefined; for (const e of entries) call([e.key, e.value]); return h;
    case 'each_key': if (!withBlock) return undefined; for (const e of entries) call([e.key]); return h;
    case 'each_value': if (!withBlock) return undefined; for (const e of entries) call([e.value]); return h;
    case 'each_with_index': if (!withBlock) return undefined; entries.forEach((e, i) => call([arr([e.key, e.value]), int(i)])); return h;
    case 'map': case 'collect': case 'flat_map': {
      if (!withBlock) return undefined;
      const r = entries.map((e) => call([e.key, e.value]));
      return arr(name === 'flat_map' ? r.flatMap((x) => (x.k === 'array' ? x.items : [x])) : r);
    }
    case 'select': case 'filter': case 'reject': {
      if (!withBlock) return undefined;
      const keep = name !== 'reject';
      const out: [Value, Value][] = [];
      for (const e of entries) { const t = truthy(call([e.key, e.value])); if (t === undefined) return unknown('block result not known'); if (t === keep) out.push([e.key, e.value]); }
      return hashOf(out);
    }
    case 'any?': return withBlock ? anyTruthy(entries.map((e) => call([e.key, e.value]))) : bool(entries.length > 0);
    case 'all?': return withBlock ? allTruthy(entries.map((e) => call([e.key, e.value]))) : TRUE;
    case 'find': case 'detect': {
      if (!withBlock) return undefined;
      for (const e of entries) { const t = truthy(call([e.key, e.value])); if (t === true) return arr([e.key, e.value]); if (t === undefined) return unknown('block result not known'); }
      return NIL;
    }
    case 'transform_values': return withBlock ? hashOf(entries.map((e) => [e.key, call([e.value])])) : undefined;
    case 'transform_keys': return withBlock ? hashOf(entries.map((e) => [call([e.key]), e.value])) : undefined;
    case 'sort_by': return withBlock ? arrayMethod(entries.map((e) => arr([e.key, e.value])), 'sort_by', args, ctx) : undefined;
    case 'sort': return arrayMethod(entries.map((e) => arr([e.key, e.value])), 'sort', args, ctx);
    case 'sum': case 'inject': case 'reduce': case 'each_with_object': case 'min_by': case 'max_by': case 'group_by': case 'partition':
      return arrayMethod(entries.map((e) => arr([e.key, e.value])), name, args, ctx);
    case 'first': return entries[0] ? arr([entries[0].key, entries[0].value]) : NIL;
    case 'key': { const e = entries.find((x) => rubyEquals(x.value, a0 ?? NIL) === true); return e ? e.key : NIL; }
    case 'slice': return hashOf(entries.filter((e) => args.some((a) => rubyEquals(a, e.key) === true)).map((e) => [e.key, e.value]));
    case 'except': return hashOf(entries.filter((e) => !args.some((a) => rubyEquals(a, e.key) === true)).map((e) => [e.key, e.value]));
    case 'compact': return hashOf(entries.filter((e) => e.value.k !== 'nil').map((e) => [e.key, e.value]));
    case 'invert': return hashOf(entries.map((e) => [e.value, e.key]));
    case 'values_at': return arr(args.map((a) => hashGet(h, a) ?? NIL));
    case '[]=': case 'store': if (a0 && args[1]) h.map.set(hashKey(a0), { key: a0, value: args[1] }); return args[1] ?? NIL;
    case '[]||=': if (a0 && args[1] && !hashGet(h, a0)) h.map.set(hashKey(a0), { key: a0, value: args[1] }); return args[1] ?? NIL;
    case 'delete': { if (!a0) return undefined; const v = hashGet(h, a0); h.map.delete(hashKey(a0)); return v ?? NIL; }
    case '==': return a0 ? bool(rubyEquals(h, a0) === true) : undefined;
    case 'to_json': { const u = findUnknown(h); return u ? unknown(u.reason) : undefined; }
    case 'symbolize_keys': case 'stringify_keys': return hashOf(entries.map((e) => [name === 'symbolize_keys' ? sym(toS(e.key)) : str(toS(e.key)), e.value]));
    default: return undefined;
  }
}

function pairOf(v: Value): [Value, Value] {
  return v.k === 'array' && v.items.length >= 2 ? [v.items[0], v.items[1]] : [v, NIL];
}

function joinValues(items: Value[], sep: string): Value {
  return str(flatten(items, 64).map(toS).join(sep));
}

function flatten(items: Value[], depth: number): Value[] {
  return items.flatMap((i) => (i.k === 'array' && depth > 0 ? flatten(i.items, depth - 1) : [i]));
}

function uniq(items: Value[]): Value[] {
  const out: Value[] = [];
  for (const i of items) if (!out.some((o) => rubyEquals(o, i) === true)) out.push(i);
  return out;
}

function compareValues(a: Value, b: Value): number {
  if ((a.k === 'int' || a.k === 'float') && (b.k === 'int' || b.k === 'float')) return a.v - b.v;
  const sa = toS(a), sb = toS(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function sumValues(items: Value[]): Value {
  let total = 0;
  let float = false;
  for (const i of items) {
    if (i.k === 'unknown') return i;
    if (i.k !== 'int' && i.k !== 'float') return unknown('sum of non-numbers');
    if (i.k === 'float') float = true;
    total += i.v;
  }
  return float ? { k: 'float', v: total } : int(total);
}

function anyTruthy(values: Value[]): Value {
  let undecided: Value | undefined;
  for (const v of values) { const t = truthy(v); if (t === true) return TRUE; if (t === undefined) undecided = v; }
  return undecided ? unknown((undecided as { reason: string }).reason) : FALSE;
}

function allTruthy(values: Value[]): Value {
  let undecided: Value | undefined;
  for (const v of values) { const t = truthy(v); if (t === false) return FALSE; if (t === undefined) undecided = v; }
  return undecided ? unknown((undecided as { reason: string }).reason) : TRUE;
}

function countTruthy(values: Value[]): Value {
  if (values.some((v) => truthy(v) === undefined)) return unknown('block result not known');
  return int(values.filter((v) => truthy(v)).length);
}

function filterBy(items: Value[], test: (i: Value) => Value, keep: boolean): Value {
  const out: Value[] = [];
  for (const i of items) {
    const t = truthy(test(i));
    if (t === undefined) return unknown('block result not known');
    if (t === keep) out.push(i);
  }
  return arr(out);
}
