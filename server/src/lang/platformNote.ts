/**
 * What a resource type means on the chosen platform, for its hover: which provider Chef would run it
 * with (package, service, user, group …), and whether it works there at all.
 */
import type { ResourceSchema } from '../chef/catalog/schema';
import { providerFor } from '../chef/catalog/providers';
import { supportedSystems, unsupportedOn } from '../chef/catalog/platformSupport';
import type { PlatformFacts } from '../chef/platforms';
import { mdCode } from './markdown';

/** Markdown lines (starting with a blank line) for a built-in type on a platform, or ''. */
export function platformNote(schema: ResourceSchema, facts: PlatformFacts): string {
  if (schema.source !== 'builtin') return '';
  const lines: string[] = [];
  const p = providerFor(schema.name, facts);
  // The catalog's words and the profile names are ours (a facts file can only name a known profile).
  const profile = facts.profile;
  if (p?.provider) lines.push(`On ${profile} Chef runs it with ${mdCode(p.provider)}${p.note ? ` (${p.note})` : ''}.`);
  else if (p) lines.push(`On ${profile} no provider of Chef's handles it: Chef would fail to find one.`);
  const why = unsupportedOn(schema.name, facts);
  if (why) lines.push(`**Would fail on ${profile}**: ${why}.`);
  else {
    const only = supportedSystems(schema.name);
    if (only) lines.push(`Works on ${only}.`);
  }
  return lines.length ? `\n\n${lines.join('\n\n')}` : '';
}
