/**
 * `respond_to?` for plain values, answered from Cloche's own method tables. A name in the table is a
 * method (true); a name Ruby's class is known not to have is false (what cookbooks test:
 * `respond_to?(:each)`, `respond_to?(:to_hash)`); any other name is unknown rather than a guess,
 * because the tables do not list every method Ruby has.
 */
import { type Value, TRUE, FALSE, unknown } from '../values';
import type { MethodTable } from './args';

/** Public methods every object has (Object and Kernel). */
const KERNEL = new Set([
  'class', 'send', 'public_send', '__send__', 'respond_to?', 'is_a?', 'kind_of?', 'instance_of?', 'nil?', '==', '!=', '!', 'equal?',
  'eql?', '===', '=~', '!~', 'hash', 'object_id', 'frozen?', 'freeze', 'dup', 'clone', 'itself', 'then', 'yield_self', 'tap', 'to_s',
  'inspect', 'method', 'methods', 'public_methods', 'singleton_class', 'instance_variable_get', 'instance_variable_set',
  'instance_variable_defined?', 'instance_variables', 'instance_eval', 'instance_exec', 'extend', 'display', 'to_enum',
  'enum_for', 'define_singleton_method', 'singleton_methods', 'to_json',
]);

/** Names the classes are known not to answer: the ones cookbooks probe to tell types apart. */
const COLLECTION = ['each', 'each_pair', 'keys', 'values', 'key?', 'to_hash', 'to_ary', 'map', 'select', 'first', 'push', '<<', 'fetch', 'dig', 'merge', 'each_with_index', 'join', 'flatten', 'include?', 'empty?', 'length', 'size', 'to_a', 'to_h'];
const TEXT = ['to_str', 'to_sym', 'split', 'strip', 'gsub', 'sub', 'downcase', 'upcase', 'start_with?', 'end_with?', 'chomp', 'match', 'match?', 'to_i', 'to_f'];
const NUMBER = ['+', '-', '*', '/', 'to_i', 'to_f', 'round', 'floor', 'ceil', 'abs', 'times', 'even?', 'odd?', 'zero?', 'positive?', 'negative?', 'succ', 'call'];
const without = (list: string[], ...keep: string[]): string[] => list.filter((n) => !keep.includes(n));

const ABSENT: Record<string, Set<string>> = {
  str: new Set([...without(COLLECTION, 'include?', 'empty?', 'length', 'size', '<<'), ...NUMBER.filter((n) => !['+', '*', 'to_i', 'to_f', 'succ'].includes(n))]),
  sym: new Set([...without(COLLECTION, 'length', 'size', 'empty?'), 'to_str', 'split', 'strip', 'gsub', 'sub', 'chomp', 'to_i', 'to_f', ...NUMBER.filter((n) => n !== 'succ')]),
  int: new Set([...without(COLLECTION, 'size', '<<'), ...without(TEXT, 'to_i', 'to_f'), 'nan?', 'call']),
  float: new Set([...COLLECTION, ...without(TEXT, 'to_i', 'to_f'), 'times', 'even?', 'odd?', 'succ', 'pred', 'chr', 'ord', 'digits', 'gcd', 'lcm', 'upto', 'downto', 'call']),
  nil: new Set([...without(COLLECTION, 'to_a', 'to_h'), ...without(TEXT, 'to_i', 'to_f'), ...without(NUMBER, 'to_i', 'to_f')]),
  bool: new Set([...COLLECTION, ...TEXT, ...NUMBER]),
  array: new Set(['each_pair', 'keys', 'values', 'key?', 'to_hash', 'merge', ...TEXT, ...NUMBER.filter((n) => !['+', '-', '*'].includes(n))]),
  hash: new Set(['to_ary', 'push', '<<', 'join', 'flatten!', ...TEXT, ...NUMBER]),
  range: new Set(['each_pair', 'keys', 'values', 'key?', 'to_hash', 'to_ary', 'push', '<<', 'fetch', 'dig', 'merge', 'join', 'flatten', 'empty?', 'length', ...TEXT.filter((n) => !['to_i', 'to_f'].includes(n)), ...NUMBER.filter((n) => n !== '%')]),
};

/** Ruby's answer to `value.respond_to?(name)`. */
export function respondTo(v: Value, name: string, table: MethodTable<never> | undefined, objectMethods: Record<string, unknown>): Value {
  if (ABSENT[v.k]?.has(name)) return FALSE;
  if ((table && name in table) || name in objectMethods || KERNEL.has(name)) return TRUE;
  return unknown(`whether ${v.k === 'str' ? 'a String' : 'this value'} responds to \`${name}\` is not known to Cloche`);
}
