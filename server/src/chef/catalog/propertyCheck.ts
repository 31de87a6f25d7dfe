/**
 * Checks a property value against its schema the way Chef's validation would, erring towards
 * acceptance: real community cookbooks must load without false errors. Anything we cannot decide
 * (unknown values, lazy values, coerced properties, classes we do not model) is `unknown`, never an error.
 */
import { z } from 'zod';
import { findUnknown, inspect, rubyClassOf, rubyEquals, toS, type Value } from '../../ruby/values';
import { valueFromCatalogJson } from './builtin';
import type { PropertySchema, ResourceSchema } from './schema';
import { safeRegex, RegexUnsupported, type LinearRegex } from '../../ruby/core/regexp';

/** The verdict on one value: accepted (with the value Chef would store), rejected with a message, or undecidable. */
export type PropertyCheck = { ok: true; value: Value } | { ok: false; message: string } | { ok: 'unknown' };

/** What we derive once per PropertySchema: zod schemas over evaluator values, and how to name the types. */
interface Compiled {
  /** Undefined when any value passes the type check (no types, or a class we do not model). */
  type?: z.ZodType;
  typeText: string;
  equalTo?: z.ZodType;
  equalToText?: string;
  /** Undefined when there is no regex, or one we cannot translate to JavaScript. */
  regex?: LinearRegex[];
  regexText?: string;
}

const kind = (k: Value['k']) => z.object({ k: z.literal(k) });
const literal = (k: 'bool' | 'str' | 'sym' | 'int' | 'float', v: boolean | string | number) => z.object({ k: z.literal(k), v: z.literal(v) });

/** Ruby class names (and the literal values Chef allows in a type list) → a zod schema over Value. */
function typeSchema(t: string): z.ZodType | undefined {
  switch (t) {
    case 'String': return kind('str');
    case 'Integer': return kind('int');
    case 'Float': return kind('float');
    case 'Numeric': return z.union([kind('int'), kind('float')]);
    case 'TrueClass': case 'true': return literal('bool', true);
    case 'FalseClass': case 'false': return literal('bool', false);
    case 'NilClass': case 'nil': return kind('nil');
    case 'Symbol': return kind('sym');
    case 'Array': return kind('array');
    case 'Hash': return kind('hash');
    case 'Regexp': return kind('regexp');
    case 'Proc': return kind('proc');
    case 'Range': return kind('range');
  }
  if (/^:[A-Za-z_]\w*[?!=]?$/.test(t)) return literal('sym', t.slice(1));
  if (/^".*"$/.test(t)) { try { return literal('str', JSON.parse(t) as string); } catch { return undefined; } }
  if (/^-?\d+$/.test(t)) return literal('int', Number(t));
  if (/^-?\d+\.\d+$/.test(t)) return literal('float', Number(t));
  return undefined; // Chef::…, Mash, Object, Class, "unknown": we do not model them, so anything may pass
}

function typeName(t: string): string {
  return t === 'TrueClass' ? 'true' : t === 'FalseClass' ? 'false' : t === 'NilClass' ? 'nil' : t;
}

/** `["String", "Integer", "nil"]` → `String, Integer or nil`. */
function listText(items: string[]): string {
  const unique = [...new Set(items)];
  return unique.length <= 1 ? unique.join('') : `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`;
}

/**
 * A property's `regex:` as written (`/src/flags`), compiled as the evaluator compiles recipe regexps
 * (linear time, Ruby's syntax); undefined when Cloche cannot run it, and the check is then skipped.
 */
export function catalogRegex(encoded: string): LinearRegex | undefined {
  const m = /^\/([\s\S]*)\/([a-z]*)$/.exec(encoded);
  return m ? safeRegex(m[1], m[2]) : undefined;
}

const compiledCache = new WeakMap<PropertySchema, Compiled>();
/**
 * The same, by what it is made of: every world has its own built-in schemas, and zod compiles each
 * schema object the first time it checks a value (that was several percent of checking a workspace
 * of many repositories).
 */
const compiledByContent = new Map<string, Compiled>();

