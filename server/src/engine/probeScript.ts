/**
 * The single read-only probe: ONE POSIX sh script for the whole collection, run in one exec.
 *
 * Providers declare {@link Query}s; they are deduplicated here (ten resources owned by `www-data`
 * read its passwd entry once) and turned into one script. Every record is a line
 * `@@<nonce> <query> <field> <value>`: the nonce is random per plan so that output of a guard
 * command (or anything else on stdout) can never forge a record, lines without it are ignored,
 * and a query whose `end` line never arrives is reported as garbled instead of being guessed.
 *
 * Read-only: only stat/readlink/base64/getent (passwd, group, shadow: only whether a password is locked leaves the container)/passwd -S/the listings, git and gem queries of probeFunctions.ts/dpkg-query/`dpkg-deb -f` (a .deb's control fields)/status scripts, apt-config (it reads the
 * configuration), grep and awk over apt's lists, Release files and preferences and over dnf's
 * cached repository metadata, and `rpm -q` (on a copy of its database in /dev/shm) run, except
 * string guards — user commands, run like Chef's why-run runs them, with a timeout, stdin closed
 * and output discarded. Their read-only intent is the recipe author's; the tests check with
 * `docker diff` that a plan leaves no trace.
 */
import { randomBytes } from 'node:crypto';
import { FACTS_SCRIPT } from '../containers/facts';
import { shQuote } from '../containers/driver';
import { ARCHIVE_FORMAT_FUNCTION, ARCHIVE_FUNCTION, ARCHIVE_LIST_FUNCTION, GEM_FUNCTION, GIT_FUNCTION, TREE_FUNCTION } from './probeFunctions';

/** Files larger than this are compared by sha256 only (no diff). */
export const MAX_CONTENT_BYTES = 256 * 1024;
/**
 * The plan's probe gives a guard this many seconds; one that does not answer is reported unknown
 * by name (a converge then runs it when its step comes, with Chef's timeout).
 */
export const GUARD_TIMEOUT_SEC = 10;
/** Chef's timeout for a guard command (Mixlib::ShellOut's default); a guard that times out is false. */
export const CHEF_GUARD_TIMEOUT_SEC = 600;

/** Something the probe must read. */
export type Query =
  | { kind: 'path'; path: string; content?: boolean }
  /** `lock`: also how `passwd -S` reports its password, what `usermod -U` would leave, and a hash of it (user :lock/:unlock, `password`). */
  | { kind: 'user'; name: string; lock?: boolean }
  | { kind: 'group'; name: string }
  | { kind: 'package'; name: string; manager?: PackageManager }
  | { kind: 'service'; name: string }
  | { kind: 'guard'; command: string; cwd?: string; env?: Record<string, string>; timeoutSec?: number }
  /** A .deb file (dpkg_package's source): its Package/Version/Architecture, and that package's installed versions. */
  | { kind: 'deb'; path: string }
  /** A reading of the machine by name ({@link systemReadingScript}): the hostname, a capability, a kernel parameter, a command … */
  | { kind: 'system'; name: string }
  /** An archive (archive_file): format, the tools it needs; with `list`, its entries against what `dest` holds (probeFunctions.ts). */
  | { kind: 'archive'; path: string; dest: string; strip: number; list: boolean }
  /** A git checkout at `path`: HEAD, branch, the URLs of `remote`; `repository` (a path in the container) has its refs listed. */
  | { kind: 'git'; path: string; remote: string; repository?: string }
  /** A gem as `gem list --local --exact` shows it, with the gem command `binary`. */
  | { kind: 'gem'; name: string; binary: string }
  /** Every path under a directory (remote_directory's purge). */
  | { kind: 'tree'; path: string };

/**
 * Which package database a package query reads: dpkg (apt_package, dpkg_package) or rpm (dnf_package,
 * yum_package). Without one, the probe uses dpkg when the container has it, else rpm.
 */
export type PackageManager = 'dpkg' | 'rpm';

