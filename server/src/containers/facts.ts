/**
 * Platform facts of a target, read by a read-only POSIX sh snippet (no python, no jq — a
 * minbase Debian has only sh, sed, awk and coreutils) that prints ONE JSON line.
 *
 * The snippet prints raw readings; {@link parseFacts} does the Ohai-style mapping
 * (platform names, families, version choice) in TypeScript, where it is unit-testable.
 */

/** Marks the facts record among other records of a combined probe script. */
export const FACTS_KIND = 'facts';

/**
 * Read-only shell snippet; runs in a subshell so its helpers and variables cannot leak into
 * (or be broken by `set -e` in) the probes the engine concatenates around it.
 * JSON escaping: backslash and quote are escaped, control characters dropped.
 */
export const FACTS_SCRIPT = String.raw`(
_cf_s() { printf '%s' "$1" | LC_ALL=C tr -d '\000-\037' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'; }
_cf_osr() {
  for _cf_f in /etc/os-release /usr/lib/os-release; do
    if [ -r "$_cf_f" ]; then
      sed -n "s/^$1=//p" "$_cf_f" | head -n 1 | sed -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'\$/\1/"
      return 0
    fi
  done
}
_cf_pm=none
for _cf_p in apt-get:apt dnf:dnf yum:yum zypper:zypper apk:apk pacman:pacman; do
  if command -v "\${_cf_p%%:*}" >/dev/null 2>&1; then _cf_pm=\${_cf_p#*:}; break; fi
done
_cf_dv=; [ -r /etc/debian_version ] && _cf_dv=$(head -n 1 /etc/debian_version)
_cf_rv=; [ -r /etc/redhat-release ] && _cf_rv=$(head -n 1 /etc/redhat-release)
_cf_init=; [ -r /proc/1/comm ] && _cf_init=$(cat /proc/1/comm 2>/dev/null)
_cf_host=$(uname -n)
# hostname -f may consult DNS: bound it, and fall back to the short name.
_cf_fqdn=
if command -v hostname >/dev/null 2>&1; then
  if command -v timeout >/dev/null 2>&1; then _cf_fqdn=$(timeout 2 hostname -f 2>/dev/null)
  else _cf_fqdn=$(hostname -f 2>/dev/null); fi
fi
[ -n "$_cf_fqdn" ] || _cf_fqdn=$_cf_host
# What Ohai reads of the hardware and the network, from /proc and /sys (no tools a minbase lacks).
_cf_cpu=$(grep -c '^processor' /proc/cpuinfo 2>/dev/null)
_cf_sockets=$(awk -F: '/^physical id/ { p[$2] = 1 } END { n = 0; for (k in p) n++; print n }' /proc/cpuinfo 2>/dev/null)
_cf_mem=$(awk '/^(MemTotal|MemFree|MemAvailable|SwapTotal|SwapFree):/ { printf "%s%s", sep, $2; sep = " " }' /proc/meminfo 2>/dev/null)
_cf_route=$(awk 'NR > 1 && $2 == "00000000" { print $1, $3; exit }' /proc/net/route 2>/dev/null)
_cf_if=\${_cf_route%% *}
_cf_mac=; [ -n "$_cf_if" ] && [ -r "/sys/class/net/$_cf_if/address" ] && _cf_mac=$(cat "/sys/class/net/$_cf_if/address")
_cf_ips=$(awk '/32 host/ { print f } { f = $2 }' /proc/net/fib_trie 2>/dev/null | grep -v '^127\.' | sort -u | tr '\n' ' ')
_cf_up=$(cut -d' ' -f1 /proc/uptime 2>/dev/null)
printf '{"kind":"facts","id":"%s","id_like":"%s","version_id":"%s","debian_version":"%s","redhat_release":"%s","hostname":"%s","fqdn":"%s","kernel_release":"%s","machine":"%s","pid1":"%s","package_manager":"%s","cpu":"%s","sockets":"%s","memory":"%s","route":"%s","mac":"%s","ips":"%s","uptime":"%s","tz":"%s"}\n' \
  "$(_cf_s "$(_cf_osr ID)")" "$(_cf_s "$(_cf_osr ID_LIKE)")" "$(_cf_s "$(_cf_osr VERSION_ID)")" \
  "$(_cf_s "$_cf_dv")" "$(_cf_s "$_cf_rv")" "$(_cf_s "$_cf_host")" "$(_cf_s "$_cf_fqdn")" \
  "$(_cf_s "$(uname -r)")" "$(_cf_s "$(uname -m)")" "$(_cf_s "$_cf_init")" "$_cf_pm" \
  "$(_cf_s "$_cf_cpu")" "$(_cf_s "$_cf_sockets")" "$(_cf_s "$_cf_mem")" "$(_cf_s "$_cf_route")" "$(_cf_s "$_cf_mac")" "$(_cf_s "$_cf_ips")" \
  "$(_cf_s "$_cf_up")" "$(_cf_s "$(date +%Z 2>/dev/null)")"
)
`.replace(/\\\$\{/g, '${');

/** Facts in the shape the evaluator and planner use. */
export interface Facts {
  /** Ohai-style platform: debian, ubuntu, redhat, almalinux, rocky, centos, fedora, amazon … */
  platform: string;
  platformFamily: string;
  platformVersion: string;
  os: 'linux';
  hostname: string;
  fqdn: string;
  kernel: { release: string; machine: string };
  /** `systemd`, or `none` when PID 1 is a shell/sleep/tiny init (containers), else PID 1's name. */
  initSystem: string;
  packageManager: 'apt' | 'dnf' | 'yum' | 'zypper' | 'apk' | 'pacman' | 'none';
  /** What Ohai reports of the machine, as read; absent when it could not be read. */
  machine: MachineFacts;
}

/** Hardware and network readings of a target (each absent when the target did not say). */
export interface MachineFacts {
  cpuTotal?: number;
  cpuSockets?: number;
  /** Ohai's strings: `24684092kB`. */
  memory?: { total: string; free: string; available: string; swapTotal: string; swapFree: string };
  defaultInterface?: string;
  defaultGateway?: string;
  ipaddress?: string;
  macaddress?: string;
  uptimeSeconds?: number;
  timezone?: string;
}

/** os-release IDs whose Ohai platform name differs. */
const PLATFORM_NAMES: Record<string, string> = {
  rhel: 'redhat', amzn: 'amazon', ol: 'oracle', 'opensuse-leap': 'opensuseleap', sles: 'suse',
};

/** Platform → family, as Ohai maps them. */
const FAMILIES: Record<string, string> = {
  debian: 'debian', ubuntu: 'debian', linuxmint: 'debian', raspbian: 'debian',
  redhat: 'rhel', almalinux: 'rhel', rocky: 'rhel', centos: 'rhel', oracle: 'rhel',
  fedora: 'fedora', amazon: 'amazon', opensuseleap: 'suse', suse: 'suse',
  alpine: 'alpine', arch: 'arch',
};

/** PID 1 names that mean "no init system": the container keep-alive or a minimal reaper. */
const NO_INIT = new Set(['sh', 'bash', 'dash', 'sleep', 'tini', 'docker-init', 'dumb-init', 'catatonit', 'conmon']);

type RawFacts = Record<string, string | undefined>;

/**
 * Parses the facts record: accepts the JSON line itself or a whole probe output containing it.
 * Throws an Error naming what was received when no facts record is found.
 */
export function parseFacts(output: string): Facts {
  const line = output.split('\n').find((l) => l.startsWith(`{"kind":"${FACTS_KIND}"`));
  if (!line) throw new Error(`No facts record in the target's output: ${JSON.stringify(output.slice(0, 200))}`);
  const raw = JSON.parse(line) as RawFacts;
  const id = (raw.id ?? '').toLowerCase();
  const platform = PLATFORM_NAMES[id] ?? (id || (raw.debian_version ? 'debian' : 'unknown'));
  const familyFromLike = (raw.id_like ?? '').split(/\s+/).map((l) => FAMILIES[PLATFORM_NAMES[l] ?? l]).find(Boolean);
  const pm = raw.package_manager ?? 'none';
  const init = raw.pid1 ?? '';
  return {
    platform,
    platformFamily: FAMILIES[platform] ?? familyFromLike ?? platform,
    platformVersion: chooseVersion(platform, raw),
    os: 'linux',
    hostname: raw.hostname ?? '',
    fqdn: raw.fqdn || raw.hostname || '',
    kernel: { release: raw.kernel_release ?? '', machine: raw.machine ?? '' },
    initSystem: init === 'systemd' ? 'systemd' : NO_INIT.has(init) || init === '' ? 'none' : init,
    packageManager: (['apt', 'dnf', 'yum', 'zypper', 'apk', 'pacman'].includes(pm) ? pm : 'none') as Facts['packageManager'],
    machine: parseMachine(raw),
  };
}

/** The hardware and network readings; what is missing or garbled is left out. */
function parseMachine(raw: RawFacts): MachineFacts {
  const out: MachineFacts = {};
  const count = (s: string | undefined): number | undefined => (s && /^\d+$/.test(s) && Number(s) > 0 ? Number(s) : undefined);
  out.cpuTotal = count(raw.cpu);
  out.cpuSockets = count(raw.sockets);
  const mem = (raw.memory ?? '').split(' ');
  if (mem.length === 5 && mem.every((m) => /^\d+$/.test(m))) {
    const [total, free, available, swapTotal, swapFree] = mem.map((m) => `${m}kB`);
    out.memory = { total, free, available, swapTotal, swapFree };
  }
  const [iface, gwHex] = (raw.route ?? '').split(' ');
  if (iface) out.defaultInterface = iface;
  // /proc/net/route writes the gateway as little-endian hex: 010011AC is 172.17.0.1.
  if (gwHex && /^[0-9A-Fa-f]{8}$/.test(gwHex)) out.defaultGateway = [3, 2, 1, 0].map((i) => parseInt(gwHex.slice(2 * i, 2 * i + 2), 16)).join('.');
  const ips = (raw.ips ?? '').split(' ').filter((ip) => /^\d+\.\d+\.\d+\.\d+$/.test(ip));
  if (ips.length) out.ipaddress = ips[0];
  if (raw.mac && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(raw.mac)) out.macaddress = raw.mac.toUpperCase();
  const up = Number(raw.uptime);
  if (raw.uptime && Number.isFinite(up)) out.uptimeSeconds = Math.floor(up);
  if (raw.tz) out.timezone = raw.tz;
  for (const k of Object.keys(out) as (keyof MachineFacts)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/** Ohai reads Debian's point release from /etc/debian_version (12.11, not os-release's 12). */
function chooseVersion(platform: string, raw: RawFacts): string {
  const dv = raw.debian_version ?? '';
  if (platform === 'debian' && /^\d/.test(dv)) return dv;
  return raw.version_id || dv || '';
}
