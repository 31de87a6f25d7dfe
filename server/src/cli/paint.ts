/** ANSI colours for text output, only when writing to a terminal. */
const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, dim: 2, bold: 1 } as const;
export type Colour = keyof typeof CODES;

export function paint(text: string, colour: Colour, tty: boolean): string {
  return tty ? `\u001b[${CODES[colour]}m${text}\u001b[0m` : text;
}
