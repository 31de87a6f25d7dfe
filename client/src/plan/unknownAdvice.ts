/**
 * Unknown plan steps in words a user can act on. The engine's reason is precise and written for
 * whoever reads the evaluator ("content unknown: constant Foo::BAR is not known statically"); the
 * line annotations and the Plan view say what Cloche cannot know, why in a few words, and what the
 * user can do about it ("Cloche cannot compute the content before the run (constant Foo::BAR is
 * defined outside the workspace) — add its cookbook to cloche.cookbookPaths").
 * The precise reason stays in the tooltip and the step's details. Pure: tested in plain Node.
 *
 * The advice is honest about what helps: a Cloche converge does not apply unknown steps either, so it
 * is offered only where the converge decides (a guard run when its step comes).
 */

/** A reason's cause in short, and what the user can do about it (absent when nothing Cloche offers helps). */
interface Cause { cause: string; action?: string }

const ADD_COOKBOOK = 'add its cookbook to cloche.cookbookPaths';
const CHEF_ONLY = 'only a Chef run shows it';

/** Causes by the engine's wording, most specific first. Each gets the rest of the reason after the match. */
const CAUSES: [RegExp, (m: RegExpExecArray) => Cause][] = [
  [/needs systemd|has no init system/, () => ({ cause: 'the container does not run systemd', action: 'dry run on an image with systemd as PID 1 (`cloche image build --init systemd`)' })],
  [/constant (\S+) is not known statically/, (m) => ({ cause: `constant ${m[1]} is defined outside the workspace`, action: ADD_COOKBOOK })],
  [/calls `([^`]+)`(?: on [^,]+)?, which Cloche does not know/, (m) => ({ cause: `\`${m[1]}\` is defined outside the workspace`, action: ADD_COOKBOOK })],
  [/node((?:\['[^']*'\])+) is not set by any attributes file/, (m) => ({ cause: `node${m[1]} is not set in the workspace`, action: 'set it in cloche.run.attributes or choose a kitchen suite' })],
  [/the Chef environment is chosen when Chef runs/, () => ({ cause: 'no Chef environment is chosen', action: 'set cloche.run.environment' })],
  [/node\.(?:roles|role\?|run_list|recipes|recipe\?|expand!|primary_runlist)|depends on the run list|depends on roles, environments or policies/,
    () => ({ cause: "it depends on the node's run list or roles", action: 'choose a kitchen suite or a run list (cloche.run.attributesFile)' })],
  [/node\.policy_(?:name|group) is chosen when Chef runs/, () => ({ cause: 'no policy is chosen', action: 'choose a kitchen suite that uses a Policyfile' })],
  [/lazy value/, () => ({ cause: 'it is a lazy value, computed while Chef converges', action: CHEF_ONLY })],
  [/did not answer the (?:plan's )?probe within/, () => ({ cause: 'a guard took too long during the dry run', action: "a converge runs it when its step comes, with Chef's timeout" })],
  [/without network|until downloaded/, () => ({ cause: 'dry runs do not download (no network)', action: 'give the resource a checksum' })],
  [/depends on the machine|on the machine Chef runs on|runs .* on the machine|is the environment of the machine|changes the machine|is known only when the resource runs|is computed by Chef when the resource runs|is chosen when Chef runs/,
    () => ({ cause: 'Chef computes it on the machine while it runs', action: CHEF_ONLY })],
  [/Cloche has no provider for|is not supported by Cloche's provider|is not planned by Cloche|runs its Ruby block inside the Chef process/,
    () => ({ cause: 'Cloche does not simulate this resource', action: CHEF_ONLY })],
  [/is not evaluated statically|is not known statically|is not known to Cloche|is not evaluated/, () => ({ cause: 'it uses Ruby Cloche does not evaluate', action: CHEF_ONLY })],
];

/** The first cause of a (sub)reason, or undefined when no wording is known. */
function causeOf(reason: string): Cause | undefined {
  for (const [re, make] of CAUSES) {
    const m = re.exec(reason);
    if (m) return make(m);
  }
  return undefined;
}

/** What the reason is about: a property (`owner: …`), the content, the name, or whether the step runs. */
function subjectOf(reason: string): { subject: string; rest: string } {
  let m: RegExpExecArray | null;
  if ((m = /^whether it runs is not known: (.*)$/s.exec(reason))) return { subject: 'whether it runs', rest: m[1] };
  if ((m = /^(?:it is declared under a condition|it is declared in a loop over a collection) that is not known statically \((.*)\)/s.exec(reason))) return { subject: 'whether it runs', rest: m[1] };
  if ((m = /^its (name|action) is not known statically \((.*)\)$/s.exec(reason))) return { subject: `its ${m[1]}`, rest: m[2] };
  if ((m = /^content unknown: (.*)$/s.exec(reason))) return { subject: 'the content', rest: m[1] };
  if ((m = /^its files are not known: (.*)$/s.exec(reason))) return { subject: 'its files', rest: m[1] };
  if ((m = /^(only_if|not_if) `[^`]*` cannot be decided before Chef runs it \((.*)\)$/s.exec(reason))) return { subject: `its ${m[1]} guard`, rest: m[2] };
  if ((m = /^([a-z_]+): (.*)$/s.exec(reason))) return { subject: `the ${m[1]}`, rest: m[2] };
  return { subject: 'this step', rest: reason };
}

/**
 * An unknown step's reason as a user reads it: "Cloche cannot compute the content before the run
 * (constant X is defined outside the workspace) — add its cookbook to …".
 * Undefined for a reason of a wording not known here: it is then shown as it is.
 */
export function explainUnknown(reason: string): string | undefined {
  const first = reason.split('; ')[0];
  const { subject, rest } = subjectOf(first);
  const c = causeOf(rest) ?? causeOf(first);
  if (!c) return undefined;
  const what = subject === 'whether it runs' ? 'Cloche cannot tell before the run whether it runs'
    : subject === 'this step' ? 'Cloche cannot plan this step'
    : subject.startsWith('its ') && subject.endsWith(' guard') ? `Cloche cannot decide ${subject} before the run`
      : `Cloche cannot compute ${subject} before the run`;
  return `${what} (${c.cause})${c.action ? ` — ${c.action}` : ''}`;
}
