/**
 * Extension activation time as VS Code itself measures it (code loading + activate(), shown in
 * "Developer: Show Running Extensions"), in code-server with Cloche installed from its VSIX, opening
 * examples/webserver. Several fresh sessions; prints each figure and the median.
 *   npm run bench:activation            (RUNS=5 by default)
 */
import path from 'node:path';
import { CodeServerSession, missingPart, ROOT } from '../e2e/codeServer';

const RUNS = Number(process.env.RUNS ?? 5);

async function once(i: number): Promise<number> {
  const s = await CodeServerSession.start({ workspace: path.join(ROOT, 'examples/webserver'), prefix: `bench-activation-${i}` });
  try {
    await s.openFile('recipes/default.rb');
    await s.command('Developer: Show Running Extensions');
    const row = s.page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'Cloche' }).first();
    await row.locator('text=/Activation: \\d+ms/').waitFor({ timeout: 30_000 });
    const text = await row.innerText();
    const m = /(Startup )?Activation: (\d+)ms/.exec(text);
    if (!m) throw new Error(`no activation time in: ${text}`);
    return Number(m[2]);
  } finally {
    await s.close();
  }
}

(async () => {
  if (missingPart()) process.exit(2);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const ms = await once(i);
    times.push(ms);
    console.log(`run ${i + 1}: activation ${ms} ms`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`extension activation (code load + activate), ${RUNS} fresh code-server sessions: median ${sorted[Math.floor(sorted.length / 2)]} ms, min ${sorted[0]} ms, max ${sorted[sorted.length - 1]} ms (target ≤ 200 ms)`);
})().catch((e) => { console.error(e); process.exit(1); });
