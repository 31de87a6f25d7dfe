/**
 * The built language server against hostile recipes (seeded, time-bounded): every request answers
 * within 5 s, the server never dies, its memory stays bounded, hovers carry no live Markdown from the
 * recipe, files outside the workspace are never served, and valid recipes keep their diagnostics
 * after each hostile one. ADVERSARIAL_SEED and ADVERSARIAL_SECONDS reproduce or lengthen a run.
 */
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestClient, uri, positionAt } from '../lsp/client';
import { hostileInput, rng, type Category } from './hostileInputs';
import { liveMarkup } from './markupChecks';
import { hostileWorkspace, SECRET } from './workspace';

const SEED = Number(process.env.ADVERSARIAL_SEED ?? 20261202);
const SECONDS = Number(process.env.ADVERSARIAL_SECONDS ?? 60);
const ANSWER_MS = 5_000;
/** The server's resident memory may not pass this, whatever the input. */
const MAX_RSS_MB = 1024;

const ws = hostileWorkspace(fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-adversarial-lsp-')));
let client: TestClient;
const baselines = new Map<string, string>();

const fingerprint = (ds: { code?: unknown; range: { start: { line: number } } }[]) =>
  JSON.stringify(ds.map((d) => `${d.code}@${d.range.start.line}`).sort());

function within<T>(p: Promise<T>, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer to ${what} within ${ANSWER_MS} ms`)), ANSWER_MS))]);
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function startServer(): Promise<void> {
  client = await TestClient.start({ roots: [ws.root] });
  for (const f of ws.valid) await client.open(f);
  await client.open(ws.hostile, 'file "/tmp/start"\n');
}

before(async () => {
  await startServer();
  for (const f of ws.valid) baselines.set(f, fingerprint(await within(client.diagnostics(f), `baseline diagnostics of ${f}`)));
  for (const f of ws.valid) assert.notEqual(baselines.get(f), '[]', `${f} has a finding to keep`);
});
after(async () => { await client.stop(); fs.rmSync(ws.root, { recursive: true, force: true }); });

test('hostile recipes never crash, hang or bloat the server, and valid files keep their diagnostics', async () => {
  const rand = rng(SEED);
  const deadline = Date.now() + SECONDS * 1000;
  const tried = new Map<Category, number>();
  const failures: string[] = [];
  let peak = 0;
  let n = 0;
  while (Date.now() < deadline) {
    const input = hostileInput(rand);
    tried.set(input.category, (tried.get(input.category) ?? 0) + 1);
    const what = `input ${n++} (${input.name}, seed ${SEED})`;
    try {
      await client.change(ws.hostile, input.text);
      const td = { textDocument: { uri: uri(ws.hostile) } };
      await within(client.diagnostics(ws.hostile), `diagnostics of ${what}`);
      const position = positionAt(input.text, Math.floor(rand() * (input.text.length + 1)));
      for (const method of ['textDocument/completion', 'textDocument/hover', 'textDocument/definition']) await within(client.request(method, { ...td, position }), `${method} of ${what}`);
      for (const method of ['textDocument/documentSymbol', 'textDocument/semanticTokens/full', 'textDocument/foldingRange']) await within(client.request(method, td), `${method} of ${what}`);
      await within(client.request('textDocument/inlayHint', { ...td, range: { start: { line: 0, character: 0 }, end: positionAt(input.text, input.text.length) } }), `inlay hints of ${what}`);
      await within(client.request('cloche/graph', { uri: uri(ws.hostile) }), `cloche/graph of ${what}`);
      await within(client.request('workspace/diagnostic', { previousResultIds: [] }), `workspace diagnostics of ${what}`);
      if (input.category === 'markup') {
        for (const offset of offsetsOfStrings(input.text)) {
          const hover = await within(client.request<{ contents: { value: string } } | null>('textDocument/hover', { ...td, position: positionAt(input.text, offset) }), `hover of ${what}`);
          const live = hover ? liveMarkup(hover.contents.value) : [];
          if (live.length) failures.push(`${what}: hover makes recipe text live Markdown: ${live.join(', ')}`);
        }
      }
      for (const f of ws.valid) {
        const now = fingerprint(await within(client.diagnostics(f), `diagnostics of ${path.basename(f)} after ${what}`));
        if (now !== baselines.get(f)) failures.push(`${what}: ${f} lost its diagnostics: ${now} instead of ${baselines.get(f)}`);
      }
      const rss = rssMb(client.proc.pid!);
      peak = Math.max(peak, rss);
      if (rss > MAX_RSS_MB) failures.push(`${what}: server memory ${rss.toFixed(0)} MB > ${MAX_RSS_MB} MB`);
    } catch (e) {
      failures.push(`${what}: ${(e as Error).message}${client.proc.exitCode !== null ? ` (server exited ${client.proc.exitCode})` : ''}`);
      await client.stop();
      await startServer();
    }
    if (failures.length >= 20) break;
  }
  const counts = [...tried].map(([c, k]) => `${c} ${k}`).join(', ');
  console.log(`adversarial server: ${n} hostile inputs tried (${counts}) in ${SECONDS} s, seed ${SEED}; ${failures.length} found; peak server memory ${peak.toFixed(0)} MB`);
  assert.deepEqual(failures, []);
  assert.equal(client.proc.exitCode, null, 'the server is still running');
});

test('files outside the workspace are never served, whatever the URI says', async () => {
  const position = { line: 0, character: 6 };
  const leaks: string[] = [];
  for (const target of ws.outsideUris) {
    const td = { textDocument: { uri: target } };
    const answers = await Promise.allSettled([
      client.request('textDocument/hover', { ...td, position }),
      client.request('textDocument/documentSymbol', td),
      client.request('textDocument/definition', { ...td, position }),
      client.request('textDocument/semanticTokens/full', td),
      client.request('textDocument/diagnostic', td),
      client.request('textDocument/completion', { ...td, position }),
      client.request('cloche/graph', { uri: target }),
      client.request('cloche/renderedContent', { uri: target, position }),
      client.request('cloche/fidelity', { uri: target }),
    ]);
    for (const a of answers) {
      const value = a.status === 'fulfilled' ? a.value : undefined;
      const text = JSON.stringify(value ?? String(a.status === 'rejected' ? a.reason : null));
      // Only the secret file holds the token: an answer mentioning it read the file. For the system's
      // files, any answer with content (symbols, tokens, items) did.
      if (text.includes(SECRET) || !isEmptyAnswer(value)) leaks.push(`${target}: ${text.slice(0, 200)}`);
    }
  }
  assert.deepEqual(leaks, []);
});

test('a request for a file outside the workspace never opens it', async () => {
  const target = uri(ws.outsidePipe);
  const opened: string[] = [];
  for (const [method, params] of [
    ['textDocument/hover', { textDocument: { uri: target }, position: { line: 0, character: 1 } }],
    ['textDocument/documentSymbol', { textDocument: { uri: target } }],
    ['textDocument/diagnostic', { textDocument: { uri: target } }],
    ['cloche/graph', { uri: target }],
  ] as const) {
    let answered = false;
    const answer = client.request(method, params).catch(() => null).finally(() => { answered = true; });
    // Opening a pipe for writing without blocking succeeds only while someone has it open for
    // reading: that someone can only be the server. Writing and closing then lets it go on.
    const deadline = Date.now() + ANSWER_MS;
    while (!answered && Date.now() < deadline) {
      let fd: number | undefined;
      try { fd = fs.openSync(ws.outsidePipe, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK); } catch { /* no reader */ }
      if (fd !== undefined) { opened.push(method); fs.writeSync(fd, 'x'); fs.closeSync(fd); }
      await new Promise((r) => setTimeout(r, 25));
    }
    await within(answer, `${method} of a pipe outside the workspace`);
  }
  assert.deepEqual(opened, [], 'the server opened a file outside the workspace');
});

/** Null, an empty list, an error, or a report whose lists are all empty. */
function isEmptyAnswer(v: unknown): boolean {
  if (v == null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v).every((x) => x == null || typeof x === 'string' || (Array.isArray(x) && x.length === 0));
  return false;
}

/** Offsets inside each string literal of a recipe (where a hover shows recipe text). */
function offsetsOfStrings(text: string): number[] {
  const offsets: number[] = [];
  for (const m of text.matchAll(/"(?:[^"\\\n]|\\.)+"/g)) offsets.push(m.index! + 2);
  return offsets.slice(0, 8);
}
