/**
 * Shell functions for tests that need Debian packages and apt repositories offline, inside a container:
 * `deb NAME VERSION` builds a tiny .deb into /srv/cloche-debs (it installs /usr/share/NAME/version);
 * `repo DIR SUITE [Release fields…] -- DEB…` makes a file: repository of those .debs with a Release
 * file carrying the given fields (e.g. `NotAutomatic: yes`) and adds it to apt's sources;
 * `aptSimulated` reads what `apt-get install -s` would do, to compare the plan with apt itself.
 */
export const DEB_REPO_FUNCTIONS = String.raw`deb() {
  d=$(mktemp -d); mkdir -p "$d/DEBIAN" "$d/usr/share/$1"; echo "$2" > "$d/usr/share/$1/version"
  printf '%s\n' "Package: $1" "Version: $2" "Architecture: all" "Maintainer: Cloche <cloche@example.invalid>" "Description: Cloche test package" > "$d/DEBIAN/control"
  mkdir -p /srv/cloche-debs; dpkg-deb --root-owner-group -Zgzip -b "$d" "/srv/cloche-debs/$1_$2_all.deb" >/dev/null; rm -rf "$d"
}
repo() {
  r=$1; suite=$2; shift 2; fields=
  while [ "$1" != -- ]; do fields="$fields$1
"; shift; done; shift
  mkdir -p "/srv/$r/dists/$suite/main/binary-amd64" "/srv/$r/pool"; P="/srv/$r/dists/$suite/main/binary-amd64/Packages"; : > "$P"
  for f in "$@"; do
    cp "/srv/cloche-debs/$f" "/srv/$r/pool/"; dpkg-deb -f "/srv/$r/pool/$f" >> "$P"
    printf 'Filename: pool/%s\nSize: %s\nSHA256: %s\n\n' "$f" "$(stat -c %s "/srv/$r/pool/$f")" "$(sha256sum "/srv/$r/pool/$f" | cut -d' ' -f1)" >> "$P"
  done
  { printf '%s' "$fields"; printf 'Suite: %s\nArchitectures: amd64 all\nComponents: main\nDate: Sat, 01 Jan 2000 00:00:00 UTC\nSHA256:\n %s %s main/binary-amd64/Packages\n' \
    "$suite" "$(sha256sum "$P" | cut -d' ' -f1)" "$(stat -c %s "$P")"; } > "/srv/$r/dists/$suite/Release"
  echo "deb [trusted=yes] file:/srv/$r $suite main" >> /etc/apt/sources.list.d/cloche.list
}
`;

/** `apt-get install -s PKG` → the version apt would install, `=installed` when it is the newest already, null when apt refuses. */
export function aptSimulated(out: string, pkg: string): string | null {
  const inst = new RegExp(`^Inst ${pkg.replace(/[.+]/g, '\\$&')} (?:\\[\\S+\\] )?\\((\\S+) `, 'm').exec(out);
  if (inst) return inst[1];
  const same = new RegExp(`^${pkg} is already the newest version \\((\\S+)\\)`, 'm').exec(out);
  return same ? `=${same[1]}` : null;
}
