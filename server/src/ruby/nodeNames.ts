/**
 * The evaluator tells syntax nodes apart by `node.constructor.name`. V8 answers a class's `name`
 * through a lazy accessor, which showed as several percent of evaluation time; made plain data once
 * here (same value), it reads as an ordinary property. Imported for that effect by the interpreter.
 */
import * as nodes from '@ruby/prism/src/nodes.js';

for (const c of Object.values(nodes) as unknown[]) {
  if (typeof c === 'function') Object.defineProperty(c, 'name', { value: c.name, configurable: true });
}
