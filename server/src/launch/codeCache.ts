/**
 * Runs a bundle (`dist/cloche-cli.js`, `dist/cloche-server.js`) with a V8 code cache, so a process
 * does not compile its 3 MB of JavaScript again on every start: about a tenth of a `cloche diff` or a
 * `cloche check` of a small cookbook went to compiling the functions it runs.
 *
 * The cache is written when the process exits, after the run, so it holds every function the run
 * compiled (a cache made before running would hold only the bundle's top level: nearly every function
 * of a bundle is compiled lazily). It lives in `$XDG_CACHE_HOME/cloche/code` (else `~/.cache/…`), one
 * file per bundle file (path, size, modification time) and V8 version; V8 refuses a cache made by
 * another version or other flags, and that file is then written again. Any failure to read or write
 * the cache only costs the compile time: the bundle runs the same. Writing a cache removes the same
 * bundle's caches not written for a week (each rebuild makes one). `CLOCHE_CODE_CACHE=off` runs
 * without it; `CLOCHE_CODE_CACHE=report` says on stderr what happened (for tests).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** What became of the cache in one start. */
export type CacheOutcome = 'off' | 'accepted' | 'rejected' | 'missing';

/** The folder code caches are kept in. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'cloche', 'code');
}

/** The cache file of one bundle file as it is now, for this V8. */
export function codeCacheFile(bundle: string, stat: fs.Stats, dir = codeCacheDir()): string {
  const key = createHash('sha256').update(`${path.resolve(bundle)}\0${stat.size}\0${stat.mtimeMs}\0${process.versions.v8}\0${process.arch}`).digest('hex').slice(0, 32);
  return path.join(dir, `${path.basename(bundle, '.js')}-${key}.bin`);
}

/** Runs a CommonJS bundle as Node would run it as the main module, through a code cache. */
export function runBundle(bundle: string): void {
  const mode = process.env.CLOCHE_CODE_CACHE;
  const source = fs.readFileSync(bundle, 'utf8').replace(/^#!.*/, '');
  const cacheFile = mode === 'off' ? undefined : cacheFileOf(bundle);
  const cachedData = cacheFile ? readCache(cacheFile) : undefined;
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  const outcome: CacheOutcome = !cacheFile ? 'off' : !cachedData ? 'missing' : script.cachedDataRejected ? 'rejected' : 'accepted';
  if (mode === 'report') process.stderr.write(`cloche code cache: ${outcome}\n`);
  if (cacheFile && outcome !== 'accepted') process.once('exit', () => writeCache(cacheFile, script.createCachedData()));
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  const mod = new Module(bundle, module);
  mod.filename = bundle;
  wrapper.call(mod.exports, mod.exports, Module.createRequire(bundle), mod, bundle, path.dirname(bundle));
}

function cacheFileOf(bundle: string): string | undefined {
  try { return codeCacheFile(bundle, fs.statSync(bundle)); } catch { return undefined; }
}

function readCache(file: string): Buffer | undefined {
  try { return fs.readFileSync(file); } catch { return undefined; }
}

/** How long a cache of another build of the same bundle is kept (another install may still use it). */
const STALE_MS = 7 * 24 * 3600 * 1000;

/** Removes the caches of the same bundle not written for a week: every rebuild makes a new one. */
function pruneStale(file: string): void {
  const dir = path.dirname(file);
  const prefix = path.basename(file).replace(/-[0-9a-f]{32}\.bin$/, '-');
  for (const name of fs.readdirSync(dir)) {
    const other = path.join(dir, name);
    if (other === file || !name.startsWith(prefix) || !/-[0-9a-f]{32}\.bin$/.test(name)) continue;
    try { if (Date.now() - fs.statSync(other).mtimeMs > STALE_MS) fs.rmSync(other, { force: true }); } catch { /* gone already */ }
  }
}

/** Writes the cache beside itself and renames it into place, so a reader never sees half a file; any failure is ignored. */
function writeCache(file: string, data: Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temporary, data);
    fs.renameSync(temporary, file);
    pruneStale(file);
  } catch {
    try { fs.rmSync(temporary, { force: true }); } catch { /* nothing to remove */ }
  }
}
