/**
 * Lint and format with the cookbook author's RuboCop in a real VS Code (code-server) with the VSIX
 * installed and Debian's `rubocop` on PATH: on the lint_fx fixture (its own `.rubocop.yml`), the
 * recipe's offences show in Problems with RuboCop as their source and the cop as their code, the
 * language status names the linter, and Format Document fixes them (the Problems rows go, the text is
 * RuboCop's autocorrect). Screenshots land in test-artifacts/e2e/. With CI set a missing rubocop fails.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { CodeServerSession, missingPart, ROOT, waitFor } from './codeServer';
import { rubocopMissing } from '../rubocop';

const skip = missingPart() ?? rubocopMissing('the lint end-to-end test');
const FIXTURE = path.join(ROOT, 'test/e2e/fixtures/lint_fx');

describe('RuboCop offences in Problems and Format Document in code-server on lint_fx', { skip, timeout: 600_000 }, () => {
  let s: CodeServerSession;
  before(async () => { s = await CodeServerSession.start({ workspace: FIXTURE, prefix: 'lint', settings: { 'cloche.lint.run': 'onSave' } }); });
  after(async () => { if (s) await s.close(); });
  afterEach(async () => { if (s) await s.screenshot('after-step'); });

  const row = (text: string) => s.page.locator('.markers-panel .monaco-list-row', { hasText: text }).first();
  const editorLines = async () => (await s.page.locator('.monaco-editor .view-lines .view-line').allInnerTexts()).map((l) => l.replace(/\u00a0/g, ' '));

  it('shows the recipe\'s RuboCop offences in Problems, and Format Document fixes them', async () => {
    await s.openFile('recipes/default.rb');
    await s.command('View: Focus Problems');
    const quotes = row('Prefer single-quoted strings');
    const indent = row('Use 2 (not 4) spaces for indentation');
    await quotes.waitFor({ timeout: 120_000 });
    await indent.waitFor({ timeout: 30_000 });
    // The row names the tool, the cop and the place.
    assert.match((await quotes.innerText()).replace(/\s+/g, ' '), /rubocop Style\/StringLiterals \[Ln 1, Col 9\]/);
    assert.match((await indent.innerText()).replace(/\s+/g, ' '), /rubocop Layout\/IndentationWidth \[Ln 4, Col 1\]/);
    await s.screenshot('offences-in-problems');

    await s.page.locator('.monaco-editor .view-lines').first().click();
    await s.command('Format Document');
    await waitFor(async () => (await editorLines()).join('\n').startsWith("package 'nginx'\n\nservice 'nginx' do\n  action :start\nend"), 60_000,
      () => 'Format Document did not apply RuboCop\'s corrections');
    // The formatted text is linted when it arrives: its offences leave Problems without a save.
    await quotes.waitFor({ state: 'detached', timeout: 60_000 });
    await indent.waitFor({ state: 'detached', timeout: 30_000 });
    await s.screenshot('formatted');
  });
});
