/** Ruby's core-class methods now live in core/, one module per class; this module keeps the old import path. */
export { callValueMethod } from './core';
export { ITERATORS } from './core';
export { safeRegex } from './core';
export { rangeItems } from './core';
export { classMatches } from './core';
