import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/ruby/positions';
import { parseRuby } from '../../server/src/ruby/prism';

test('ASCII byte offsets map to the same characters', () => {
  const idx = new LineIndex('ab\ncd\n');
  assert.deepEqual(idx.position(4), { line: 1, character: 1 });
  assert.equal(idx.byteOffsetAt({ line: 1, character: 1 }), 4);
});

test('non-ASCII text maps to UTF-16 columns (é is 2 bytes, 日 3, 𝄞 4 bytes and 2 UTF-16 units)', () => {
  const text = "log 'é日𝄞' ; x";
  const idx = new LineIndex(text);
  const byteOfX = new TextEncoder().encode(text).length - 1;
  assert.deepEqual(idx.position(byteOfX), { line: 0, character: text.length - 1 });
  assert.equal(idx.byteOffsetAt({ line: 0, character: text.length - 1 }), byteOfX);
});

test('syntax errors come back as data with ranges, never as exceptions', () => {
  const parsed = parseRuby("package 'x' do\n  action :install\n");
  assert.ok(parsed.errors.length > 0);
  const pos = parsed.lines.position(parsed.errors[0].startOffset);
  assert.ok(pos.line >= 0);
});
