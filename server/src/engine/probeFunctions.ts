/**
 * Probe snippets for what the file-tree and tool providers read (archive_file, remote_directory,
 * git, gem_package), as shell functions of the one probe script (probeScript.ts defines `_o` and
 * includes those its queries call). All read only: `command -v`, `od`
 * and `dd` on an archive's first bytes, `tar -t`/`unzip -Z` listings, `stat`, `find`, and git
 * (`rev-parse`, `config --get-all`, and `ls-remote` only on a repository that is a path in the
 * container: nothing reaches the network) and `gem list --local`.
 */
/** Archives with more entries than this are not compared entry by entry (the step says so). */
export const MAX_ARCHIVE_ENTRIES = 10_000;
/** Directory trees with more entries than this are not listed (purge then cannot be planned). */
export const MAX_TREE_ENTRIES = 20_000;

/**
 * `_arfmt FILE`: the archive format from its first bytes, as libarchive detects it (not from the
 * name): gzip, bzip2, xz, zstd (each a compressed tar for archive_file), zip, tar (`ustar` at 257), or unknown.
 */
export const ARCHIVE_FORMAT_FUNCTION = String.raw`_arfmt() {
  _am=$(od -An -tx1 -N6 -- "$1" 2>/dev/null | tr -d ' \n')
  case $_am in
    1f8b*) echo gzip ;; 425a68*) echo bzip2 ;; fd377a585a00) echo xz ;; 28b52ffd*) echo zstd ;; 504b0304*|504b0506*) echo zip ;;
    *) if [ "$(dd if="$1" bs=1 skip=257 count=5 2>/dev/null)" = ustar ]; then echo tar; else echo unknown; fi ;;
  esac
}
`;

/**
 * `_arls FILE FORMAT STRIP [raw]`: the archive's entries as `type|mtime|name` lines (type: tar's first
 * letter of the mode, `-` file, `d` directory, `l` symlink, `h` hard link …; mtime in UTC as the
 * listing prints it), names with `STRIP` leading components removed (empty names dropped, as the
 * extraction skips them; `raw`: tar's names as stored, before GNU tar's own stripping of `../` and
 * `/`), then `rc|N` with the listing's exit code. Shared by the probe and apply.
 */
export const ARCHIVE_LIST_FUNCTION = String.raw`_arls() {
  if [ "$2" = zip ]; then
    _al=$(TZ=UTC LC_ALL=C unzip -Z -T -- "$1" 2>/dev/null); _ar=$?
    printf '%s\n' "$_al" | awk -v n="$3" '
      length($1) == 10 && $1 ~ /^[-dlbcps?][-rwxsStTlL?]+$/ && NF >= 8 {
        t = substr($1, 1, 1); d = $7; name = $0
        for (i = 1; i <= 7; i++) sub(/^[^ ]+ +/, "", name)
        for (i = 0; i < n; i++) { if (index(name, "/") == 0) { name = ""; break } sub(/^[^\/]*\/+/, "", name) }
        if (name == "") next
        print t "|" substr(d, 1, 4) "-" substr(d, 5, 2) "-" substr(d, 7, 2) " " substr(d, 10, 2) ":" substr(d, 12, 2) ":" substr(d, 14, 2) "|" name
      }'
  else
    if [ "$4" = raw ]; then _al=$(TZ=UTC LC_ALL=C tar -tv --full-time --quoting-style=escape -f "$1" 2>/dev/null); _ar=$?
    else _al=$(TZ=UTC LC_ALL=C tar -tv --full-time --quoting-style=escape --strip-components="$3" --show-transformed-names -f "$1" 2>/dev/null); _ar=$?; fi
    printf '%s\n' "$_al" | awk '
      NF >= 6 {
        t = substr($1, 1, 1); d = $4 " " $5; name = $0
        for (i = 1; i <= 5; i++) sub(/^[^ ]+ +/, "", name)
        if (t == "l") sub(/ -> .*$/, "", name)
        if (t == "h") sub(/ link to .*$/, "", name)
        if (name == "" || name == "/") next
        print t "|" d "|" name
      }'
  fi
  echo "rc|$_ar"
}
`;

/**
 * `_ar ID ARCHIVE DEST STRIP LIST`: the tools archive_file may need, whether the archive exists
 * and its format; with LIST=1 and DEST a directory, each entry (`e type|mtime|disk|name`, disk =
 * the mtime of DEST/name as `stat %.9Y`, or `-` when nothing is there) — Chef's `overwrite :auto`
 * comparison, made in the container.
 */
