/**
 * Reading the files a run takes (node JSON, roles, environments, Policyfiles): JSON with the line of
 * every key, and one error type that names the file and line, so the CLI prints `file:line: why`
 * (exit 2) and the editor puts a diagnostic there.
 */
import * as fs from 'node:fs';
import { parseTree, findNodeAtLocation, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

/** A run input that cannot be used: what is wrong, and where. */
export class InputError extends Error {
  constructor(message: string, readonly file?: string, readonly line?: number, readonly column?: number) {
    super(message);
  }

  /** `file:line:column: message`, as compilers print it. */
  where(relative: (file: string) => string = (f) => f): string {
    if (!this.file) return this.message;
    return `${relative(this.file)}${this.line ? `:${this.line}${this.column ? `:${this.column}` : ''}` : ''}: ${this.message}`;
  }
}

export interface JsonDocument {
  file: string;
  value: unknown;
  /** The line (1-based) where the value at a path starts, when the path exists. */
  lineOf(path: (string | number)[]): number | undefined;
}

/** Reads a file, or says why not. */
export function readInputText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot read it (${code ?? (e as Error).message})`, file);
  }
}

/** Parses JSON (comments allowed, as Chef's parser allows them), with positions. */
export function parseJsonDocument(file: string, text: string): JsonDocument {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: false });
  const lines = lineStarts(text);
  if (errors.length || !tree) {
    const e = errors[0];
    const at = e ? position(lines, e.offset) : { line: 1, column: 1 };
    throw new InputError(e ? `not valid JSON: ${describeError(printParseErrorCode(e.error))}` : 'not valid JSON: the file is empty', file, at.line, at.column);
  }
  return {
    file,
    value: valueOf(tree),
    lineOf: (path) => {
      const node = findNodeAtLocation(tree, path);
      const start = node?.parent?.type === 'property' ? node.parent.offset : node?.offset;
      return start === undefined ? undefined : position(lines, start).line;
    },
  };
}

export function readJsonDocument(file: string): JsonDocument {
  return parseJsonDocument(file, readInputText(file));
}

/** The plain value of a parse tree (jsonc-parser's getNodeValue, without its prototype quirks). */
function valueOf(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (k && v) Object.defineProperty(out, String(k.value), { value: valueOf(v), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'array': return (node.children ?? []).map(valueOf);
    default: return node.value;
  }
}

function describeError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'an unexpected character', InvalidNumberFormat: 'a malformed number', PropertyNameExpected: 'a property name (in double quotes) expected',
    ValueExpected: 'a value expected', ColonExpected: "a ':' expected", CommaExpected: "a ',' expected", CloseBraceExpected: "a '}' expected",
    CloseBracketExpected: "a ']' expected", EndOfFileExpected: 'text after the end of the JSON value', UnexpectedEndOfString: 'a string is not closed',
    UnexpectedEndOfComment: 'a comment is not closed', InvalidEscapeCharacter: 'an invalid escape in a string', InvalidCharacter: 'an invalid character in a string',
  };
  return words[code] ?? code;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function position(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid; else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}
