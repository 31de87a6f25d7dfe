/**
 * A second Docker daemon on this machine, for `cloche test --matrix --host` (the engine test and
 * `npm run bench:matrix`): its own socket, data root, exec root and pidfile in a temporary folder,
 * and a network namespace of its own (`unshare --net`) with no bridge and no iptables rules, so it
 * cannot touch the main daemon's networks (dockerd with `--bridge none` deletes any `docker0` it
 * sees: in the machine's namespace that would be the main daemon's bridge); its containers run with
 * `--network none`. Cloche's images are loaded into it from the main daemon (`docker save | docker -H … load`).
 *
 * `kill()` stands for a machine that dies: dockerd and its containerd get SIGKILL (by their
 * pidfiles), so the socket stops answering while the containers' processes are orphaned.
 * `stop()` removes everything whatever state it is in: a killed daemon is started once more on the
 * same folders (it stops the containers it finds orphaned), its containers are removed, it is
 * stopped, its mounts are unmounted and its folder removed. `stop()` runs synchronously (a shell
 * script), so it also runs from a process `exit` hook when a test is cut short.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The daemon's command after `unshare --net` (the same for its restart in `stop`). */
const FLAGS = (dir: string): string[] => [
  'dockerd', '--host', `unix://${dir}/docker.sock`, '--data-root', `${dir}/data`, '--exec-root', `${dir}/exec`, '--pidfile', `${dir}/docker.pid`,
  '--bridge', 'none', '--iptables=false', '--ip6tables=false', '--ip-masq=false',
];

/** Waits (bounded) until `docker -H host version` answers; the shell function of the teardown script does the same. */
function waitUp(host: string, seconds: number): boolean {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (spawnSync('docker', ['-H', host, 'version', '--format', '{{.Server.Version}}'], { stdio: 'ignore', timeout: 5000 }).status === 0) return true;
    spawnSync('sleep', ['0.3']);
  }
  return false;
}

/**
 * The teardown, in bash so it can run synchronously: restart a dead daemon once (to stop the
 * containers it left running), remove its containers, SIGTERM it and wait, SIGKILL what is left of
 * it and its containerd (their pids from their pidfiles only), unmount, remove the folder.
 */
const TEARDOWN = String.raw`
set -u
dir="$1"; shift
host="unix://$dir/docker.sock"
pid_of() { [ -f "$1" ] && cat "$1" 2>/dev/null; }
# Alive and not a zombie (a killed daemon whose parent has not reaped it yet).
alive() { [ -n "$1" ] && [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
up() { docker -H "$host" version --format '{{.Server.Version}}' >/dev/null 2>&1; }
if [ -d "$dir/data" ] && ! up; then
  d=$(pid_of "$dir/docker.pid"); c=$(pid_of "$dir/exec/containerd/containerd.pid")
  alive "$d" && kill -9 "$d"; alive "$c" && kill -9 "$c"
  rm -f "$dir/docker.pid" "$dir/exec/containerd/containerd.pid"
  setsid unshare --net "$@" >>"$dir/dockerd.log" 2>&1 < /dev/null &
  for i in $(seq 1 60); do up && break; sleep 0.5; done
fi
if up; then
  ids=$(docker -H "$host" ps -aq)
  [ -n "$ids" ] && docker -H "$host" rm -f -v $ids >/dev/null 2>&1
fi
d=$(pid_of "$dir/docker.pid"); c=$(pid_of "$dir/exec/containerd/containerd.pid")
alive "$d" && kill -TERM "$d"
for i in $(seq 1 60); do alive "$d" || alive "$c" || break; sleep 0.5; done
alive "$d" && kill -9 "$d"; alive "$c" && kill -9 "$c"
grep -F " $dir/" /proc/mounts | cut -d' ' -f2 | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
[ -n "\${CLOCHE_D2_TRACE:-}" ] && tail -n 30 "$dir/dockerd.log" >&2
grep -qF " $dir/" /proc/mounts || rm -rf "$dir"
`;

/** Removes the second daemon whose folder is `dir` (see {@link SecondDaemon.stop}); also for a folder a crashed run left. */
export function teardownSecondDaemon(dir: string): void {
  const trace = !!process.env.CLOCHE_D2_TRACE;
  spawnSync('bash', [...(trace ? ['-x'] : []), '-c', TEARDOWN, 'teardown', dir, ...FLAGS(dir)], { stdio: trace ? 'inherit' : 'ignore', timeout: 120_000 });
}

/** A second daemon started by {@link startSecondDaemon}. */
export interface SecondDaemon {
  /** Its `--host` / DOCKER_HOST: `unix://…/docker.sock`. */
  host: string;
  dir: string;
  /** SIGKILL to dockerd and its containerd: the host dies (its socket stops answering). */
  kill(): void;
  /** Removes the daemon, its containers and its folder, whatever state it is in (idempotent, synchronous). */
  stop(): void;
}

/**
 * Starts a second daemon with `images` loaded from the main one. Returns why not (no dockerd,
 * not root, it did not come up) rather than throwing, so a test can skip with the reason.
 */
export function startSecondDaemon(images: readonly string[]): SecondDaemon | string {
  if (process.getuid?.() !== 0) return 'a second Docker daemon needs root';
  if (spawnSync('dockerd', ['--version'], { stdio: 'ignore' }).status !== 0) return 'dockerd is not installed';
  if (spawnSync('unshare', ['--net', 'true'], { stdio: 'ignore' }).status !== 0) return 'unshare --net does not work here (a network namespace of its own is needed)';
  // A short path: the socket's must fit in sockaddr_un (108 bytes).
  const dir = mkdtempSync(join(tmpdir(), 'cloche-d2-'));
  const host = `unix://${dir}/docker.sock`;
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stop);
    teardownSecondDaemon(dir);
  };
  process.on('exit', stop);
  const log = openSync(join(dir, 'dockerd.log'), 'a');
  const child = spawn('unshare', ['--net', ...FLAGS(dir)], { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  if (!waitUp(host, 30)) {
    const tail = existsSync(join(dir, 'dockerd.log')) ? readFileSync(join(dir, 'dockerd.log'), 'utf8').trim().split('\n').slice(-3).join(' | ') : '';
    stop();
    return `the second dockerd did not answer within 30 s${tail ? ` (${tail})` : ''}`;
  }
  for (const image of images) {
    const r = spawnSync('bash', ['-c', 'set -o pipefail; docker save "$1" | docker -H "$2" load >/dev/null', 'load', image, host], { encoding: 'utf8', timeout: 180_000 });
    if (r.status !== 0) { stop(); return `could not load ${image} into the second daemon: ${r.stderr.trim().split('\n').pop()}`; }
  }
  const pidOf = (file: string): number | undefined => { try { return Number(readFileSync(file, 'utf8').trim()) || undefined; } catch { return undefined; } };
  return {
    host,
    dir,
    kill: () => {
      for (const file of [join(dir, 'docker.pid'), join(dir, 'exec', 'containerd', 'containerd.pid')]) {
        const pid = pidOf(file);
        if (pid) try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
      }
    },
    stop,
  };
}
