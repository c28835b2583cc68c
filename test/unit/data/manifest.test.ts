import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeManifest, encodeManifest } from '../../../electron/core/data/manifest';
import { parsePointer } from '../../../electron/core/data/pointer';

const hex = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('folder manifests', () => {
  it('encode the same set of files to the same bytes and hash, whatever their order, and decode back', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z]{1,4}(\/[a-z]{1,4}){0,2}$/), { maxLength: 20 }), (paths) => {
        const entries = paths.map((p, i) => ({ path: p, hash: hex(p), size: i }));
        const a = encodeManifest(entries);
        const b = encodeManifest([...entries].reverse());
        expect(a.hash).toBe(b.hash);
        expect(a.bytes.equals(b.bytes)).toBe(true);
        expect(decodeManifest(a.bytes, a.hash)).toEqual(
          [...entries].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0)),
        );
      }),
    );
  });

  it('refuses a tampered manifest that names a path outside its folder', () => {
    for (const bad of ['../escape.txt', '/etc/passwd', 'a/../../b', 'a//b', './a']) {
      const bytes = Buffer.from(JSON.stringify({ version: 1, files: [{ path: bad, hash: hex('x'), size: 1 }] }));
      expect(() => decodeManifest(bytes, hex('m')), bad).toThrow(/outside its folder|not a valid manifest/);
    }
  });
});

describe('pointer files', () => {
  it('name the line of a bad field and refuse unknown keys, so a pointer is never half-used', () => {
    const ok = `version: 1\nkind: file\nhash: ${hex('a')}\nsize: 3\nfiles: 1\n`;
    expect(parsePointer(ok, 'd.bt')).toMatchObject({ kind: 'file', size: 3 });
    expect(() => parsePointer(ok.replace('size: 3', 'size: -3'), 'd.bt')).toThrow(/^d\.bt:4: size/);
    expect(() => parsePointer(`${ok}path: ../../etc/passwd\n`, 'd.bt')).toThrow(/d\.bt.*path|Unrecognized/i);
    expect(() => parsePointer('version: 1\nkind: [unclosed\n', 'd.bt')).toThrow(/^d\.bt:\d+: not valid YAML/);
  });
});