/**
 * The key of a package in the probe's answers and the state: `rpm:name` for rpm queries; dpkg
 * queries and queries without a manager share the bare name (the probe answers them alike
 * wherever dpkg exists).
 */
export function packageKey(name: string, manager?: PackageManager): string {
  return manager === 'rpm' ? `rpm:${name}` : name;
}

/** Stable identity of a query (what the state is keyed by). */
export function queryKey(q: Query): string {
  switch (q.kind) {
    case 'path': return `path:${q.path}`;
    case 'user': return `user:${q.name}`;
    case 'group': return `group:${q.name}`;
    case 'package': return `package:${packageKey(q.name, q.manager)}`;
    case 'service': return `service:${q.name}`;
    case 'guard': return `guard:${q.cwd ?? ''}:${JSON.stringify(q.env ?? {})}:${q.timeoutSec ?? ''}:${q.command}`;
    case 'deb': return `deb:${q.path}`;
    case 'system': return `system:${q.name}`;
    case 'archive': return `archive:${q.strip}:${q.list ? 1 : 0}:${q.dest}:${q.path}`;
    case 'git': return `git:${q.remote}:${q.repository ?? ''}:${q.path}`;
    case 'gem': return `gem:${q.binary}:${q.name}`;
    case 'tree': return `tree:${q.path}`;
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
    _o "$1" sd 1
    systemctl show -p LoadState -p UnitFileState -p ActiveState -- "$2" 2>/dev/null | while IFS='=' read -r _k _v; do
      case "$_k" in
        LoadState) _o "$1" sd-load "$_v" ;;
        ActiveState) _o "$1" sd-active "$_v"
          # systemd skipped its last start because a unit condition failed (systemctl start still exited 0).
          if [ "$_v" = inactive ] && systemctl status --no-pager -- "$2" 2>/dev/null | grep -qE 'start condition failed|skipped because of an unmet condition'; then _o "$1" sd-skipped 1; fi ;;
        UnitFileState) _o "$1" sd-file "$_v"
          if [ "$_v" = bad ]; then systemctl is-enabled --quiet -- "$2" 2>/dev/null; _o "$1" sd-enabled-rc $?; fi ;;
      esac
    done
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
 * A .deb file (dpkg_package's source), as a shell function `_db ID PATH` (defined only when some
 * query asks): `dpkg-deb -f` reads its control fields (read-only: nothing is written, not even a
 * temporary file), then dpkg-query the installed versions of the package it names.
 */
