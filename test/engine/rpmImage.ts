/**
 * The RPM test image: no RPM-based image can be pulled here (no registry), so it is derived from
 * the local base image: Debian's rpm, dnf and createrepo-c, then five tiny packages built with
 * rpmbuild (each installs /usr/share/<name>/version), a local repository made with createrepo_c,
 * a repo file pointing at it (file://) and dnf's metadata cache — `dnf install cloche-hello` works
 * offline. rpm's database lives in /var/lib/rpm, as on RPM distributions (Debian's rpm defaults
 * to ~/.rpmdb).
 *
 * Packages: cloche-hello 1.0-1 and 1.1-1; cloche-extra 3.0-1 (no epoch), 1:2.9-1 and
 * 1:2.10~rc1-1 — the newest is 1:2.10~rc1-1, which only rpm's ordering gets right (epoch first,
 * 10 > 9 numerically, `~` before the end of the string).
 *
 * Built once with `docker build` (network host for the Debian mirror) and cached by its tag;
 * change RPM_IMAGE's tag when the Dockerfile changes.
 */
import { run } from '../../server/src/containers/process';
import type { ContainerDriver } from '../../server/src/containers/driver';
import { IMAGE } from './helpers';

export const RPM_IMAGE = 'cloche/test-rpm:1';

/** spec NAME VERSION RELEASE [EPOCH]: writes and builds a noarch package that installs /usr/share/NAME/version. */
const SPEC_FN = String.raw`spec() { printf '%s\n' "Name: $1" "Version: $2" "Release: $3" ${'$'}{4:+"Epoch: $4"} 'Summary: Cloche test package' 'License: MIT' 'BuildArch: noarch' \
    '%description' 'A one-file package for the engine tests.' '%install' "mkdir -p %{buildroot}/usr/share/$1" "echo $2 > %{buildroot}/usr/share/$1/version" \
    '%files' "/usr/share/$1/version" > /root/rpmbuild/SPECS/$1-$2.spec; \
    rpmbuild -bb --quiet /root/rpmbuild/SPECS/$1-$2.spec; }`;

export const RPM_DOCKERFILE = `FROM ${IMAGE}
LABEL cloche.test-image="rpm"
RUN apt-get -q update \\
 && DEBIAN_FRONTEND=noninteractive apt-get -q -y install --no-install-recommends rpm dnf createrepo-c \\
 && rm -rf /var/lib/apt/lists/*
RUN set -e; mkdir -p /etc/rpm /etc/dnf/vars /etc/yum.repos.d /srv/cloche-rpms /root/rpmbuild/SPECS; \\
  echo '%_dbpath /var/lib/rpm' > /etc/rpm/macros; echo 9 > /etc/dnf/vars/releasever; rpm --initdb; \\
  ${SPEC_FN}; \\
  spec cloche-hello 1.0 1; spec cloche-hello 1.1 1; \\
  spec cloche-extra 3.0 1; spec cloche-extra 2.9 1 1; spec cloche-extra 2.10~rc1 1 1; \\
  cp /root/rpmbuild/RPMS/noarch/*.rpm /srv/cloche-rpms/; createrepo_c --quiet /srv/cloche-rpms; \\
  printf '%s\\n' '[cloche]' 'name=Cloche test repository' 'baseurl=file:///srv/cloche-rpms' 'enabled=1' 'gpgcheck=0' > /etc/yum.repos.d/cloche.repo; \\
  dnf -q -y makecache
`;

/** The same shell function, for tests that build more packages in a container made from the image. */
export const SPEC_SHELL_FUNCTION = SPEC_FN;

/**
 * Makes sure {@link RPM_IMAGE} exists (builds it when missing; ~20 s). Returns a reason to skip
 * when the base image is missing — under CI that is a failure.
 */
export async function ensureRpmImage(docker: ContainerDriver): Promise<string | undefined> {
  if (await docker.imageExists(RPM_IMAGE)) return undefined;
  if (!(await docker.imageExists(IMAGE))) {
    const why = `the base image ${IMAGE} is missing (build it with \`cloche image build\` or .ci/provision.sh)`;
    if (process.env.CI) throw new Error(`CI is set but ${why}`);
    console.warn(`\n*** SKIPPING rpm engine tests: ${why}\n`);
    return why;
  }
  const r = await run(docker.runtime.command, ['build', '--network', 'host', '-t', RPM_IMAGE, '-'], { input: RPM_DOCKERFILE, timeoutMs: 10 * 60_000 });
  if (r.code !== 0) throw new Error(`building ${RPM_IMAGE} failed (exit ${r.code ?? 'timeout'}):\n${`${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-20).join('\n')}`);
  return undefined;
}
