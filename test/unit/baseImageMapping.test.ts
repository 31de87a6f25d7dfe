/**
 * Which of Cloche's offline base images a kitchen platform runs on: Debian 11, 12 and 13 are
 * buildable; platform names (`debian-12`, `debian-12.5`, `debian-bookworm`) and registry images of
 * those releases (`dokken/debian-12`, `debian:bookworm-slim`) map to them, and anything else says
 * plainly that no image can be had. Pure: the runtime is a fake `exists`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE_IMAGES, basePlatformOfName, clocheImageOfRelease } from '../../server/src/containers/baseImage';
import { buildCommandFor } from '../../server/src/containers/systemdImage';
import { readKitchen } from '../../server/src/engine/kitchen';
import { defaultImageOfPlatform, platformAvailability, standInImage } from '../../server/src/engine/kitchenAvailability';
import type { KitchenPlatform } from '../../server/src/engine/kitchen';

describe('Debian 13 joins the buildable base images', () => {
  test('trixie, with its systemd variant and build commands', () => {
    assert.deepEqual(BASE_IMAGES['debian-13'], { platform: 'debian-13', image: 'cloche/debian:13', suite: 'trixie' });
    assert.equal(buildCommandFor('cloche/debian:13'), 'cloche image build --platform debian-13');
    assert.equal(buildCommandFor('cloche/debian:13-systemd'), 'cloche image build --platform debian-13 --init systemd');
    assert.equal(buildCommandFor('cloche/debian:12'), 'cloche image build', 'the default release needs no --platform');
  });
});

describe('kitchen platform names → a buildable release', () => {
  const cases: [string, string | undefined][] = [
    ['debian-12', 'debian-12'], ['debian-11', 'debian-11'], ['debian-13', 'debian-13'],
    ['debian-12.5', 'debian-12'], ['debian-13.1', 'debian-13'], ['Debian-12', 'debian-12'], ['debian12', 'debian-12'],
    ['debian-bookworm', 'debian-12'], ['debian-trixie', 'debian-13'], ['debian_11', 'debian-11'],
    ['debian-10', undefined], ['debian-sid', undefined], ['debian-testing', undefined], ['debian', undefined],
    ['ubuntu-22.04', undefined], ['debian-12-systemd', undefined], ['almalinux-9', undefined],
  ];
  for (const [name, want] of cases) test(`${name} → ${want ?? 'none'}`, () => assert.equal(basePlatformOfName(name), want));

  test('a platform that names no image runs on its release', () => {
    assert.equal(defaultImageOfPlatform('debian-12.5', 'x'), 'cloche/debian:12');
    assert.equal(defaultImageOfPlatform('debian-13', 'x'), 'cloche/debian:13');
    assert.equal(defaultImageOfPlatform('debian-10', 'fallback'), 'fallback');
  });
});

describe('registry images → Cloche\'s image of the same release', () => {
  const cases: [string, string | undefined][] = [
    ['dokken/debian-12', 'cloche/debian:12'], ['dokken/debian-11', 'cloche/debian:11'], ['dokken/debian-13', 'cloche/debian:13'],
    ['dokken/debian-12:latest', 'cloche/debian:12'], ['docker.io/dokken/debian-12', 'cloche/debian:12'],
    ['debian:12', 'cloche/debian:12'], ['debian:12.5', 'cloche/debian:12'], ['debian:12-slim', 'cloche/debian:12'],
    ['debian:bookworm', 'cloche/debian:12'], ['debian:bookworm-slim', 'cloche/debian:12'], ['debian:bookworm-20240110-slim', 'cloche/debian:12'],
    ['debian:trixie', 'cloche/debian:13'], ['library/debian:11', 'cloche/debian:11'], ['registry.example.com:5000/library/debian:13', 'cloche/debian:13'],
    // Moving tags, pinned content, other releases and systems, and Cloche's own images map to nothing.
    ['debian', undefined], ['debian:latest', undefined], ['debian:stable', undefined], ['debian:testing', undefined],
    ['debian@sha256:0123456789abcdef', undefined], ['debian:12@sha256:0123456789abcdef', undefined],
    ['dokken/debian-10', undefined], ['debian:buster', undefined], ['dokken/ubuntu-22.04', undefined], ['ubuntu:22.04', undefined],
    ['cloche/debian:12', undefined], ['mycorp/debian:12', undefined],
  ];
  for (const [image, want] of cases) test(`${image} → ${want ?? 'none'}`, () => assert.equal(clocheImageOfRelease(image), want));

  test('under systemd the stand-in is the systemd variant', () => {
    assert.equal(standInImage('dokken/debian-12', true), 'cloche/debian:12-systemd');
    assert.equal(standInImage('debian:trixie', false), 'cloche/debian:13');
    assert.equal(standInImage('dokken/centos-stream-9', true), undefined);
  });
});

describe('availability with stand-ins (a fake runtime)', () => {
  const platform = (name: string, image: string, extra: Partial<KitchenPlatform> = {}): KitchenPlatform => ({ name, image, imageFrom: 'platform', ...extra });
  const runtimeWith = (...images: string[]) => async (image: string) => images.includes(image);

  test('the named image is used when it is here', async () => {
    assert.deepEqual(await platformAvailability(platform('debian-12', 'dokken/debian-12'), runtimeWith('dokken/debian-12', 'cloche/debian:12')),
      { status: 'present', image: 'dokken/debian-12' });
  });

  test('else Cloche\'s image of the release stands in, present or buildable', async () => {
    const sd = platform('debian-12', 'dokken/debian-12', { pidOneCommand: '/bin/systemd' });
    assert.deepEqual(await platformAvailability(sd, runtimeWith('cloche/debian:12-systemd')),
      { status: 'present', image: 'cloche/debian:12-systemd', standsInFor: 'dokken/debian-12' });
    const trixie = await platformAvailability(platform('debian-13', 'dokken/debian-13'), runtimeWith());
    assert.equal(trixie.status, 'buildable');
    assert.equal(trixie.image, 'cloche/debian:13');
    assert.equal(trixie.standsInFor, 'dokken/debian-13');
    assert.deepEqual(trixie.build, { command: 'cloche image build --platform debian-13', args: ['image', 'build', '--platform', 'debian-13'] });
    assert.match(trixie.reason!, /dokken\/debian-13 is not here, and cloche\/debian:13, Cloche's image of the same release that stands in for it, is not built yet/);
  });

  test('no image can be had: said plainly', async () => {
    const old = await platformAvailability(platform('debian-10', 'dokken/debian-10'), runtimeWith());
    assert.equal(old.status, 'unavailable');
    assert.match(old.reason!, /dokken\/debian-10 is not present, and Cloche cannot build it/);
    const noImage = await platformAvailability({ name: 'debian-10', image: 'cloche/debian:12', imageFrom: 'default' }, runtimeWith('cloche/debian:12'));
    assert.equal(noImage.status, 'unavailable', 'a release Cloche does not build is not run on another one');
    assert.match(noImage.reason!, /names no container image for debian-10 .* Cloche builds images only for debian-12, debian-11, debian-13/);
  });

  test('kitchen.yml: point releases and dokken images map to their release', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloche-map-'));
    writeFileSync(join(dir, 'metadata.rb'), "name 'map_fx'\nversion '1.0.0'\n");
    writeFileSync(join(dir, 'kitchen.yml'), `driver:\n  name: dokken\nplatforms:\n  - name: debian-12.5\n  - name: debian-13\n  - name: dokken-12\n    driver:\n      image: dokken/debian-12\n      pid_one_command: /bin/systemd\nsuites:\n  - name: default\n    run_list: ['recipe[map_fx]']\n`);
    const k = readKitchen(dir, 'cloche/debian:12')!;
    const exists = runtimeWith('cloche/debian:12', 'cloche/debian:12-systemd');
    const got = await Promise.all(k.platforms.map(async (p) => [p.name, p.image, await platformAvailability(p, exists)] as const));
    assert.deepEqual(got.map(([n, img, a]) => [n, img, a.status, a.image]), [
      ['debian-12.5', 'cloche/debian:12', 'present', 'cloche/debian:12'],
      ['debian-13', 'cloche/debian:13', 'buildable', 'cloche/debian:13'],
      ['dokken-12', 'dokken/debian-12', 'present', 'cloche/debian:12-systemd'],
    ]);
  });
});