function compile(prop: PropertySchema): Compiled {
  const cached = compiledCache.get(prop);
  if (cached) return cached;
  const key = JSON.stringify([prop.types, prop.equalTo ?? null, prop.regex ?? null]);
  const same = compiledByContent.get(key);
  if (same) { compiledCache.set(prop, same); return same; }
  const out = compileNew(prop);
  if (compiledByContent.size > 10_000) compiledByContent.clear();
  compiledByContent.set(key, out);
  compiledCache.set(prop, out);
  return out;
}

function compileNew(prop: PropertySchema): Compiled {
  const parts = prop.types.map(typeSchema);
  const modelled = parts.length > 0 && parts.every((p): p is z.ZodType => p !== undefined);
  const out: Compiled = { typeText: listText(prop.types.map(typeName)) };
  if (modelled) out.type = parts.length === 1 ? parts[0] : z.union(parts as [z.ZodType, z.ZodType, ...z.ZodType[]]);
  if (prop.equalTo && prop.equalTo.length) {
    const allowed = prop.equalTo.map(valueFromCatalogJson);
    out.equalTo = z.custom<Value>((v) => allowed.some((a) => rubyEquals(v as Value, a) === true));
    out.equalToText = listText(allowed.map((a) => inspect(a)));
  }
  if (prop.regex && prop.regex.length) {
    const regexes = prop.regex.map(catalogRegex);
    if (regexes.every((r): r is LinearRegex => r !== undefined)) {
      out.regex = regexes;
      out.regexText = prop.regex.join(' or ');
    }
  }
  return out;
}

/**
 * Checks `value` for `prop` as Chef would after the recipe sets it. `nil` always passes (Chef resets
 * the property to its default). `resourceName` only makes messages clearer:
 * `property mode of file expects String or Integer, got Array ["a"]`.
 */
export function checkPropertyValue(prop: PropertySchema, value: Value, resourceName?: string): PropertyCheck {
  if (value.k === 'unknown' || value.k === 'lazy') return { ok: 'unknown' };
  if (value.k === 'nil') return { ok: true, value };
  // Chef validates after the coerce proc, which may turn what was passed into an allowed value.
  const coerced = (prop as { coerce?: boolean }).coerce === true;
  const fail = (message: string): PropertyCheck => (coerced ? { ok: 'unknown' } : { ok: false, message });
  const c = compile(prop);
  const subject = `property ${prop.name}${resourceName ? ` of ${resourceName}` : ''}`;
  if (c.type && !c.type.safeParse(value).success) {
    // Objects (node attribute views, …) may behave like any class; we cannot say they do not.
    if (value.k === 'object' || value.k === 'proc') return { ok: 'unknown' };
    return fail(`${subject} expects ${c.typeText}, got ${rubyClassOf(value)} ${inspect(value)}`);
  }
  if ((c.equalTo || c.regex) && (findUnknown(value) || value.k === 'object')) return { ok: 'unknown' };
  if (c.equalTo && !c.equalTo.safeParse(value).success) return fail(`${subject} must be one of ${c.equalToText}, got ${inspect(value)}`);
  if (c.regex) {
    const text = toS(value); // Chef matches `value.to_s`
    let matches: boolean;
    try { matches = c.regex.some((r) => r.test(text)); } catch (e) { if (e instanceof RegexUnsupported) return { ok: 'unknown' }; throw e; }
    if (!matches) return fail(`${subject} must match ${c.regexText}, got ${inspect(value)}`);
  }
  return { ok: true, value };
}

/**
 * The property values of a resource declared as `type name do … end` once Chef fills in what the
 * recipe did not set: the recipe's own values, `name`, name_property values, and literal defaults.
 * Lazy and expression defaults are left out (they are computed at converge time).
 */
export function fillDefaults(schema: ResourceSchema, name: Value, props: ReadonlyMap<string, Value>): Map<string, Value> {
  const out = new Map(props);
  if (!out.has('name')) out.set('name', name);
  // A property set through an alias (`user` for `owner`) counts as set.
  const setTargets = new Set([...props.keys()].map((k) => schema.properties.get(k)?.aliasOf ?? k));
  for (const prop of schema.properties.values()) {
    if (prop.aliasOf || out.has(prop.name) || setTargets.has(prop.name)) continue;
    if (prop.nameProperty || prop.defaultKind === 'name') out.set(prop.name, name);
    else if (prop.defaultKind === 'literal' && prop.default !== undefined) out.set(prop.name, valueFromCatalogJson(prop.default));
  }
  return out;
}
