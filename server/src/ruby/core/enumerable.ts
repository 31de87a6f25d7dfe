/**
 * Enumerable: the methods Array, Hash (over [key, value] pairs) and Range (over its values) share.
 */
import { ENUM_ITERATE, type EnumMethod } from './enumIterate';
import { ENUM_REDUCE } from './enumReduce';
import { ENUM_QUERY } from './enumQuery';

export type { EnumMethod };

/** Every Enumerable method Cloche evaluates, by name. */
export const ENUMERABLE: Record<string, EnumMethod> = { ...ENUM_ITERATE, ...ENUM_REDUCE, ...ENUM_QUERY };
