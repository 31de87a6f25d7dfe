/**
 * Evaluates Ruby programs in a child process, for tests whose inputs could hang or exhaust the
 * process that runs them (catastrophic regexps, size bombs): a regression then fails the test (the
 * child times out or dies at its heap limit) instead of taking the test runner down with it.
 *
 * `evalInChild(programs, { heapMb, timeoutMs })` runs this file with Node; the child reads the
 * programs as JSON on stdin, evaluates each in a fresh Chef interpreter and writes one JSON line per
 * program (`EvalOutcome`) as it goes, so the last line names the program that did not finish. A
 * `PropertyProbe` instead checks a text against a property's `regex:` as validation does, and a
 * `CookbookProbe` compiles a one-recipe cookbook (with a template) through the model, as
 * `cloche graph --with-content` does.
 */
import { spawnSync } from 'node:child_process';

export interface EvalOutcome {
  /** `inspect` of the result (unknowns show as `«unknown: reason»`). */
  value: string;
  /** The result's reason when it is unknown. */
  unknown?: string;
  /** Messages of the evaluator's findings (`evaluation-budget` …). */
  findings: string[];
  /** Heap in use right after the evaluation, in MB (garbage included). */
  heapMb: number;
  ms: number;
}

/** A property validation to run: `regex` as a resource declares it (`/src/flags`), against `text`. */
export interface PropertyProbe { regex: string; text: string }

/** A cookbook of one recipe and one template `t.erb`: the outcome's value is the graph's findings and contents as JSON. */
export interface CookbookProbe { recipe: string; template?: string; metadata?: string; metadataJson?: string }

export interface ChildRun {
  outcomes: EvalOutcome[];
  /** Why the child did not finish: a timeout, a signal or its exit status, with the end of its stderr. */
  failure?: string;
}

export function evalInChild(programs: (string | PropertyProbe | CookbookProbe)[], opts: { heapMb?: number; timeoutMs?: number } = {}): ChildRun {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${opts.heapMb ?? 512}`, '--import', 'tsx', __filename], {
    input: JSON.stringify(programs), encoding: 'utf8', timeout: opts.timeoutMs ?? 60_000, killSignal: 'SIGKILL', maxBuffer: 1 << 26,
  });
  const outcomes = (r.stdout ?? '').split('\n').filter(Boolean).map((l) => JSON.parse(l) as EvalOutcome);
  const done = r.status === 0 && outcomes.length === programs.length;
  const pending = programs[outcomes.length];
  const failure = done ? undefined
    : `${r.error ? r.error.message : r.signal ? `killed (${r.signal})` : `exit ${r.status}`} while evaluating ${JSON.stringify(pending)?.slice(0, 160)}: ${(r.stderr ?? '').slice(-400)}`;
  return { outcomes, failure };
}

async function child(): Promise<void> {
  const { parseRuby } = await import('../../server/src/ruby/prism');
  const { Env } = await import('../../server/src/ruby/interpreter');
  const { ChefWorld } = await import('../../server/src/chef/dsl/chefWorld');
  const { rubyInspect } = await import('../../server/src/ruby/core/display');
  const main = { className: 'main', describe: () => 'main', call: () => undefined };
  const { checkPropertyValue } = await import('../../server/src/chef/catalog/propertyCheck');
  const programs = JSON.parse(require('node:fs').readFileSync(0, 'utf8')) as (string | PropertyProbe | CookbookProbe)[];
  const world = ChefWorld.standalone();
  for (const src of programs) {
    const t0 = Date.now();
    if (typeof src !== 'string' && 'recipe' in src) {
      const value = await compileCookbook(src);
      process.stdout.write(JSON.stringify({ value, findings: [], heapMb: Math.round(process.memoryUsage().heapUsed / 1e6), ms: Date.now() - t0 }) + '\n');
      continue;
    }
    if (typeof src !== 'string') {
      const r = checkPropertyValue({ name: 'p', types: ['String'], regex: [src.regex] } as never, { k: 'str', v: src.text });
      process.stdout.write(JSON.stringify({ value: JSON.stringify(r), findings: [], heapMb: 0, ms: Date.now() - t0 }) + '\n');
      continue;
    }
    const interp = world.interpreter();
    const { value, raised } = interp.evalProgram(new Env(undefined, main, { file: '/x.rb', parsed: parseRuby(src) }));
    const shown = raised ? `raise ${raised.exceptionClass}: ${raised.message}` : rubyInspect(value);
    const outcome: EvalOutcome = {
      value: shown.length > 2000 ? shown.slice(0, 2000) + '…' : shown,
      ...(value.k === 'unknown' ? { unknown: value.reason } : {}),
      findings: interp.findings.map((f) => f.message),
      heapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
      ms: Date.now() - t0,
    };
    process.stdout.write(JSON.stringify(outcome) + '\n');
  }
}

/** Compiles a temporary cookbook `hv` and answers its graph's diagnostics and file contents, as JSON text. */
async function compileCookbook(probe: CookbookProbe): Promise<string> {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const { Model } = await import('../../server/src/chef/model');
  const { getPlatformProfile } = await import('../../server/src/chef/platforms');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-hostile-'));
  try {
    const cb = path.join(root, 'hv');
    fs.mkdirSync(path.join(cb, 'recipes'), { recursive: true });
    fs.mkdirSync(path.join(cb, 'templates'), { recursive: true });
    if (probe.metadataJson) fs.writeFileSync(path.join(cb, 'metadata.json'), probe.metadataJson);
    else fs.writeFileSync(path.join(cb, 'metadata.rb'), "name 'hv'\nversion '0.1.0'\n" + (probe.metadata ?? ''));
    fs.writeFileSync(path.join(cb, 'recipes', 'default.rb'), probe.recipe);
    fs.writeFileSync(path.join(cb, 'templates', 't.erb'), probe.template ?? '');
    const { graph, contentOf } = new Model([root]).graphWithContent(['hv::default'], getPlatformProfile('debian-12')!);
    const contents = graph.resources.map((r) => { const c = contentOf(r.id); return c && 'unknown' in c ? { unknown: c.unknown } : { length: c && 'content' in c ? c.content.length : undefined }; });
    const text = JSON.stringify({ diagnostics: graph.diagnostics.map((d) => `${d.code}: ${d.message} (line ${d.line})`), resources: graph.resources.map((r) => r.id), properties: graph.resources.map((r) => r.properties), contents });
    return text.length > 20_000 ? text.slice(0, 20_000) + '…' : text;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (require.main === module) void child();
