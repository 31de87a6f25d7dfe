/**
 * `--platform P` (a profile name) or `--facts FILE` (JSON facts) → PlatformFacts. With neither, the
 * cookbook's `supports` in its metadata picks the profile (an IIS cookbook is checked as Windows),
 * and the command says so on stderr.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_PROFILE, factsFromJson, getPlatformProfile, isLinux, listPlatformProfiles, type PlatformFacts } from '../chef/platforms';
import { cookbookSupports, defaultPlatformFor } from '../chef/supports';
import { parseRuby } from '../ruby/prism';
import type { ParsedArgs } from './args';
import { type CliIO, UsageError } from './io';

/** Where the default comes from when no platform is given: the cookbook of the command's PATH. */
export interface PlatformDefault {
  /** The cookbook folder of the PATH, when it is in one. */
  cookbook?: string;
  io: CliIO;
  command: string;
}

export function platformFrom(args: ParsedArgs, fallback?: PlatformDefault): PlatformFacts {
  const factsFile = args.values.get('facts');
  const name = args.values.get('platform');
  if (factsFile) {
    let json: unknown;
    try { json = JSON.parse(fs.readFileSync(factsFile, 'utf8')); } catch (e) { throw new UsageError(`cannot read facts file ${factsFile}: ${(e as Error).message}`); }
    try { return factsFromJson(json, name); } catch (e) { throw new UsageError((e as Error).message); }
  }
  if (name) {
    const facts = getPlatformProfile(name);
    if (!facts) throw new UsageError(`unknown platform '${name}'; known: ${listPlatformProfiles().join(', ')}`);
    return facts;
  }
  const chosen = fallback?.cookbook ? defaultPlatformFor(cookbookSupports(diskReader, fallback.cookbook)) : { profile: DEFAULT_PROFILE };
  if (chosen.from && fallback) {
    fallback.io.stderr(`cloche ${fallback.command}: platform ${chosen.profile}, chosen by ${chosen.from} in the metadata of ${path.basename(fallback.cookbook!)} (--platform P for another)\n`);
  }
  return getPlatformProfile(chosen.profile)!;
}

/** Containers are Linux: the engine commands refuse a profile of another system. */
export function refuseNonLinux(facts: PlatformFacts | undefined): void {
  if (!facts || isLinux(facts)) return;
  throw new UsageError(`${facts.profile} is not Linux: containers run Linux only, so plan, converge and test cannot run for it; \`cloche check --platform ${facts.profile}\` and \`cloche graph --platform ${facts.profile}\` check the cookbook for it statically`);
}

/** Reads metadata straight from the disk (the CLI chooses the platform before the workspace is loaded). */
const diskReader = {
  parse(file: string) {
    const text = this.readFile(file);
    return text === undefined ? undefined : parseRuby(text, file);
  },
  readFile(file: string) {
    try { return fs.readFileSync(file, 'utf8'); } catch { return undefined; }
  },
};
