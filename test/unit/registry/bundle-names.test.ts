import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeEntryName } from '../../../electron/core/registry/bundle-zip';

const segment = fc.oneof(
  fc.constantFrom('..', '.', '', 'a', 'b.bin', 'C:', '\\\\x', '\u0000'),
  fc.string({ maxLength: 6 }),
);

describe('bundle entry names', () => {
  it('a name that passes always stays inside the folder it is extracted to', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), fc.boolean(), (parts, leadingSlash) => {
        const name = `${leadingSlash ? '/' : ''}${parts.join('/')}`;
        if (!safeEntryName(name)) return;
        const root = path.resolve('/extract/here');
        const target = path.resolve(root, name);
        expect(target.startsWith(root + path.sep)).toBe(true);
        expect(path.posix.normalize(name)).toBe(name);
      }),
      { numRuns: 2000 },
    );
  });

  it('any name with a parent step is refused, wherever it sits', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z0-9._-]{1,8}$/), { maxLength: 4 }), fc.nat(4), (parts, at) => {
        const withParent = [...parts];
        withParent.splice(Math.min(at, parts.length), 0, '..');
        expect(safeEntryName(withParent.join('/'))).toBe(false);
      }),
    );
  });
});
