/**
 * Shared helpers for cursor cases: a case names a fixture file and either a snippet of its text with a
 * `|` cursor (`at`), or text to insert after a snippet (`insert`, with its own `|`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Position } from 'vscode-languageserver-protocol';
import { type TestClient, FIXTURES, cursorIn, positionAt, uri } from './client';

export interface CursorCase {
  name: string;
  /** Path under test/fixtures/cookbooks. */
  file: string;
  at?: string;
  insert?: { after: string; text: string };
}

/** Opens (or updates) the case's document and returns its URI and the cursor position. */
export async function place(client: TestClient, c: CursorCase): Promise<{ uri: string; position: Position; file: string }> {
  const file = path.join(FIXTURES, c.file);
  let text = fs.readFileSync(file, 'utf8');
  let position: Position;
  if (c.insert) {
    const i = text.indexOf(c.insert.after);
    if (i < 0) throw new Error(`${c.name}: ${JSON.stringify(c.insert.after)} not found in ${c.file}`);
    const at = i + c.insert.after.length;
    const bar = c.insert.text.indexOf('|');
    if (bar < 0) throw new Error(`${c.name}: the inserted text has no | marker`);
    text = text.slice(0, at) + c.insert.text.replace('|', '') + text.slice(at);
    position = positionAt(text, at + bar);
  } else position = cursorIn(text, c.at!);
  if (client.texts.has(uri(file))) await client.change(file, text); else await client.open(file, text);
  return { uri: uri(file), position, file };
}
