/** `--platform P` (a profile name) or `--facts FILE` (JSON facts) → PlatformFacts. */
import * as fs from 'node:fs';
import { DEFAULT_PROFILE, factsFromJson, getPlatformProfile, listPlatformProfiles, type PlatformFacts } from '../chef/platforms';
import type { ParsedArgs } from './args';
import { UsageError } from './io';

export function platformFrom(args: ParsedArgs): PlatformFacts {
  const factsFile = args.values.get('facts');
  const name = args.values.get('platform');
  if (factsFile) {
    let json: unknown;
    try { json = JSON.parse(fs.readFileSync(factsFile, 'utf8')); } catch (e) { throw new UsageError(`cannot read facts file ${factsFile}: ${(e as Error).message}`); }
    try { return factsFromJson(json, name); } catch (e) { throw new UsageError((e as Error).message); }
  }
  const facts = getPlatformProfile(name ?? DEFAULT_PROFILE);
  if (!facts) throw new UsageError(`unknown platform '${name}'; known: ${listPlatformProfiles().join(', ')}`);
  return facts;
}
