/**
 * The repository a cookbook belongs to, as Chef's tooling sees it: the nearest folder at or above
 * the cookbook with `.git`, a Berksfile, a Policyfile.rb or a kitchen file, or a cookbook folder
 * above it (a fixture cookbook under `test/` or `spec/fixtures/` belongs to the cookbook that holds
 * it); without any, the cookbook's own folder. Its explicit sources are the `cookbook 'x', path: '…'`
 * lines of its Berksfile and Policyfile.rb, read from the syntax tree (string literals only: the
 * files are Ruby and are never run).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from './workspace';

export interface CookbookSource {
  /** The cookbook name the line gives. */
  name: string;
  /** The folder `path:` points at (absolute). */
  dir: string;
  /** The Berksfile or Policyfile.rb, and the line (1-based). */
  file: string;
  line: number;
}

export interface Repository {
  root: string;
  sources: CookbookSource[];
}

/** Files that make a folder the root of a cookbook repository. */
const MARKERS = ['.git', 'Berksfile', 'Policyfile.rb', 'kitchen.yml', '.kitchen.yml', 'kitchen.yaml', '.kitchen.yaml'];
/** Files whose `cookbook … path:` lines are sources. */
const SOURCE_FILES = ['Berksfile', 'Policyfile.rb'];

/** The repository root of a cookbook folder (see the module comment). */
export function repositoryRoot(cookbookDir: string): string {
  let dir = path.resolve(cookbookDir);
  for (let first = true; ; first = false) {
    if (MARKERS.some((m) => fs.existsSync(path.join(dir, m)))) return dir;
    if (!first && (fs.existsSync(path.join(dir, 'metadata.rb')) || fs.existsSync(path.join(dir, 'metadata.json')))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(cookbookDir);
    dir = up;
  }
}

/** The repository of a cookbook folder, with the sources its Berksfile and Policyfile.rb name. */
export function repositoryOf(ws: Workspace, cookbookDir: string): Repository {
  const root = repositoryRoot(cookbookDir);
  const sources: CookbookSource[] = [];
  for (const name of SOURCE_FILES) {
    const file = path.join(root, name);
    if (ws.exists(file)) sources.push(...pathSources(ws, file));
  }
  return { root, sources };
}

/**
 * The `cookbook 'name', path: 'dir'` calls of a Berksfile or Policyfile, at the top level or inside
 * blocks (`group :integration do … end`), with literal arguments.
 */
export function pathSources(ws: Workspace, file: string): CookbookSource[] {
  const parsed = ws.parse(file);
  if (!parsed) return [];
  const out: CookbookSource[] = [];
  const visit = (node: any, depth: number): void => {
    if (!node || typeof node !== 'object' || depth > 12) return;
    const kind = node.constructor?.name;
    if (kind === 'StatementsNode') { for (const s of node.body) visit(s, depth + 1); return; }
    if (kind !== 'CallNode') return;
    if (!node.receiver && node.name === 'cookbook') {
      const args: any[] = node.arguments_?.arguments_ ?? [];
      const name = literal(args[0]);
      const dir = args.map(pathOption).find((p) => p !== undefined);
      if (name && dir !== undefined) {
        out.push({ name, dir: path.resolve(path.dirname(file), dir), file, line: parsed.lines.position(node.location.startOffset).line + 1 });
      }
    }
    visit(node.block?.body, depth + 1);
  };
  visit((parsed.tree as any).statements, 0);
  return out;
}

function literal(node: any): string | undefined {
  const kind = node?.constructor?.name;
  return kind === 'StringNode' || kind === 'SymbolNode' ? node.unescaped.value : undefined;
}

/** The `path:` value of a keyword hash argument, when it is a literal. */
function pathOption(node: any): string | undefined {
  const kind = node?.constructor?.name;
  if (kind !== 'KeywordHashNode' && kind !== 'HashNode') return undefined;
  for (const el of node.elements ?? []) {
    if (el.constructor?.name === 'AssocNode' && literal(el.key) === 'path') return literal(el.value);
  }
  return undefined;
}