export const ARCHIVE_FUNCTION = String.raw`_ar() {
  for _at in tar gzip xz bzip2 zstd unzip; do command -v $_at >/dev/null 2>&1 && _o "$1" tool $_at; done
  if [ ! -e "$2" ]; then _o "$1" missing 1; _o "$1" end 0; return 0; fi
  if [ ! -f "$2" ] || [ ! -r "$2" ]; then _o "$1" problem "is not a readable file"; _o "$1" end 0; return 0; fi
  _af=$(_arfmt "$2"); _o "$1" format "$_af"
  if [ "$5" = 1 ] && [ -d "$3" ]; then
    _ak=
    case $_af in
      zip) command -v unzip >/dev/null 2>&1 && _ak=1 ;;
      tar) command -v tar >/dev/null 2>&1 && _ak=1 ;;
      gzip|bzip2|xz|zstd) command -v tar >/dev/null 2>&1 && command -v $_af >/dev/null 2>&1 && _ak=1 ;;
    esac
    if [ -n "$_ak" ]; then
      _arls "$2" "$_af" "$4" | head -n ${MAX_ARCHIVE_ENTRIES + 1} | while IFS='|' read -r _at _ad _an; do
        if [ "$_at" = rc ]; then _o "$1" listrc "$_ad"; continue; fi
        _ay=$(stat -L -c %.9Y -- "$3/$_an" 2>/dev/null) || _ay=-
        _o "$1" e "$_at|$_ad|$_ay|$_an"
      done
    fi
  fi
  _o "$1" end 0
}
`;

/**
 * `_gt ID DEST REMOTE [REPO]`: what the git resource compares: DEST (missing, a file, an empty or
 * non-empty directory, a `.git` in it), git itself, HEAD's sha and branch, the remote's URLs; with
 * REPO (a repository that is a path in the container) its refs from `git ls-remote`, which reads
 * the repository and nothing else. `safe.directory` on the command line only: a checkout owned by
 * another user is read, no configuration is written.
 */
export const GIT_FUNCTION = String.raw`_gt() {
  if [ ! -e "$2" ] && [ ! -L "$2" ]; then _o "$1" dest missing
  elif [ ! -d "$2" ]; then _o "$1" dest file
  else
    if [ -z "$(ls -A -- "$2" 2>/dev/null)" ]; then _o "$1" dest empty; else _o "$1" dest nonempty; fi
    [ -e "$2/.git" ] && _o "$1" dotgit 1
  fi
  _gg=$(command -v git 2>/dev/null); _o "$1" git "$_gg"
  if [ -n "$_gg" ] && [ -e "$2/.git" ]; then
    _o "$1" head "$(git -c safe.directory='*' -C "$2" rev-parse HEAD 2>/dev/null)"
    _o "$1" branch "$(git -c safe.directory='*' -C "$2" rev-parse --abbrev-ref HEAD 2>/dev/null)"
    git -c safe.directory='*' -C "$2" config --get-all "remote.$3.url" 2>/dev/null | while IFS= read -r _gl; do _o "$1" url "$_gl"; done
  fi
  if [ -n "$_gg" ] && [ -n "$4" ]; then
    if _gr=$(timeout 10 git -c safe.directory='*' ls-remote -- "$4" 2>&1 </dev/null); then
      printf '%s\n' "$_gr" | while IFS= read -r _gl; do [ -n "$_gl" ] && _o "$1" ref "$_gl"; done; _o "$1" lsremote ok
    else _o "$1" lsremote "$(printf '%s' "$_gr" | tr '\n' ' ' | cut -c1-300)"; fi
  fi
  _o "$1" end 0
}
`;

/** `_gm ID GEM NAME`: the gem command (`command -v`), and `gem list --local --exact NAME`'s line for the gem. */
export const GEM_FUNCTION = String.raw`_gm() {
  _gb=$(command -v "$2" 2>/dev/null); _o "$1" bin "$_gb"
  if [ -n "$_gb" ]; then
    if _go=$(timeout 30 "$_gb" list --local --exact "$3" 2>&1 </dev/null); then
      printf '%s\n' "$_go" | while IFS= read -r _gl; do case $_gl in "$3 ("*) _o "$1" gem "$_gl" ;; esac; done; _o "$1" list ok
    else _o "$1" list "$(printf '%s' "$_go" | tr '\n' ' ' | cut -c1-300)"; fi
  fi
  _o "$1" end 0
}
`;

/**
 * `_tr ID DIR`: every path under DIR as `p type|mode|owner|group|size|relative path` (find's %y:
 * f, d, l …; %m), and each regular file's `s sha256|relative path`; `missing` when DIR is not a directory.
 */
export const TREE_FUNCTION = String.raw`_tr() {
  if [ ! -d "$2" ]; then _o "$1" missing 1
  else
    find "$2" -mindepth 1 -printf '%y|%m|%u|%g|%s|%P\n' 2>/dev/null | head -n ${MAX_TREE_ENTRIES + 1} | while IFS= read -r _tl; do _o "$1" p "$_tl"; done
    find "$2" -mindepth 1 -type f -exec sha256sum -- {} + 2>/dev/null | head -n ${MAX_TREE_ENTRIES + 1} | while read -r _ts _tn; do _o "$1" s "$_ts|\${_tn#"$2"/}"; done
  fi
  _o "$1" end 0
}
`.replace(/\\\$\{/g, '${');
