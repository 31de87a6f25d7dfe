/**
 * The single read-only probe: ONE POSIX sh script for the whole collection, run in one exec.
 *
 * Providers declare {@link Query}s; they are deduplicated here (ten resources owned by `www-data`
 * read its passwd entry once) and turned into one script. Every record is a line
 * `@@<nonce> <query> <field> <value>`: the nonce is random per plan so that output of a guard
 * command (or anything else on stdout) can never forge a record, lines without it are ignored,
 * and a query whose `end` line never arrives is reported as garbled instead of being guessed.
 *
 * Read-only: only stat/readlink/base64/getent/dpkg-query/apt-cache/status scripts run, except
 * string guards — user commands, run like Chef's why-run runs them, with a timeout, stdin closed
 * and output discarded. Their read-only intent is the recipe author's; the tests check with
 * `docker diff` that a plan leaves no trace.
 */
import { randomBytes } from 'node:crypto';
import { FACTS_SCRIPT } from '../containers/facts';
import { shQuote } from '../containers/driver';

/** Files larger than this are compared by sha256 only (no diff). */
export const MAX_CONTENT_BYTES = 256 * 1024;
/** A guard that does not answer within this many seconds is reported unknown. */
export const GUARD_TIMEOUT_SEC = 10;

/** Something the probe must read. */
export type Query =
  | { kind: 'path'; path: string; content?: boolean }
  | { kind: 'user'; name: string }
  | { kind: 'group'; name: string }
  | { kind: 'package'; name: string }
  | { kind: 'service'; name: string }
  | { kind: 'guard'; command: string; cwd?: string; env?: Record<string, string> };

/** Stable identity of a query (what the state is keyed by). */
export function queryKey(q: Query): string {
  switch (q.kind) {
    case 'path': return `path:${q.path}`;
    case 'user': return `user:${q.name}`;
    case 'group': return `group:${q.name}`;
    case 'package': return `package:${q.name}`;
    case 'service': return `service:${q.name}`;
    case 'guard': return `guard:${q.cwd ?? ''}:${JSON.stringify(q.env ?? {})}:${q.command}`;
  }
}

/** Debian/RPM package names the probe may pass to dpkg-query/rpm unquoted-safe. */
const PACKAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9+._-]*(:[a-z0-9]+)?$/;
/** Service/unit names (`nginx`, `php8.2-fpm`, `foo@bar.service`). */
const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9@:._-]*$/;

/** Whether the probe can ask about this package name at all. */
export function probeablePackage(name: string): boolean {
  return PACKAGE_NAME.test(name);
}

/** The built probe: the script, and what each query id in its records means. */
export interface ProbeScript {
  script: string;
  nonce: string;
  /** Query id (index as string) → the query. */
  queries: Map<string, Query>;
}