const DEB_FUNCTION = String.raw`_db() {
  if [ ! -e "$2" ]; then _o "$1" missing 1
  elif [ ! -f "$2" ]; then _o "$1" problem "is not a regular file"
  elif [ ! -r "$2" ]; then _o "$1" problem "cannot be read"
  elif ! command -v dpkg-deb >/dev/null 2>&1; then _o "$1" problem "the container has no dpkg-deb"
  elif _df=$(LC_ALL=C dpkg-deb -f "$2" Package Version Architecture 2>&1); then
    printf '%s\n' "$_df" | while IFS= read -r _l; do _o "$1" field "$_l"; done
    _dp=$(printf '%s\n' "$_df" | sed -n 's/^Package: *//p')
    case $_dp in ''|*[!A-Za-z0-9+.-]*) ;; *)
      dpkg-query -W -f='\${Package}|\${Architecture}|\${db:Status-Abbrev}|\${Version}\n' "$_dp" 2>/dev/null | while IFS= read -r _l; do _o "$1" pkg "$_l"; done ;;
    esac
  else _o "$1" problem "$(printf '%s' "$_df" | tr '\n' ' ')"; fi
  _o "$1" end 0
}
`.replace(/\\\$\{/g, '${');

/** Preferences files larger than this are not read (the step says so). */
export const MAX_PREFERENCES_BYTES = 256 * 1024;

/**
 * What apt's policy needs besides the stanzas, read without running apt (`apt-config` only reads
 * the configuration): the lists directory, the preferences file and directory, APT::Default-Release
 * and the native architecture as apt's own configuration parser sees them; every preferences file
 * (base64; apt's file-name rules are applied when parsing); the header fields of every Release and
 * InRelease file (its first paragraph, after the PGP armour of an InRelease).
 */
const APT_CONTEXT = String.raw`_ld=/var/lib/apt/lists/ _pf=/etc/apt/preferences _pd=/etc/apt/preferences.d/ _dr= _na=
  if command -v apt-config >/dev/null 2>&1; then
    if _ac=$(apt-config shell _ld Dir::State::lists/d _pf Dir::Etc::preferences/f _pd Dir::Etc::preferencesparts/d _dr APT::Default-Release _na APT::Architecture 2>&1); then
      eval "$_ac"; _o g aptcfg ok
    else _o g aptcfg "error $(printf '%s' "$_ac" | tr '\n' ' ')"; fi
  else _o g aptcfg none; fi
  _o g aptdirs "$_ld|$_pf|$_pd"; _o g aptarch "$_na"; [ -z "$_dr" ] || _o g aptdefrel "$_dr"
  for _f in "$_pf" "$_pd"*; do
    [ -f "$_f" ] || continue
    if [ ! -r "$_f" ]; then _o g pref "$_f|!unreadable"
    elif [ "$(stat -c %s -- "$_f" 2>/dev/null)" -gt ${MAX_PREFERENCES_BYTES} ] 2>/dev/null; then _o g pref "$_f|!larger than ${MAX_PREFERENCES_BYTES} bytes"
    else _o g pref "$_f|$(base64 -w0 -- "$_f")"; fi
  done
  # InRelease before Release, as apt reads them (a Release beside an InRelease is not read).
  for _f in "$_ld"*_InRelease "$_ld"*_Release; do
    [ -f "$_f" ] || continue
    case $_f in *_Release) [ -f "\${_f%Release}InRelease" ] && continue ;; esac
    _b=\${_f##*/}; _o g relfile "$_b"
    LC_ALL=C awk 'NR == 1 && /^-----BEGIN PGP SIGNED MESSAGE-----/ { h = 1; next }
      h { if ($0 ~ /^[ \t\r]*$/) h = 0; next }
      /^[ \t]+[^ \t\r]/ { next }
      /^-----BEGIN PGP SIGNATURE-----/ { exit }
      { sub(/\r$/, "") }
      /^[ \t]*$/ { if (seen) exit; next }
      { seen = 1; k = tolower($0); sub(/:.*$/, "", k) }
      k == "origin" || k == "label" || k == "suite" || k == "codename" || k == "version" || k == "notautomatic" || k == "butautomaticupgrades" { print }' "$_f" 2>/dev/null |
      while IFS= read -r _l; do _o g rel "$_b|$_l"; done
  done
`.replace(/\\\$\{/g, '${');

/**
 * Batched package query: one dpkg-query for installed versions, then per apt list one grep for
 * the stanzas of the names (their Version, Architecture and Source), and what apt's policy needs
 * ({@link APT_CONTEXT}); the candidate is computed from them by aptPolicy.ts as apt would. `apt-cache
 * policy` is not used: without a valid pkgcache.bin it writes one (a plan must not), and building
 * it in memory costs ~0.3 s. A stanza is read up to its 13th line (Debian's have those fields in
 * their first seven); one cut before its Version or Architecture is reported, not guessed. Compressed lists
 * (Acquire::GzipIndexes) are read when the container has the decompressor, else reported.
 * `names` are the queries without a manager (dpkg when the container has it, else rpm) and the
 * dpkg ones; an rpm query (dnf_package, yum_package) goes through {@link rpmSnippet} instead.
 */
function packageSnippet(names: string[], autoNames: string[]): string {
  const list = names.join(' ');
  const bare = [...new Set(names.map((n) => n.replace(/:.*$/, '')))];
  const patterns = bare.map((n) => `-e ${shQuote(`Package: ${n}`)}`).join(' ');
  return String.raw`if command -v dpkg-query >/dev/null 2>&1; then
  _o g pm dpkg
  dpkg-query -W -f='\${Package}|\${Architecture}|\${db:Status-Abbrev}|\${Version}
' ${list} 2>/dev/null | while IFS= read -r _l; do _o g pkg "$_l"; done
  ${APT_CONTEXT}  _ai=0
  for _f in "$_ld"*_Packages "$_ld"*_Packages.gz "$_ld"*_Packages.xz "$_ld"*_Packages.bz2 "$_ld"*_Packages.lz4 "$_ld"*_Packages.zst; do
    [ -f "$_f" ] || continue
    _ai=$((_ai + 1)); _b=\${_f##*/}
    case $_b in *.gz) _z='gzip -dc' ;; *.xz) _z='xz -dc' ;; *.bz2) _z='bzip2 -dc' ;; *.lz4) _z='lz4 -dcq' ;; *.zst) _z='zstd -dcq' ;; *) _z= ;; esac
    if [ -n "$_z" ] && ! command -v "\${_z%% *}" >/dev/null 2>&1; then _o g plist "$_ai|no \${_z%% *} in the container|$_b"; continue; fi
    if [ ! -r "$_f" ]; then _o g plist "$_ai|unreadable|$_b"; continue; fi
    _o g plist "$_ai|read|$_b"
    { if [ -n "$_z" ]; then $_z "$_f" 2>/dev/null | LC_ALL=C grep -x -F -A 12 ${patterns}; else LC_ALL=C grep -x -F -A 12 ${patterns} "$_f"; fi; } 2>/dev/null |
      LC_ALL=C awk -v names=${shQuote(bare.join(' '))} 'BEGIN { split(names, q, " "); for (i in q) want[q[i]] = 1 }
        function f() { if (p != "") print p "|" v "|" a "|" s; p = "" }
        { sub(/\r$/, "") }
        /^Package:/ { f(); n = $0; sub(/^Package: */, "", n); sub(/[ \t]+$/, "", n); if (n in want) { p = n; v = ""; a = ""; s = "" } next }
        /^--$/ || /^[ \t]*$/ { f(); next }
        p == "" { next }
        /^Version:/ { v = $0; sub(/^Version: */, "", v); sub(/[ \t]+$/, "", v); next }
        /^Architecture:/ { a = $0; sub(/^Architecture: */, "", a); sub(/[ \t]+$/, "", a); next }
        /^Source:/ { s = $0; sub(/^Source: */, "", s); sub(/[ \t]+$/, "", s); next }
        END { f() }' | while IFS= read -r _l; do _o g st "$_ai|$_l"; done
  done
elif command -v rpm >/dev/null 2>&1; then
  _o g pm rpm
${autoNames.length ? `  _rp ${autoNames.join(' ')}\n` : ''}else _o g pm none; fi
_o g pkgend 0
`.replace(/\\\$\{/g, '${');
}

/** Architectures an rpm name may end with (`curl.x86_64`): the name without it is looked up too. */
const RPM_ARCHES = ['noarch', 'x86_64', 'i686', 'i386', 'aarch64', 'ppc64le', 's390x', 'armv7hl'];

/** `name` and, for `name.arch`, the bare name: what rpm's and dnf's metadata call the package. */
export function rpmBaseNames(name: string): string[] {
  const dot = name.lastIndexOf('.');
  return dot > 0 && RPM_ARCHES.includes(name.slice(dot + 1)) ? [name, name.slice(0, dot)] : [name];
}

/**
 * The rpm side, as a shell function `_rp NAME…` (defined once, called for rpm queries and for
 * queries without a manager on a container without dpkg):
 *
 * - Installed versions: `rpm -q` with the EVR (`epoch:` only when there is one) and the arch.
 *   rpm's sqlite database is in WAL mode and even a read-only `rpm -q` opens its `-shm` file for
 *   writing (a changed file in `docker diff`): the database is copied to /dev/shm (a tmpfs outside
 *   the container's filesystem) when it fits in half of it, and read there; otherwise in place,
 *   and the record says so.
 * - Candidates: the primary metadata of every enabled repository (`enabled=` in the repo files;
 *   default on) as dnf cached it under /var/cache/dnf (dnf 4) or /var/cache/libdnf5 (dnf 5), read
 *   without dnf (dnf writes its logs and caches on every run, and there is no network in a plan).
 *   createrepo writes `<name>`, `<arch>` and `<version …/>` on consecutive lines, so one grep per
 *   repository finds them. Repositories without cache, or whose compression has no decompressor
 *   in the container, are reported as such.
 */
const RPM_FUNCTION = String.raw`_rp() {
  if ! command -v rpm >/dev/null 2>&1; then _o g rpm none; return 0; fi
  _o g rpm present
  _rd=$(rpm --eval '%{_dbpath}' 2>/dev/null); _rt=
  if [ -d "$_rd" ] && [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ]; then
    _rs=$(du -sk "$_rd" 2>/dev/null | cut -f1); _ra=$(df -Pk /dev/shm 2>/dev/null | awk 'NR==2 { print $4 }')
    if [ -n "$_rs" ] && [ -n "$_ra" ] && [ "$_rs" -lt $((_ra / 2)) ] 2>/dev/null; then
      _rt=$(mktemp -d /dev/shm/cloche-rpmdb.XXXXXX 2>/dev/null) || _rt=
      if [ -n "$_rt" ] && ! cp -a "$_rd/." "$_rt/" 2>/dev/null; then rm -rf "$_rt"; _rt=; fi
    fi
  fi
  if [ -n "$_rt" ]; then _o g rpmdb copy; else _o g rpmdb in-place; fi
  rpm -q \${_rt:+--dbpath "$_rt"} --qf '%{NAME}|%{ARCH}|%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\n' "$@" 2>/dev/null | grep '|' | while IFS= read -r _l; do _o g rpmpkg "$_l"; done
  [ -z "$_rt" ] || rm -rf "$_rt"
  _rg=; for _rn in "$@"; do _rg="\${_rg:+$_rg
}<name>$_rn</name>"; done
  _ren=$(for _f in /etc/yum.repos.d/*.repo /etc/yum/repos.d/*.repo /etc/distro.repos.d/*.repo; do [ -f "$_f" ] && { echo '@@file'; cat "$_f"; }; done 2>/dev/null | awk '
    function f() { if (s != "" && e) print s; s = "" }
    /^@@file$/ { f(); next }
    /^[ \t]*\[[^]]+\]/ { f(); s = $0; sub(/^[ \t]*\[/, "", s); sub(/\].*$/, "", s); e = 1; next }
    s != "" && /^[ \t]*enabled[ \t]*=/ { v = tolower($0); sub(/^[^=]*=[ \t]*/, "", v); sub(/[ \t\r]*$/, "", v); e = (v == "1" || v == "true" || v == "yes" || v == "on") }
    END { f() }')
  for _ri in $_ren; do
    _rr=nocache
    for _rc in /var/cache/dnf/"$_ri"-*/repodata /var/cache/libdnf5/"$_ri"-*/repodata; do
      [ -d "$_rc" ] || continue
      _rh=\${_rc%/repodata}; _rh=\${_rh##*/}; _rh=\${_rh#"$_ri"-}
      case $_rh in ????????????????) ;; *) continue ;; esac
      case $_rh in *[!0-9a-f]*) continue ;; esac
      for _rf in "$_rc"/*primary.xml.gz "$_rc"/*primary.xml.zst "$_rc"/*primary.xml.xz "$_rc"/*primary.xml.bz2 "$_rc"/*primary.xml; do
        [ -f "$_rf" ] || continue
        case $_rf in *.gz) _rz='gzip -dc' ;; *.zst) _rz='zstd -dcq' ;; *.xz) _rz='xz -dc' ;; *.bz2) _rz='bzip2 -dc' ;; *) _rz=cat ;; esac
        if ! command -v "\${_rz%% *}" >/dev/null 2>&1; then _rr="unreadable (no \${_rz%% *} for \${_rf##*/})"; continue; fi
        _rr=read
        $_rz "$_rf" 2>/dev/null | LC_ALL=C grep -F -A 2 -e "$_rg" | awk -v id="$_ri" '
          /<name>/ { n = $0; sub(/^.*<name>/, "", n); sub(/<\/name>.*$/, "", n); a = ""; next }
          /<arch>/ { a = $0; sub(/^.*<arch>/, "", a); sub(/<\/arch>.*$/, "", a); next }
          /<version / { if (n == "") next; e = $0; v = $0; r = $0
            sub(/^.* epoch="/, "", e); sub(/".*$/, "", e); sub(/^.* ver="/, "", v); sub(/".*$/, "", v); sub(/^.* rel="/, "", r); sub(/".*$/, "", r)
            if (a != "src" && a != "nosrc") print n "|" a "|" e ":" v "-" r "|" id; n = "" }' | while IFS= read -r _l; do _o g rpmavail "$_l"; done
      done
    done
    _o g rpmrepo "$_ri|$_rr"
  done
}
`.replace(/\\\$\{/g, '${');

/** The rpm queries of a probe: `_rp` over the names and their bare names (`curl` for `curl.x86_64`). */
function rpmSnippet(names: string[]): string {
  return names.length ? `_rp ${[...new Set(names.flatMap(rpmBaseNames))].join(' ')}\n_o g rpmend 0\n` : '';
}

/** One guard command: in a subshell, stdin closed, output discarded, bounded by `timeout`. */
function guardSnippet(id: string, q: Extract<Query, { kind: 'guard' }>): string {
  const env = Object.entries(q.env ?? {}).map(([k, v]) => `${k}=${shQuote(v)}`).filter((s) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(s));
  const cd = q.cwd ? `cd ${shQuote(q.cwd)} || exit 97; ` : '';
  const envPrefix = env.length ? `env ${env.join(' ')} ` : '';
  const seconds = Math.min(GUARD_TIMEOUT_SEC, q.timeoutSec ?? GUARD_TIMEOUT_SEC);
  return `( ${cd}exec ${envPrefix}timeout ${seconds} sh -c ${shQuote(q.command)} ) >/dev/null 2>&1 </dev/null; _o ${id} rc $?; _o ${id} end 0\n`;
}

/** Command names `which:NAME` may ask for; kernel parameter keys `sysctl:KEY` may name (dotted or slashed). */
const COMMAND_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
const SYSCTL_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.\/-]*$/;

/** Whether `key` is a kernel parameter name the probe can read. */
export function probeableSysctlKey(key: string): boolean {
  return SYSCTL_KEY.test(key) && !key.split(/[./]/).some((p) => p === '' || p === '..');
}

/** The /proc/sys path of a kernel parameter, as sysctl finds it: dots are separators and slashes dots (`net.ipv4.conf.eth0/100.forwarding`), unless the key is already a path. */
export function sysctlPath(key: string): string {
  const slashed = key.indexOf('/') >= 0 && (key.indexOf('.') < 0 || key.indexOf('/') < key.indexOf('.'));
  return `/proc/sys/${slashed ? key : key.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'))}`;
}

/**
 * Read-only readings of the machine, by name; each prints `v` lines (its value, one per line)
 * and sometimes other fields. Undefined for a name it does not know.
 *
 * - `hostname`: `uname -n`. `pid1`: PID 1's command name. `docker`: 1 when /.dockerenv exists (what Ohai's
 *   `virtualization` reads to say Docker guest). `cap_sys_admin`: 1 when the probe's effective
 *   capabilities include CAP_SYS_ADMIN (bit 21 of CapEff), what `hostname NAME` needs.
 * - `which:CMD`: `command -v CMD` (empty when the container lacks it).
 * - `locales`: `locale -a`, one per line (`none 1` without the locale command).
 * - `timedatectl`: `timedatectl status` (what Chef reads the zone from under systemd): its lines
 *   and `rc` (127 without timedatectl; it fails when D-Bus is not running).
 * - `sysctl:KEY`: the value in /proc/sys (tabs as spaces, as Chef compares it), or `missing`, or
 *   `unreadable`; `writable` 0/1; `procsys` the mount options of /proc/sys (`ro,…` in an
 *   unprivileged container).
 */
export function systemReadingScript(id: string, name: string): string | undefined {
  const colon = name.indexOf(':');
  const [what, arg] = colon < 0 ? [name, ''] : [name.slice(0, colon), name.slice(colon + 1)];
  switch (what) {
    case 'hostname': return `_o ${id} v "$(uname -n)"`;
    case 'pid1': return `_o ${id} v "$(cat /proc/1/comm 2>/dev/null)"`;
    case 'docker': return `if [ -e /.dockerenv ]; then _o ${id} v 1; else _o ${id} v 0; fi`;
    case 'cap_sys_admin':
      return `_c=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status 2>/dev/null); case $_c in ''|*[!0-9a-fA-F]*) ;; *) _o ${id} v $(( (0x$_c >> 21) & 1 )) ;; esac`;
    case 'which': return COMMAND_NAME.test(arg) ? `_o ${id} v "$(command -v ${shQuote(arg)} 2>/dev/null)"` : undefined;
    case 'locales':
      return `if command -v locale >/dev/null 2>&1; then locale -a 2>/dev/null | while IFS= read -r _l; do _o ${id} v "$_l"; done; else _o ${id} none 1; fi`;
    case 'timedatectl':
      return `if command -v timedatectl >/dev/null 2>&1; then _x=$(timeout 10 timedatectl status 2>&1 </dev/null); _o ${id} rc $?; printf '%s\n' "$_x" | while IFS= read -r _l; do _o ${id} v "$_l"; done; else _o ${id} rc 127; fi`;
    case 'sysctl': {
      if (!probeableSysctlKey(arg)) return undefined;
      const p = shQuote(sysctlPath(arg));
      return [
        `if [ ! -e ${p} ]; then _o ${id} missing 1`,
        `elif _x=$(tr '\\t' ' ' < ${p} 2>/dev/null); then printf '%s\\n' "$_x" | while IFS= read -r _l; do _o ${id} v "$_l"; done`,
        `else _o ${id} unreadable 1; fi`,
        `if [ -w ${p} ]; then _o ${id} writable 1; else _o ${id} writable 0; fi`,
        `_o ${id} procsys "$(awk '$5 == "/proc/sys" { print $6 }' /proc/self/mountinfo 2>/dev/null)"`,
      ].join('\n');
    }
    default: return undefined;
  }
}

/**
 * A user's password state (:lock/:unlock, a `password` to compare), without the password leaving
 * the container: `ps` is `passwd -S`'s line (its second field L, P or NP is what Chef reads), `pu`
 * what `usermod -U` would leave: it strips one leading `!`, and refuses (exit 0, nothing done) when
 * nothing would remain; `psha` the sha256 of the shadow password field, to compare with the
 * resource's `password` as Chef compares them.
 */
function userLockScript(id: string, name: string): string {
  const n = shQuote(name);
  return [
    `if command -v passwd >/dev/null 2>&1; then _o ${id} ps "$(passwd -S ${n} 2>/dev/null)"; else _o ${id} ps "!nopasswd"; fi`,
    `_f=$(getent shadow ${n} 2>/dev/null | cut -d: -f2); _r=\${_f#!}`,
    `if [ "$_r" != "$_f" ] && [ -z "$_r" ]; then _o ${id} pu refuse; else case $_r in '!'*|'*'*) _o ${id} pu L ;; '') _o ${id} pu NP ;; *) _o ${id} pu P ;; esac; fi`,
    `_o ${id} psha "$(printf '%s' "$_f" | sha256sum | cut -d' ' -f1)"`,
  ].join('\n').replace(/\\\$\{/g, '${');
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
    else if (prev?.kind === 'user' && q.kind === 'user') prev.lock = prev.lock || q.lock;
    else if (prev?.kind === 'package' && q.kind === 'package' && !q.manager) delete prev.manager; // asked without a manager: auto
    else if (!prev) unique.set(k, { ...q });
  }
  const queries = new Map<string, Query>();
  const parts = [opts.facts === false ? '' : FACTS_SCRIPT, prologue(nonce)];
  const packages: string[] = [];
  const autoPackages: string[] = [];
  const rpmPackages: string[] = [];
  let i = 0;
  for (const q of unique.values()) {
    const id = String(i++);
    queries.set(id, q);
    switch (q.kind) {
      case 'path': parts.push(`_cp ${id} ${shQuote(q.path)} ${q.content ? 1 : 0}\n`); break;
      case 'user': parts.push(`_o ${id} pw "$(getent passwd ${shQuote(q.name)})"\n${q.lock ? `${userLockScript(id, q.name)}\n` : ''}_o ${id} end 0\n`); break;
      case 'group': parts.push(`_o ${id} gr "$(getent group ${shQuote(q.name)})"; _o ${id} end 0\n`); break;
      case 'package':
        if (!PACKAGE_NAME.test(q.name)) break;
        if (q.manager === 'rpm') rpmPackages.push(q.name);
        else { packages.push(q.name); if (!q.manager) autoPackages.push(q.name); }
        break;
      case 'service': if (SERVICE_NAME.test(q.name)) parts.push(`_sv ${id} ${shQuote(q.name)}\n`); break;
      case 'guard': parts.push(guardSnippet(id, q)); break;
      case 'deb': parts.push(`_db ${id} ${shQuote(q.path)}\n`); break;
      case 'system': { const sn = systemReadingScript(id, q.name); if (sn) parts.push(`${sn}\n_o ${id} end 0\n`); break; }
      case 'archive': parts.push(`_ar ${id} ${shQuote(q.path)} ${shQuote(q.dest)} ${Math.max(0, Math.floor(q.strip))} ${q.list ? 1 : 0}\n`); break;
      case 'git': parts.push(`_gt ${id} ${shQuote(q.path)} ${shQuote(q.remote)}${q.repository ? ` ${shQuote(q.repository)}` : ''}\n`); break;
      case 'gem': parts.push(`_gm ${id} ${shQuote(q.binary)} ${shQuote(q.name)}\n`); break;
      case 'tree': parts.push(`_tr ${id} ${shQuote(q.path)}\n`); break;
    }
  }
  // The shell functions of probeFunctions.ts these queries call, defined after the prologue.
  const kinds = new Set([...queries.values()].map((q) => q.kind));
  const functions = [
    kinds.has('archive') ? ARCHIVE_FORMAT_FUNCTION + ARCHIVE_LIST_FUNCTION + ARCHIVE_FUNCTION : '',
    kinds.has('git') ? GIT_FUNCTION : '', kinds.has('gem') ? GEM_FUNCTION : '', kinds.has('tree') ? TREE_FUNCTION : '',
  ].join('');
  if (functions) parts.splice(2, 0, functions);
  if (rpmPackages.length || autoPackages.length) parts.push(RPM_FUNCTION);
  if ([...queries.values()].some((q) => q.kind === 'deb')) parts.splice(2, 0, DEB_FUNCTION);
  if (packages.length) parts.push(packageSnippet([...new Set(packages)], [...new Set(autoPackages.flatMap(rpmBaseNames))]));
  parts.push(rpmSnippet(rpmPackages));
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
    // Package queries are answered by the global batch; `pkgend` (`rpmend` for rpm queries) marks it complete.
    const done = q.kind === 'package' ? records.get('g')?.has(q.manager === 'rpm' ? 'rpmend' : 'pkgend') : records.get(id)?.has('end');
    if (!done) incomplete.add(id);
  }
  if (!records.get('g')?.has('end')) incomplete.add('g');
  return { records, incomplete, badLines };
}
