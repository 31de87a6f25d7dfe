/**
 * systemd as PID 1 in a throwaway container, the way kitchen-dokken runs it but unprivileged:
 * tmpfs on /run and /run/lock, the host's cgroup filesystem mounted (read-only on a cgroup v1
 * host; on cgroup v2 read-write with the host's cgroup namespace), PID 1 the image's systemd, and
 * then a bounded wait until `systemctl is-system-running` says `running` or `degraded`.
 *
 * Which containers boot systemd: the caller says (`init: 'systemd'`: a kitchen `pid_one_command`,
 * the `--init` flag), else the image's {@link INIT_LABEL} label, which `cloche image build --init
 * systemd` sets. Pure data and scripts; the driver runs them.
 */

/** What runs as PID 1: Cloche's keep-alive shell, or the image's systemd. */
export type InitSystem = 'none' | 'systemd';

/** Image (and container) label naming the init the image boots: `cloche.init=systemd`. */
export const INIT_LABEL = 'cloche.init';

/** How long systemd may take to reach `running`/`degraded` (a few seconds here; generous, but bounded). */
export const SYSTEMD_BOOT_TIMEOUT_S = 90;

/**
 * PID 1 of a systemd container: `exec` the first systemd the image has (so systemd is PID 1), or
 * say plainly that there is none and exit (the wait then reports the container's output).
 */
export const SYSTEMD_PID1 = 'for i in /sbin/init /lib/systemd/systemd /usr/lib/systemd/systemd; do [ -x "$i" ] && exec "$i"; done; ' +
  'echo "cloche: this image has no systemd (no /sbin/init, /lib/systemd/systemd or /usr/lib/systemd/systemd)" >&2; exit 127';

/**
 * The `run` flags of a systemd container after the common ones: `cgroupVersion` is the daemon
 * host's (`1` or `2`, from the runtime's `info`), since the mount depends on it.
 */
export function systemdRunFlags(cgroupVersion: '1' | '2'): string[] {
  const cgroup = cgroupVersion === '2'
    ? ['--cgroupns=host', '-v', '/sys/fs/cgroup:/sys/fs/cgroup:rw']
    : ['-v', '/sys/fs/cgroup:/sys/fs/cgroup:ro'];
  // SIGRTMIN+3 is systemd's "halt"; TERM would be ignored by PID 1 and a stop would sit through the grace.
  return ['--tmpfs', '/run', '--tmpfs', '/run/lock', ...cgroup, '--stop-signal', 'RTMIN+3', '--stop-timeout', '3'];
}

/**
 * Waits inside the container until systemd is up: prints the last state on its own line, exits 0
 * for `running`/`degraded`, 1 when systemd gave up (`maintenance`, `stopping`) or the time ran out.
 */
export function systemdWaitScript(timeoutS = SYSTEMD_BOOT_TIMEOUT_S): string {
  return `_end=$(( $(date +%s) + ${timeoutS} ))
while :; do
  _s=$(systemctl is-system-running 2>/dev/null)
  case "$_s" in
    running|degraded) echo "state=$_s"; exit 0 ;;
    maintenance|stopping) break ;;
  esac
  [ "$(date +%s)" -ge "$_end" ] && break
  sleep 0.1
done
echo "state=\${_s:-none}"
systemctl --failed --no-legend --plain 2>/dev/null | head -n 5 | sed 's/^/failed=/'
exit 1`;
}

/** Parses the wait script's output: the state systemd reached and the failed units it listed. */
export function parseSystemdWait(stdout: string): { state: string; failed: string[] } {
  const lines = stdout.split('\n');
  const state = lines.find((l) => l.startsWith('state='))?.slice(6) ?? 'none';
  const failed = lines.filter((l) => l.startsWith('failed=')).map((l) => l.slice(7).trim().split(/\s+/)[0]).filter(Boolean);
  return { state, failed };
}

/** Whether a kitchen `pid_one_command` boots systemd (`/bin/systemd`, `/usr/lib/systemd/systemd`, `/sbin/init`). */
export function pidOneIsSystemd(command: string): boolean {
  const first = command.trim().split(/\s+/)[0] ?? '';
  return /(^|\/)(systemd|init)$/.test(first);
}
