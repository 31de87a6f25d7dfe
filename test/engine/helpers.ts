/**
 * Shared helpers for the engine tests: hand-made resources, a state without a container, the
 * webserver fixture, and connecting to the real runtime (skip loudly, or fail when CI is set).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { ContainerDriver } from '../../server/src/containers/driver';
import assert from 'node:assert/strict';
import type { GraphGuard, GraphResource, JsonValue, PlanStep, Timing } from '../../server/src/protocol';
import { engineInputFromJson } from '../../server/src/engine/input';
import type { EngineInput, EngineResource } from '../../server/src/engine/types';
import { getPlatformProfile, type PlatformFacts } from '../../server/src/chef/platforms';

export const IMAGE = 'cloche/debian:12';
export const FACTS: PlatformFacts = getPlatformProfile('debian-12')!;

let line = 0;
/** A resource as the model would emit it (`type[name]`, actions without ':' are fine too). */
export function res(type: string, name: string, properties: Record<string, JsonValue> = {}, extra: Partial<EngineResource> = {}): EngineResource {
  return { id: `${type}[${name}]`, type, resolvedType: type, name, actions: [], properties, location: { file: 'recipes/default.rb', line: ++line, column: 1 },
    notifies: [], guards: [], origin: 'test::default', ...extra };
}

/** A notification from the resource that carries it. */
export function notifies(target: string, action: string, timing: Timing, kind: 'notifies' | 'subscribes' = 'notifies'): EngineResource['notifies'][number] {
  return { kind, action, target, resolved: target, timing, location: { file: 'recipes/default.rb', line: 1, column: 1 } };
}

/** A string guard. */
export function guard(kind: 'only_if' | 'not_if', command: string): GraphGuard {
  return { kind, form: 'string', command, source: `'${command}'`, location: { file: 'recipes/default.rb', line: 1, column: 1 } };
}

/** An EngineInput over hand-made resources and contents. */
export function input(resources: (GraphResource | EngineResource)[], contents: Record<string, string | { $unknown: string }> = {}): EngineInput {
  return engineInputFromJson({ resources: resources as GraphResource[], contents, facts: FACTS });
}

/** The webserver fixture (hand-made equivalent of examples/webserver). */
export function webserverInput(): EngineInput {
  return engineInputFromJson(JSON.parse(readFileSync(join(__dirname, 'fixtures', 'webserver.json'), 'utf8')));
}

/** The plan target of a test container (the image it was made from, Debian 12 facts). */
export const targetOf = (id: string, image = IMAGE) => ({ runtime: 'docker', image, container: id, platform: 'debian-12' });

/** The step of a resource (and action), or a failed assertion naming it. */
export function stepOf(steps: PlanStep[], id: string, action?: string): PlanStep {
  const s = steps.find((x) => x.resource === id && (!action || x.action === action));
  assert.ok(s, `no step for ${id}${action ? ` :${action}` : ''} (steps: ${steps.map((x) => x.resource).join(', ')})`);
  return s;
}

/** Runs a setup script in a container; its stdout, or a failed assertion with what it printed. */
export async function shOk(d: ContainerDriver, id: string, script: string, timeoutMs = 120_000): Promise<string> {
  const r = await d.exec(id, script, { timeoutMs });
  assert.equal(r.code, 0, `${script}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** A working docker driver, or the reason there is none (CI turns that into a failure). */
export async function connectDocker(): Promise<ContainerDriver | string> {
  try {
    return await ContainerDriver.detect('docker');
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    if (process.env.CI) throw new Error(`CI is set but docker is unavailable (run .ci/provision.sh first): ${why}`);
    console.warn(`\n*** SKIPPING engine container tests: ${why}\n*** To run them: sudo .ci/provision.sh, then run this file again.\n`);
    return why;
  }
}

/** Narrows to a driver, or skips the test. */
export function usable(t: TestContext, d: ContainerDriver | string | undefined): d is ContainerDriver {
  if (d instanceof ContainerDriver) return true;
  t.skip(`no runtime: ${d ?? 'not probed'}`);
  return false;
}

/** A CliIO that records what a command writes. */
export function recorder(): { io: { stdout: (s: string) => void; stderr: (s: string) => void; isTTY: boolean }; out: () => string; err: () => string } {
  let o = '';
  let e = '';
  return { io: { stdout: (s) => { o += s; }, stderr: (s) => { e += s; }, isTTY: false }, out: () => o, err: () => e };
}
