/**
 * Ruby standard library modules cookbooks call for values: `JSON` (parse, generate,
 * pretty_generate) and `Shellwords` (split, escape, join). Pure functions of their arguments.
 */
import { type Value, type RubyObject, type CallContext, str, arr, unknown, findUnknown, fromJson, hashOf, toS } from '../values';
import { callValueMethod } from '../rubyMethods';
import { raise } from '../core/args';
import { strResult } from '../core/limits';
import { BoundedText } from '../boundedText';

/**
 * Ruby data → JSON text (symbols as strings); undefined when it holds something JSON cannot say.
 * `strict` (JSON.generate) refuses keys and values that are not plain data; otherwise (`to_json`)
 * they are written as their `to_s`. The text stops growing past `TEXT_LIMIT`, and is then longer
 * than the limit (`strResult` answers "too large"), so a widely shared value never prints gigabytes.
 */
export function jsonText(v: Value, opts: { indent?: number; strict: boolean }): string | undefined {
  const out = new BoundedText();
  return writeJson(v, 0, out, opts.strict, opts.indent) ? out.text : undefined;
}

function writeJson(v: Value, depth: number, out: BoundedText, strict: boolean, indent: number | undefined): boolean {
  if (out.full) return true;
  if (depth > 64) return false;
  const breakAt = (level: number) => (indent === undefined ? '' : '\n' + ' '.repeat(indent * level));
  switch (v.k) {
    case 'nil': out.add('null'); return true;
    case 'bool': case 'int': case 'float': out.add(JSON.stringify(v.v)); return true;
    case 'str': case 'sym': out.add(JSON.stringify(v.v)); return true;
    case 'array': {
      if (!v.items.length) { out.add('[]'); return true; }
      out.add('[');
      for (let i = 0; i < v.items.length && !out.full; i++) {
        out.add((i ? ',' : '') + breakAt(depth + 1));
        if (!writeJson(v.items[i], depth + 1, out, strict, indent)) return false;
      }
      out.add(breakAt(depth) + ']');
      return true;
    }
    case 'hash': {
      if (!v.map.size) { out.add('{}'); return true; }
      out.add('{');
      let first = true;
      for (const e of v.map.values()) {
        if (out.full) break;
        const plainKey = e.key.k === 'str' || e.key.k === 'sym' || e.key.k === 'int';
        if (strict && !plainKey) return false;
        out.add((first ? '' : ',') + breakAt(depth + 1) + JSON.stringify(toS(e.key)) + (indent === undefined ? ':' : ': '));
        first = false;
        if (!writeJson(e.value, depth + 1, out, strict, indent)) return false;
      }
      out.add(breakAt(depth) + '}');
      return true;
    }
    default:
      if (strict) return false;
      out.add(JSON.stringify(toS(v)));
      return true;
  }
}

class JsonModule implements RubyObject {
  readonly className = 'Module';
  describe(): string { return 'JSON'; }
  call(method: string, args: Value[], ctx: CallContext): Value | undefined {
    const u = args.map((a) => findUnknown(a)).find(Boolean);
    if (u) return unknown(u.reason, u.loc);
    switch (method) {
      case 'parse': case 'parse!': case 'load': {
        if (args[0]?.k !== 'str') return undefined;
        let parsed: unknown;
        try { parsed = JSON.parse(args[0].v); } catch (e) { return raise(ctx, 'JSON::ParserError', (e as Error).message); }
        const opts = args[1];
        const symbolize = opts?.k === 'hash' && [...opts.map.values()].some((e) => e.key.k === 'sym' && e.key.v === 'symbolize_names' && e.value.k === 'bool' && e.value.v);
        return symbolize ? symbolizeKeys(fromJson(parsed)) : fromJson(parsed);
      }
      case 'generate': case 'dump': case 'fast_generate': case 'pretty_generate': {
        const t = args[0] ? jsonText(args[0], { strict: true, indent: method === 'pretty_generate' ? 2 : undefined }) : undefined;
        return t === undefined ? unknown('JSON of a value that is not plain data', ctx.loc) : strResult(t);
      }
      default: return undefined;
    }
  }
}

function symbolizeKeys(v: Value): Value {
  if (v.k === 'array') return arr(v.items.map(symbolizeKeys));
  if (v.k === 'hash') return hashOf([...v.map.values()].map((e) => [e.key.k === 'str' ? { k: 'sym', v: e.key.v } : e.key, symbolizeKeys(e.value)]));
  return v;
}

