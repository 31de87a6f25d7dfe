/**
 * The engine's subcommands (plan, converge, test, containers, kitchen, image, doctor). Kept in their own
 * table so the core commands do not depend on the container layer.
 */
import type { CliIO } from './io';
import * as plan from './plan';
import * as converge from './converge';
import * as test from './test';
import * as containers from './containers';
import * as image from './image';
import * as doctor from './doctor';
import * as kitchen from './kitchen';

export const ENGINE_COMMANDS: Record<string, { summary: string; run(argv: string[], io: CliIO): Promise<number> }> = {
  plan: { summary: 'what a converge would change, against a throwaway container (read-only)', run: plan.run },
  converge: { summary: 'converge in a throwaway container, with an idempotence check', run: converge.run },
  test: { summary: 'create, converge, check idempotence, destroy', run: test.run },
  containers: { summary: "list, destroy or reset Cloche's containers", run: containers.run },
  kitchen: { summary: "the suites and platforms of a cookbook's kitchen.yml (for cloche test --suite)", run: kitchen.run },
  image: { summary: 'build the offline Debian base image', run: image.run },
  doctor: { summary: 'what is installed and what to do', run: doctor.run },
};