/** Shell helpers shared by all snippets; `_o` prints one record line. */
function prologue(nonce: string): string {
  return String.raw`_n=${nonce}
_o() { printf '@@%s %s %s %s\n' "$_n" "$1" "$2" "$3"; }
_cp() {
  if [ -L "$2" ] || [ -e "$2" ]; then
    _s=$(stat -c '%F|%a|%U|%G|%u|%g|%Y|%s' -- "$2" 2>/dev/null)
    _o "$1" stat "$_s"
    if [ -L "$2" ]; then _o "$1" link "$(readlink -- "$2")"
    elif [ "$3" = 1 ] && [ -f "$2" ] && [ -r "$2" ]; then
      if [ "\${_s##*|}" -le ${MAX_CONTENT_BYTES} ] 2>/dev/null; then _o "$1" b64 "$(base64 -w0 -- "$2")"
      else _o "$1" sha "$(sha256sum -- "$2" | cut -d' ' -f1)"; fi
    fi
  else _o "$1" missing 1; fi
  _o "$1" end 0
}
_sv() {
  _o "$1" pid1 "$(cat /proc/1/comm 2>/dev/null)"
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    _o "$1" sd-enabled "$(systemctl is-enabled "$2" 2>/dev/null)"
    _o "$1" sd-active "$(systemctl is-active "$2" 2>/dev/null)"
  fi
  if [ -x "/etc/init.d/$2" ]; then
    _o "$1" sysv 1
    ( timeout 5 "/etc/init.d/$2" status ) >/dev/null 2>&1 </dev/null; _o "$1" sysv-status $?
    _e=0; for _f in /etc/rc2.d/S*"$2" /etc/rc3.d/S*"$2" /etc/rc5.d/S*"$2"; do [ -e "$_f" ] && _e=1; done
    _o "$1" sysv-enabled $_e
  fi
  for _d in /etc/systemd/system /lib/systemd/system /usr/lib/systemd/system; do
    [ -e "$_d/$2.service" ] && _o "$1" unit "$_d/$2.service"
  done
  _o "$1" end 0
}
_o g now "$(date +%s)"
set -- /var/lib/apt/lists/*_Packages
if [ -e "$1" ]; then _o g aptlists 1; else _o g aptlists 0; fi
`.replace(/\\\$\{/g, '${');
}

/**
 * Batched package query: one dpkg-query (or rpm) for installed versions and one grep over apt's
 * lists for candidates. `apt-cache policy` is not used: without a valid pkgcache.bin it writes
 * one (a plan must not), and building it in memory costs ~0.3 s. The grep finds every stanza of
 * the names; the highest version wins (apt pins are not applied — said in the step's reason).
 */
function packageSnippet(names: string[]): string {
  const list = names.join(' ');
  const patterns = names.map((n) => `-e ${shQuote(`Package: ${n.replace(/:.*$/, '')}`)}`).join(' ');
  return String.raw`if command -v dpkg-query >/dev/null 2>&1; then
  _o g pm dpkg
  dpkg-query -W -f='\${Package}|\${db:Status-Abbrev}|\${Version}
' ${list} 2>/dev/null | while IFS= read -r _l; do _o g pkg "$_l"; done
  set -- /var/lib/apt/lists/*_Packages
  if [ -e "$1" ]; then
    LC_ALL=C grep -h -x -F -A 12 ${patterns} "$@" 2>/dev/null | grep -E '^(Package|Version): ' | while IFS= read -r _l; do _o g stanza "$_l"; done
  fi
elif command -v rpm >/dev/null 2>&1; then
  _o g pm rpm
  rpm -q --qf '%{NAME}|ii |%{VERSION}-%{RELEASE}
' ${list} 2>/dev/null | grep '|' | while IFS= read -r _l; do _o g pkg "$_l"; done
else _o g pm none; fi
_o g pkgend 0
`.replace(/\\\$\{/g, '${');
}

/** One guard command: in a subshell, stdin closed, output discarded, bounded by `timeout`. */
function guardSnippet(id: string, q: Extract<Query, { kind: 'guard' }>): string {
  const env = Object.entries(q.env ?? {}).map(([k, v]) => `${k}=${shQuote(v)}`).filter((s) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(s));
  const cd = q.cwd ? `cd ${shQuote(q.cwd)} || exit 97; ` : '';
  const envPrefix = env.length ? `env ${env.join(' ')} ` : '';
  return `( ${cd}exec ${envPrefix}timeout ${GUARD_TIMEOUT_SEC} sh -c ${shQuote(q.command)} ) >/dev/null 2>&1 </dev/null; _o ${id} rc $?; _o ${id} end 0\n`;
}

/**
 * Builds the one probe script for a set of queries (deduplicated by {@link queryKey}; a path
 * asked for with and without content is read once, with content).
 */
export function buildProbeScript(all: Query[], opts: { facts?: boolean; nonce?: string } = {}): ProbeScript {
  const nonce = opts.nonce ?? randomBytes(6).toString('hex');
  const unique = new Map<string, Query>();
  for (const q of all) {
    const k = queryKey(q);
    const prev = unique.get(k);
    if (prev?.kind === 'path' && q.kind === 'path') prev.content = prev.content || q.content;
    else if (!prev) unique.set(k, { ...q });
  }
  const queries = new Map<string, Query>();
  const parts = [opts.facts === false ? '' : FACTS_SCRIPT, prologue(nonce)];
  const packages: string[] = [];
  let i = 0;
  for (const q of unique.values()) {
    const id = String(i++);
    queries.set(id, q);
    switch (q.kind) {
      case 'path': parts.push(`_cp ${id} ${shQuote(q.path)} ${q.content ? 1 : 0}\n`); break;
      case 'user': parts.push(`_o ${id} pw "$(getent passwd ${shQuote(q.name)})"; _o ${id} end 0\n`); break;
      case 'group': parts.push(`_o ${id} gr "$(getent group ${shQuote(q.name)})"; _o ${id} end 0\n`); break;
      case 'package': if (PACKAGE_NAME.test(q.name)) packages.push(q.name); break;
      case 'service': if (SERVICE_NAME.test(q.name)) parts.push(`_sv ${id} ${shQuote(q.name)}\n`); break;
      case 'guard': parts.push(guardSnippet(id, q)); break;
    }
  }
  if (packages.length) parts.push(packageSnippet([...new Set(packages)]));
  parts.push(`_o g end 0\n`);
  return { script: parts.join(''), nonce, queries };
}

/** Raw records of one query: field → values in order (`pkg` lines repeat). */
export type RawRecord = Map<string, string[]>;

/** The parsed probe output. */
export interface ProbeOutput {
  /** Complete records by query id ('g' holds global and package records). */
  records: Map<string, RawRecord>;
  /** Query ids whose record was missing or incomplete. */
  incomplete: Set<string>;
  /** Lines that carried our nonce but could not be parsed (a sign of garbage). */
  badLines: number;
}

/**
 * Parses probe output. Never throws: anything that is not a well-formed record line with this
 * probe's nonce is ignored, and every query without its `end` record is listed as incomplete.
 */
export function parseProbeOutput(stdout: string, probe: ProbeScript): ProbeOutput {
  const prefix = `@@${probe.nonce} `;
  const records = new Map<string, RawRecord>();
  let badLines = 0;
  for (const line of stdout.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const m = /^(\S+) (\S+) ?(.*)$/.exec(line.slice(prefix.length));
    if (!m || (m[1] !== 'g' && !probe.queries.has(m[1]))) { badLines++; continue; }
    const rec = records.get(m[1]) ?? new Map<string, string[]>();
    records.set(m[1], rec);
    const vals = rec.get(m[2]) ?? [];
    vals.push(m[3]);
    rec.set(m[2], vals);
  }
  const incomplete = new Set<string>();
  for (const id of probe.queries.keys()) {
    const q = probe.queries.get(id)!;
    // Package queries are answered by the global batch; `pkgend` marks it complete.
    const done = q.kind === 'package' ? records.get('g')?.has('pkgend') : records.get(id)?.has('end');
    if (!done) incomplete.add(id);
  }
  if (!records.get('g')?.has('end')) incomplete.add('g');
  return { records, incomplete, badLines };
}