/** Words as a POSIX shell splits them: quotes group, backslashes escape. Undefined for an unmatched quote. */
export function shellSplit(s: string): string[] | undefined {
  const out: string[] = [];
  let cur: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (/\s/.test(c)) { if (cur !== undefined) { out.push(cur); cur = undefined; } continue; }
    cur ??= '';
    if (c === '\\') { cur += s[++i] ?? ''; continue; }
    if (c === "'" || c === '"') {
      const end = s.indexOf(c, i + 1);
      if (end < 0) return undefined;
      const inner = s.slice(i + 1, end);
      cur += c === '"' ? inner.replace(/\\(["\\$`])/g, '$1') : inner;
      i = end;
      continue;
    }
    cur += c;
  }
  if (cur !== undefined) out.push(cur);
  return out;
}

class ShellwordsModule implements RubyObject {
  readonly className = 'Module';
  describe(): string { return 'Shellwords'; }
  call(method: string, args: Value[], ctx: CallContext): Value | undefined {
    const a = args[0];
    if (a && findUnknown(a)) return unknown(findUnknown(a)!.reason);
    switch (method) {
      case 'split': case 'shellsplit': case 'shellwords': {
        if (a?.k !== 'str') return undefined;
        const words = shellSplit(a.v);
        return words ? arr(words.map(str)) : raise(ctx, 'ArgumentError', `Unmatched quote: ${JSON.stringify(a.v)}`);
      }
      case 'escape': case 'shellescape': return a?.k === 'str' ? callValueMethod(a, 'shellescape', [], ctx) : undefined;
      case 'join': case 'shelljoin': {
        if (a?.k !== 'array') return undefined;
        const parts = a.items.map((i) => callValueMethod(i.k === 'str' ? i : str(String((i as { v?: unknown }).v ?? '')), 'shellescape', [], ctx));
        return parts.every((p) => p?.k === 'str') ? str(parts.map((p) => (p as { v: string }).v).join(' ')) : undefined;
      }
      default: return undefined;
    }
  }
}

export const JSON_MODULE = new JsonModule();
export const SHELLWORDS_MODULE = new ShellwordsModule();

/** A parsed URI (`URI.parse`): its parts as Ruby's URI answers them. */
class UriObject implements RubyObject {
  readonly className = 'URI::Generic';
  constructor(private readonly text: string, private readonly url?: URL) {}
  describe(): string { return this.text; }
  toJson() { return this.text; }
  call(method: string): Value | undefined {
    const u = this.url;
    const nilOr = (s: string | undefined) => (s ? str(s) : { k: 'nil' } as Value);
    switch (method) {
      case 'to_s': case 'to_str': return str(this.text);
      case 'scheme': return nilOr(u?.protocol.replace(/:$/, ''));
      case 'host': case 'hostname': return nilOr(u?.hostname);
      case 'port': return u ? { k: 'int', v: Number(u.port || DEFAULT_PORTS[u.protocol] || 0) } : { k: 'nil' };
      case 'path': return str(u ? decodeURI(u.pathname) : this.text);
      case 'query': return nilOr(u?.search.replace(/^\?/, ''));
      case 'fragment': return nilOr(u?.hash.replace(/^#/, ''));
      case 'user': return nilOr(u?.username);
      case 'password': return nilOr(u?.password);
      case 'userinfo': return nilOr(u?.username ? `${u.username}${u.password ? ':' + u.password : ''}` : undefined);
      case 'request_uri': return u ? str(u.pathname + u.search) : undefined;
      case 'absolute?': return { k: 'bool', v: !!u };
      default: return undefined;
    }
  }
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443', 'ftp:': '21' };

function parseUri(s: string): Value {
  let url: URL | undefined;
  try { url = /^[a-z][a-z0-9+.-]*:/i.test(s) ? new URL(s) : undefined; } catch { url = undefined; }
  return { k: 'object', obj: new UriObject(s, url) };
}

class UriModule implements RubyObject {
  readonly className = 'Module';
  describe(): string { return 'URI'; }
  call(method: string, args: Value[], ctx: CallContext): Value | undefined {
    const u = args.map((a) => findUnknown(a)).find(Boolean);
    if (u) return unknown(u.reason, u.loc);
    const text = (v: Value | undefined) => (v?.k === 'str' ? v.v : v?.k === 'object' && v.obj instanceof UriObject ? v.obj.describe() : undefined);
    switch (method) {
      case 'parse': { const t = text(args[0]); return t === undefined ? undefined : parseUri(t); }
      case 'join': {
        const parts = args.map(text);
        if (parts.length === 0 || parts.some((p) => p === undefined)) return undefined;
        const [first, ...rest] = parts as string[];
        try { return parseUri(rest.reduce((base, p) => new URL(p, base).toString(), first!)); } catch { return raise(ctx, 'URI::InvalidURIError', `bad URI(is not URI?): ${parts[0]}`); }
      }
      case 'encode_www_form_component': { const t = text(args[0]); return t === undefined ? undefined : str(encodeURIComponent(t).replace(/%20/g, '+').replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())); }
      case 'decode_www_form_component': { const t = text(args[0]); return t === undefined ? undefined : str(decodeURIComponent(t.replace(/\+/g, ' '))); }
      default: return undefined;
    }
  }
}

export const URI_MODULE = new UriModule();
