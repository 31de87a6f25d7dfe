/**
 * Writes what VS Code needs to know of Cloche's rule codes, from the one table of them
 * (server/src/chef/rules/ruleCodes.ts): the setting `cloche.diagnostics.severity` in package.json
 * (each code with its explanation, so settings.json completes and explains them) and the JSON schema
 * of `.cloche.json` (schemas/cloche.schema.json). A unit test fails when they are out of step.
 *
 * Usage: node --import tsx scripts/genRuleCodes.ts
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { RULE_CODES } from '../server/src/chef/rules/ruleCodes';
import { CONFIG_FILE, LEVELS } from '../server/src/chef/projectConfig';

export const ROOT = path.resolve(__dirname, '..');
export const SCHEMA_FILE = path.join(ROOT, 'schemas', 'cloche.schema.json');

const LEVEL_DESCRIPTIONS = ['Shown as an error (and `cloche check` exits 1).', 'Shown as a warning.', 'Shown as information.', 'Shown as a hint (dotted underline only).', 'Not reported.'];

/** A level per code: every known code with its explanation, and any other code (a newer Cloche's). */
export function severityObjectSchema(): Record<string, unknown> {
  const codes = [...RULE_CODES.keys()].sort();
  return {
    type: 'object',
    properties: Object.fromEntries(codes.map((c) => [c, { type: 'string', enum: [...LEVELS], description: RULE_CODES.get(c) }])),
    additionalProperties: { type: 'string', enum: [...LEVELS], enumDescriptions: LEVEL_DESCRIPTIONS },
  };
}

/** The declaration of `cloche.diagnostics.severity` in package.json. */
export function severitySetting(): Record<string, unknown> {
  return {
    ...severityObjectSchema(),
    default: {},
    markdownDescription: 'A level per rule code: `error`, `warning`, `info`, `hint`, or `off` (not reported), e.g. `{ "never-notified": "off", "unknown-property": "warning" }`. Applied over the repository\'s `.cloche.json`. One line or a whole file: `# cloche:disable-next-line CODE` and `# cloche:disable CODE` … `# cloche:enable CODE` (in templates `<%# cloche:disable-next-line CODE %>`), or the quick fix on the finding.',
  };
}

/** The JSON schema of `.cloche.json`. */
export function configSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Cloche: how findings of this repository are reported (`cloche check` and the editor)',
    type: 'object',
    properties: {
      $schema: { type: 'string' },
      severity: { ...severityObjectSchema(), description: 'A level per rule code; a nearer .cloche.json wins per code. The editor setting cloche.diagnostics.severity and `cloche check --severity CODE=LEVEL` are applied over it.' },
      ignore: { type: 'array', items: { type: 'string' }, description: 'Glob patterns, relative to this file\'s folder, of files whose findings are not reported (e.g. "test/fixtures/**").' },
    },
    additionalProperties: false,
  };
}

function main(): void {
  const pkgFile = path.join(ROOT, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  pkg.contributes.configuration.properties['cloche.diagnostics.severity'] = severitySetting();
  const validation = { fileMatch: CONFIG_FILE, url: './' + path.relative(ROOT, SCHEMA_FILE) };
  pkg.contributes.jsonValidation = [...(pkg.contributes.jsonValidation ?? []).filter((v: { fileMatch: string }) => v.fileMatch !== CONFIG_FILE), validation];
  writeFileSync(pkgFile, JSON.stringify(pkg, null, 2) + '\n');
  mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
  writeFileSync(SCHEMA_FILE, JSON.stringify(configSchema(), null, 2) + '\n');
  console.log(`${RULE_CODES.size} rule codes written to package.json and ${path.relative(ROOT, SCHEMA_FILE)}`);
}

if (require.main === module) main();
