/**
 * The pure rules of the tool providers, as Chef applies them: git's ls-remote resolution order,
 * RubyGems requirements and `gem list` lines, remote_file's source kinds, archive formats by name.
 * Run: node --import tsx --test test/unit/toolProviders.test.ts
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFromName } from '../../server/src/engine/providers/archiveFile';
import { gemRequirement, installedGemVersions } from '../../server/src/engine/providers/gems';
import { refCandidates, resolveRevision } from '../../server/src/engine/providers/git';
import { classifySource } from '../../server/src/engine/providers/remoteFile';

const A = 'a'.repeat(40), B = 'b'.repeat(40), C = 'c'.repeat(40);

describe('tool providers: Chef\'s rules', () => {
  test('git: a peeled tag wins over the tag, tags over branches, HEAD alone for HEAD; more than one match is no answer', () => {
    const refs = [`${A}\tHEAD`, `${A}\trefs/heads/main`, `${B}\trefs/tags/v1`, `${C}\trefs/tags/v1^{}`, `${B}\trefs/heads/v1`];
    assert.deepEqual(resolveRevision('v1', refs), { sha: C, kind: 'tag' });
    assert.deepEqual(resolveRevision('main', refs), { sha: A, kind: 'branch' });
    assert.deepEqual(resolveRevision('HEAD', refs), { sha: A, kind: 'other' });
    assert.deepEqual(resolveRevision('refs/heads/main', refs), { sha: A, kind: 'branch' });
    assert.deepEqual(resolveRevision(B, []), { sha: B, kind: 'other' }, 'a sha is its own target');
    assert.deepEqual(resolveRevision('nope', refs), { problem: 'no ref matches it' });
    assert.deepEqual(resolveRevision('x', [`${A}\trefs/tags/x`, `${B}\trefs/tags/x`]), { problem: '2 refs match refs/tags/x' });
    assert.deepEqual(refCandidates('dev').map((c) => c.ref), ['refs/tags/dev^{}', 'refs/heads/dev^{}', 'dev^{}', 'refs/tags/dev', 'refs/heads/dev', 'dev']);
  });

  test('gems: Gem::Requirement as a version string means it, default gems and platforms in gem list', () => {
    assert.deepEqual(installedGemVersions(['rake (13.0.6, 12.3.3 x86_64-linux, default: 2.6.1)']), ['13.0.6', '12.3.3', '2.6.1']);
    assert.equal(gemRequirement('13.0')!.satisfiedBy('13.0.0'), true);
    assert.equal(gemRequirement('13.0')!.satisfiedBy('13.0.6'), false);
    assert.equal(gemRequirement('~> 13.0')!.satisfiedBy('13.9'), true);
    assert.equal(gemRequirement('~> 13.0')!.satisfiedBy('14.0'), false);
    assert.equal(gemRequirement('>= 2, < 3')!.satisfiedBy('2.5'), true);
    assert.equal(gemRequirement('not a version'), undefined);
  });

  test('remote_file sources and archive names', () => {
    assert.deepEqual(classifySource('file:///srv/a%20b.tgz'), { url: 'file:///srv/a%20b.tgz', local: '/srv/a b.tgz' });
    assert.deepEqual(classifySource('https://x.example/y'), { url: 'https://x.example/y', remote: true, https: true });
    assert.match((classifySource('sftp://h/p') as { unsupported: string }).unsupported, /cannot fetch sftp:\/\//);
    assert.match((classifySource('file://host/p') as { unsupported: string }).unsupported, /not a local file:\/\/ URL/);
    assert.deepEqual(['a.tar.gz', 'a.tgz', 'a.tar.bz2', 'a.txz', 'a.tar.zst', 'A.ZIP', 'a.tar', 'a.bin'].map(formatFromName),
      ['gzip', 'gzip', 'bzip2', 'xz', 'zstd', 'zip', 'tar', undefined]);
  });
});
