/**
 * Where a cookbook's Test Kitchen file is, without reading it: kept apart from kitchen.ts (which parses
 * YAML) so the extension can look for it without bundling a YAML parser.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The names Test Kitchen reads, in its order. */
export const KITCHEN_FILES = ['kitchen.yml', '.kitchen.yml', 'kitchen.yaml'] as const;

/** The kitchen file of a cookbook folder, if it has one. */
export function kitchenFile(cookbook: string | undefined): string | undefined {
  if (!cookbook) return undefined;
  for (const name of KITCHEN_FILES) {
    const file = path.join(cookbook, name);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}
