/**
 * The engine's subcommands (plan, converge, test, containers, image, doctor). Kept in their own
 * table so the core commands do not depend on the container layer.
 */
import type { CliIO } from './io';

export const ENGINE_COMMANDS: Record<string, { summary: string; run(argv: string[], io: CliIO): Promise<number> }> = {};
