/**
 * Every code a Cloche finding can carry, with one line saying what it finds: the rules' own (from
 * `RULES`) and those the compiler, the resolution, the loaders and the run's inputs report. Settings,
 * `.cloche.json` and `# cloche:disable` comments name findings by these codes; a code not listed here
 * in such a comment is reported (`unknown-rule-code`). A unit test keeps the table in step with the
 * codes the source emits.
 */
import { RULES } from './index';

/** Findings not made by a `Rule` of their own (or made by one under another code). */
const OTHER_CODES: Record<string, string> = {
  'syntax-error': 'Ruby that does not parse (Chef would not load the file).',
  'missing-cookbook-file': 'A cookbook_file whose source file is not in the cookbook for the platform.',
  'missing-recipe': 'An include_recipe (or run-list entry) of a recipe its cookbook does not have.',
  'missing-partial': 'A template partial (`render`) that does not exist.',
  'include-unknown': 'An include_recipe whose recipe is not known statically.',
  'recipe-raises': 'A recipe that stops with an error on the chosen platform.',
  'action-raises': "A custom resource action that stops with an error when it runs.",
  'library-raises': 'A library file that stops with an error when Chef loads it.',
  'resource-raises': 'A resource file that stops with an error when Chef loads it.',
  'resource-name-nil': 'A resource whose name is nil (Chef stops: name is a required property).',
  'resource-name-unknown': 'A resource whose name is not known statically.',
  'resource-name-without-provides': 'A custom resource whose `resource_name` has no `provides` (Chef 16+ cannot find it by that name).',
  'helper-not-in-resource': 'A recipe DSL helper called inside a resource block, where Chef does not mix it in.',
  'evaluation-budget': 'A file whose evaluation stopped at a budget: what follows is not analysed.',
  'yaml-recipe-shape': 'A YAML recipe without the `resources:` list or a resource `type` Chef needs.',
  'dependency-not-in-workspace': 'A cookbook the run uses that is not in the workspace, or not a declared dependency.',
  'dependency-unsatisfied': 'A `depends` constraint no cookbook of the workspace satisfies.',
  'invalid-version-constraint': 'A `depends` constraint Chef rejects.',
  'cookbook-clash': 'Several cookbooks of one name where only the cookbook path order decides which one runs.',
  'cookbook-source-missing': "A Berksfile or Policyfile path source that holds no cookbook (or another one).",
  'not-indexed-yet': 'A file the language server checks when indexing ends: a cookbook its run needs is not found yet.',
  'run-input': 'A problem in the run\'s inputs: node attributes, roles, environments, a policy or a kitchen suite.',
  'internal-error': 'Cloche could not check something (a bug in Cloche: please report it).',
  'invalid-config': 'A `.cloche.json` that is not valid JSON, or a value in it Cloche cannot use.',
  'unknown-rule-code': 'A `# cloche:disable` comment or a severity setting naming a code Cloche does not have.',
};

/** Code → its one-line explanation, for every finding Cloche reports. */
export const RULE_CODES: ReadonlyMap<string, string> = new Map([
  // `compile` only names the rule that passes the compiler's findings on, each under its own code.
  ...RULES.filter((r) => r.code !== 'compile').map((r): [string, string] => [r.code, r.explanation]),
  ...Object.entries(OTHER_CODES),
]);

export function isRuleCode(code: string): boolean {
  return RULE_CODES.has(code);
}
