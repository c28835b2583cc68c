// Runs in: tests. The one atomic writer every temp-file-then-rename write in the core goes through:
// temp names, the store's own temp folder, the folder made only when missing, and no leftovers.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { moveIntoPlace, tempPathFor, writeFileAtomic, writeTempBeside } from '../../../electron/core/util/atomic-write';
import { tmpDir } from '../../support/helpers';

describe('atomic writes', () => {
  it('names temp files hidden, random and ending in .tmp, beside the file or in a given folder', () => {
    const a = tempPathFor('/x/y/model.bin');
    expect(path.dirname(a)).toBe('/x/y');
    expect(path.basename(a)).toMatch(/^\.model\.bin\.[0-9a-f]{12}\.tmp$/);
    expect(tempPathFor('/x/y/model.bin')).not.toBe(a);
    expect(path.dirname(tempPathFor('/x/y/model.bin', '/store/tmp'))).toBe('/store/tmp');
  });

  it('replaces a file whole, and leaves no temp file behind', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'f.txt');
    writeFileSync(file, 'old');
    writeFileAtomic(file, 'new', 0o600);
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['f.txt']);
  });

  it('can stage the temp file in another folder, making the target folder when it is missing', () => {
    const dir = tmpDir();
    const temps = path.join(dir, 'tmp');
    const file = path.join(dir, 'ab', 'cdef');
    writeFileAtomic(file, Buffer.from('bytes'), 0o644, temps);
    expect(readFileSync(file, 'utf8')).toBe('bytes');
    expect(readdirSync(temps)).toEqual([]);
  });

  it('removes the temp file when the move fails', () => {
    const dir = tmpDir();
    const target = path.join(dir, 'taken');
    mkdirSync(path.join(target, 'inside'), { recursive: true });
    const tmp = writeTempBeside(target, 'x');
    expect(() => moveIntoPlace(tmp, target)).toThrow();
    expect(existsSync(tmp)).toBe(false);
  });
});
