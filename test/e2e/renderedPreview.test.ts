/**
 * The rendered-file preview in a real VS Code (code-server) with the VSIX installed: from the
 * command palette on a template resource, from a template file, and from the link in the hover of
 * `source`; unknown parts show as «unknown: …». Screenshots land in test-artifacts/e2e/.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { CodeServerSession, missingPart, ROOT } from './codeServer';

const skip = missingPart();
const FIXTURE = path.join(ROOT, 'test/fixtures/cookbooks/fx_content');

function lineOf(s: CodeServerSession, file: string, text: string): number {
  const i = readFileSync(path.join(s.workspace, file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${text} is in ${file}`);
  return i + 1;
}

describe('the rendered-file preview in code-server on fx_content', { skip, timeout: 600_000 }, () => {
  let s: CodeServerSession;
  before(async () => { s = await CodeServerSession.start({ workspace: FIXTURE, prefix: 'rendered' }); });
  after(async () => { if (s) await s.close(); });
  afterEach(async () => { if (s) await s.screenshot('after-step'); });

  /** The text of the editor showing the preview tab `name` (Monaco renders spaces as no-break spaces). */
  async function previewText(name: string): Promise<string> {
    const active = s.page.locator(`.tab.active .label-name:text-is("${name}")`);
    await active.first().waitFor({ timeout: 60_000 });
    const group = s.page.locator('.editor-group-container', { has: active }).first();
    const lines = group.locator('.monaco-editor .view-lines').first();
    await lines.waitFor({ timeout: 30_000 });
    return (await lines.innerText()).replace(/\u00a0/g, ' ');
  }

  it('previews the template declared at the cursor, holes marked', async () => {
    await s.openFile('recipes/default.rb');
    // The server indexes in the background; ask until it answers with the file.
    let text = '';
    for (let attempt = 0; attempt < 10 && !text.includes('listen 8080'); attempt++) {
      await s.gotoLineEnd(lineOf(s, 'recipes/default.rb', "template '/etc/fx/app.conf' do"));
      await s.command('Cloche: Preview Rendered File');
      text = await previewText('app.conf').catch(() => '');
    }
    await s.screenshot('preview-from-recipe');
    assert.match(text, /listen 8080/);
    assert.match(text, /password «unknown: `data_bag_item` reads/);
    assert.doesNotMatch(text, /<%/);
  });

  it('previews what a template renders from the template itself', async () => {
    await s.openFile('templates/known.conf.erb');
    await s.command('Cloche: Preview Rendered File');
    // Two resources render known.conf.erb: the user picks one.
    const pick = s.page.locator('.quick-input-list .monaco-list-row', { hasText: 'template[/etc/fx/known.conf]' }).first();
    await pick.waitFor({ timeout: 30_000 });
    await pick.click();
    const text = await previewText('known.conf');
    await s.screenshot('preview-from-template');
    assert.match(text, /port = 8080\s+name = alpha\s+name = beta/);
  });

  it('shows the rendered text in the hover of source, with a link that opens the preview', async () => {
    await s.openFile('recipes/default.rb');
    await s.gotoLineEnd(lineOf(s, 'recipes/default.rb', "  source 'banner.txt'"));
    await s.page.keyboard.press('Home');
    await s.command('Show or Focus Hover');
    const hover = s.page.locator('.monaco-hover', { hasText: 'Would write' }).first();
    await hover.waitFor({ timeout: 30_000 });
    assert.match(await hover.innerText(), /Authorised use only\./);
    await s.screenshot('hover-source');
    await hover.locator('a', { hasText: 'Preview rendered file' }).click();
    assert.match(await previewText('banner.txt'), /Authorised use only\./);
  });
});
