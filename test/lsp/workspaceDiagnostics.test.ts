/**
 * Workspace pull diagnostics over real LSP: a report for every cookbook file that can carry findings,
 * result ids, `unchanged` reports for files whose diagnostics did not change, and fresh reports after
 * an edit (for the edited file and, across files, for the files it affects).
 */
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  WorkspaceDiagnosticRequest, DocumentDiagnosticRequest, type WorkspaceDocumentDiagnosticReport, type WorkspaceFullDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol';
import { CancellationTokenSource } from 'vscode-jsonrpc';
import { TestClient, FIXTURES, uri } from './client';

let client: TestClient;
before(async () => { client = await TestClient.start(); });
after(async () => { await client.stop(); });

/** Every file under the fixtures that a report is expected for, listed from the disk (not from the server). */
function expectedFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string, keep: (name: string) => boolean): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, keep); else if (keep(e.name)) out.push(p);
    }
  };
  const ruby = (n: string) => n.endsWith('.rb');
  for (const cb of fs.readdirSync(FIXTURES)) {
    walk(path.join(FIXTURES, cb, 'recipes'), (n) => ruby(n) || /\.ya?ml$/.test(n));
    for (const sub of ['attributes', 'resources', 'providers', 'definitions', 'libraries']) walk(path.join(FIXTURES, cb, sub), ruby);
    walk(path.join(FIXTURES, cb, 'templates'), () => true);
    out.push(path.join(FIXTURES, cb, 'metadata.rb'));
  }
  return out.map(uri).sort();
}

const pullWorkspace = async (previous: WorkspaceDocumentDiagnosticReport[] = []) =>
  (await client.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: previous.filter((r) => r.resultId).map((r) => ({ uri: r.uri, value: r.resultId! })) })).items;
const byUri = (items: WorkspaceDocumentDiagnosticReport[]) => new Map(items.map((r) => [r.uri, r]));
const full = (r: WorkspaceDocumentDiagnosticReport | undefined) => { assert.equal(r?.kind, 'full', `${r?.uri} should be a full report`); return r as WorkspaceFullDocumentDiagnosticReport; };

test('the server advertises workspace diagnostics', () => {
  const provider = client.initialized?.capabilities.diagnosticProvider;
  assert.ok(provider && 'workspaceDiagnostics' in provider && provider.workspaceDiagnostics === true);
});

test('workspace/diagnostic: a report per file, unchanged ones by result id, fresh ones after an edit', async () => {
  const first = await pullWorkspace();
  assert.deepEqual(first.map((r) => r.uri).sort(), expectedFiles());
  assert.ok(first.every((r) => r.kind === 'full' && typeof r.resultId === 'string'));
  const reports = byUri(first);
  const unknownProperty = path.join(FIXTURES, 'fx_errors/recipes/unknown_property.rb');
  assert.deepEqual(full(reports.get(uri(unknownProperty))).items.map((d) => d.code), ['unknown-property']);
  assert.equal(full(reports.get(uri(unknownProperty))).version, null, 'not open: no version');
  // The same findings a document pull gives, for every recipe of fx_errors.
  for (const f of fs.readdirSync(path.join(FIXTURES, 'fx_errors/recipes'))) {
    const file = path.join(FIXTURES, 'fx_errors/recipes', f);
    assert.deepEqual(full(reports.get(uri(file))).items, await client.diagnostics(file), f);
  }
  const clean = first.filter((r) => /fx_(base|custom|community)\//.test(r.uri));
  assert.deepEqual(clean.flatMap((r) => full(r).items.filter((d) => d.severity === 1).map((d) => `${r.uri} ${d.code}`)), []);

  // Nothing changed: the request is held open (VS Code asks again 2 s after each answer, and an idle
  // workspace should cost nothing)…
  const held = pullWorkspace(first);
  assert.equal(await settledWithin(held, 800), false, 'held open while nothing changes');
  // …until an edit: fixing the typo answers it, with that file fresh and the others unchanged.
  const text = fs.readFileSync(unknownProperty, 'utf8');
  await client.open(unknownProperty, text.replace('contnt "hello', 'content "hello'));
  const third = byUri(await held);
  const fixed = full(third.get(uri(unknownProperty)));
  assert.deepEqual(fixed.items, []);
  assert.equal(fixed.version, 1);
  assert.notEqual(fixed.resultId, reports.get(uri(unknownProperty))?.resultId);
  assert.deepEqual([...third.values()].filter((r) => r.kind !== 'unchanged').map((r) => r.uri), [uri(unknownProperty)]);
  assert.ok([...third.values()].filter((r) => r.kind === 'unchanged').every((r) => r.resultId === reports.get(r.uri)?.resultId));
  await client.change(unknownProperty, text);
});

test('workspace/diagnostic: a cross-file change reports the affected file fresh', async () => {
  const service = path.join(FIXTURES, 'fx_base/recipes/service.rb');
  const config = path.join(FIXTURES, 'fx_base/recipes/config.rb');
  const original = fs.readFileSync(service, 'utf8');
  const first = await pullWorkspace();
  await client.open(service, original.replace("service fx['service_name'] do", "service 'renamed' do"));
  let after: WorkspaceDocumentDiagnosticReport[] = [];
  try {
    after = await pullWorkspace(first);
    assert.ok(full(byUri(after).get(uri(config))).items.some((d) => d.code === 'dangling-notification'));
  } finally { await client.change(service, original); }
  // Against the reports of the edited state, the revert makes config.rb fresh again, as it first was.
  const back = byUri(await pullWorkspace(after));
  assert.equal(full(back.get(uri(config))).resultId, byUri(first).get(uri(config))?.resultId);
});

test('workspace/diagnostic: a held-open request answers when cancelled', async () => {
  const first = await pullWorkspace();
  const source = new CancellationTokenSource();
  const held = client.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: first.map((r) => ({ uri: r.uri, value: r.resultId! })) }, source.token);
  assert.equal(await settledWithin(held, 500), false);
  source.cancel();
  const answer = await Promise.race([held.then(() => 'answered', () => 'answered'), new Promise((r) => setTimeout(() => r('hung'), 5_000))]);
  assert.equal(answer, 'answered');
});

