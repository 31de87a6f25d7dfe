#!/usr/bin/env bash
# Provision a fresh Debian 12 machine (run as root) for Cloche's container tests:
# Docker engine, Podman (+ runc), debootstrap, a running dockerd, the base image
# cloche/debian:12 built from Debian's own packages (there is no image registry here), and its
# systemd variant cloche/debian:12-systemd (systemd as PID 1, for the service tests).
# Idempotent: every step checks before it acts, so running it twice is cheap.
set -euo pipefail

IMAGE="${CLOCHE_BASE_IMAGE:-cloche/debian:12}"
SUITE="${CLOCHE_BASE_SUITE:-bookworm}"
DOCKERD_LOG="${DOCKERD_LOG:-/var/log/dockerd.log}"
DOCKERD_WAIT_S="${DOCKERD_WAIT_S:-60}"
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

now_ms() { date +%s%3N; }
T0=$(now_ms)
STEP_T=$T0
step() { STEP_T=$(now_ms); echo "provision: $*"; }
done_step() { echo "provision:   done in $(( ($(now_ms) - STEP_T) ))ms"; }
fail() { echo "provision: ERROR: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "must run as root (it installs packages and starts dockerd)"

# --- packages --------------------------------------------------------------
# docker.io brings the engine (dockerd, containerd, runc); podman for the smoke test
# (run with --runtime runc, see docs); debootstrap builds the base image offline.
PKGS=(docker.io podman runc debootstrap)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "apt-get update"
  apt-get update -qq
  done_step
  step "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  done_step
else
  echo "provision: packages already installed (${PKGS[*]})"
fi

# --- docker daemon ---------------------------------------------------------
if docker info >/dev/null 2>&1; then
  echo "provision: docker daemon already answering"
else
  step "starting dockerd in the background (log: $DOCKERD_LOG)"
  command -v dockerd >/dev/null || fail "dockerd not found after installing docker.io"
  setsid dockerd >"$DOCKERD_LOG" 2>&1 < /dev/null &
  deadline=$(( $(date +%s) + DOCKERD_WAIT_S ))
  until docker info >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "--- last lines of $DOCKERD_LOG ---" >&2; tail -n 30 "$DOCKERD_LOG" >&2 || true
      fail "dockerd did not answer 'docker info' within ${DOCKERD_WAIT_S}s (see $DOCKERD_LOG)"
    fi
    sleep 0.5
  done
  done_step
fi

# Runs one of the project's image builders (server/src/containers/MODULE.ts, function FN) for debian-12.
# Dynamic import works whether tsx loads the sources as CommonJS or as ES modules.
project_builder() {
  (cd "$REPO_DIR" && node --import tsx -e "
    import('./server/src/containers/$1.ts').then(async (m) => {
      const build = m.$2 ?? m.default.$2;
      process.exitCode = await build('docker', 'debian-12');
    });")
}

# --- base image --------------------------------------------------------------
if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "provision: image $IMAGE already present"
elif [ "${CLOCHE_IMAGE_BUILDER:-auto}" != shell ] && [ -x "$REPO_DIR/node_modules/.bin/tsx" ]; then
  # Prefer the project's own builder (server/src/containers/baseImage.ts) so CI exercises it.
  step "building $IMAGE with the project's builder (debootstrap $SUITE + docker import)"
  project_builder baseImage buildBaseImageCli
  done_step
else
  # Same steps in plain shell, for a machine where `npm ci` has not run yet.
  step "building $IMAGE (debootstrap --variant=minbase $SUITE + docker import)"
  rootfs="$(mktemp -d /tmp/cloche-rootfs.XXXXXX)"
  trap 'rm -rf "$rootfs"' EXIT
  debootstrap --variant=minbase "$SUITE" "$rootfs" http://deb.debian.org/debian >/dev/null
  tar -C "$rootfs" -c . | docker import -c 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null
  rm -rf "$rootfs"; trap - EXIT
  done_step
fi

# --- systemd image (the base image + systemd systemd-sysv procps from Debian's mirror) ---------
SYSTEMD_IMAGE="${IMAGE}-systemd"
if docker image inspect "$SYSTEMD_IMAGE" >/dev/null 2>&1; then
  echo "provision: image $SYSTEMD_IMAGE already present"
elif [ "${CLOCHE_IMAGE_BUILDER:-auto}" != shell ] && [ -x "$REPO_DIR/node_modules/.bin/tsx" ] && [ "$IMAGE" = cloche/debian:12 ]; then
  step "building $SYSTEMD_IMAGE with the project's builder (server/src/containers/systemdImage.ts)"
  project_builder systemdImage buildSystemdImageCli
  done_step
else
  # Same steps in plain shell: install in a bridge-network container, export, import with the label.
  step "building $SYSTEMD_IMAGE (apt-get install systemd systemd-sysv procps in a container of $IMAGE)"
  cid="$(docker run -d --network bridge --entrypoint /bin/sh "$IMAGE" -c 'trap "exit 0" TERM; while :; do sleep 1; done')"
  trap 'docker rm -f "$cid" >/dev/null 2>&1 || true' EXIT
  docker exec "$cid" sh -c 'export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq --no-install-recommends systemd systemd-sysv procps >/dev/null && apt-get clean'
  docker export "$cid" | docker import --change 'LABEL cloche.init=systemd' --change 'CMD ["/sbin/init"]' - "$SYSTEMD_IMAGE" >/dev/null
  docker rm -f "$cid" >/dev/null; trap - EXIT
  done_step
fi

echo "provision: all done in $(( ($(now_ms) - T0) ))ms"
