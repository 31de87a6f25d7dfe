/** What a CLI command writes to, so commands can be run and tested without a real terminal. */
export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
}

/** A usage or environment problem: the CLI prints the message and exits 2. */
export class UsageError extends Error {}