test('workspace/diagnostic with a partial result token: the reports arrive as partial results, the same as a whole answer', async () => {
  const whole = await pullWorkspace();
  const token = 'workspace-partials';
  const partials: WorkspaceDocumentDiagnosticReport[][] = [];
  const listening = client.conn.onProgress(WorkspaceDiagnosticRequest.partialResult, token, (p) => { partials.push(p.items); });
  try {
    const answer = await client.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [], partialResultToken: token });
    assert.deepEqual(answer.items.length, 0, `everything came as partial results (${partials.length} partials)`);
    assert.ok(partials.length >= 1);
    const streamed = partials.flat();
    assert.deepEqual(streamed.map((r) => r.uri).sort(), whole.map((r) => r.uri).sort());
    assert.deepEqual(byUri(streamed).get(uri(path.join(FIXTURES, 'fx_errors/recipes/unknown_property.rb'))), byUri(whole).get(uri(path.join(FIXTURES, 'fx_errors/recipes/unknown_property.rb'))));

    // Held open while nothing changes, nothing streamed; an edit streams the fresh report and the unchanged rest.
    partials.length = 0;
    const held = client.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: streamed.map((r) => ({ uri: r.uri, value: r.resultId! })), partialResultToken: token });
    assert.equal(await settledWithin(held, 800), false);
    assert.equal(partials.length, 0, 'nothing streamed while nothing changed');
    const unknownProperty = path.join(FIXTURES, 'fx_errors/recipes/unknown_property.rb');
    const text = fs.readFileSync(unknownProperty, 'utf8');
    await client.open(unknownProperty, text.replace('contnt "hello', 'content "hello'));
    assert.deepEqual((await held).items, []);
    const after = partials.flat();
    assert.deepEqual(after.filter((r) => r.kind === 'full').map((r) => r.uri), [uri(unknownProperty)]);
    assert.equal(after.length, whole.length);
    await client.change(unknownProperty, text);
  } finally { listening.dispose(); }
});

/** Whether a promise settles within `ms`. */
async function settledWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([p.then(() => true, () => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
}

test('textDocument/diagnostic: unchanged when the previous result id still holds', async () => {
  const file = path.join(FIXTURES, 'fx_errors/recipes/unknown_action.rb');
  const firstReport = await client.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: uri(file) } });
  assert.equal(firstReport.kind, 'full');
  const again = await client.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: uri(file) }, previousResultId: firstReport.resultId });
  assert.deepEqual(again, { kind: 'unchanged', resultId: firstReport.resultId });
  const stale = await client.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: uri(file) }, previousResultId: 'not-a-result-id' });
  assert.equal(stale.kind, 'full');
});
