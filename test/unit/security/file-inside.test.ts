// Runs in: tests. The one containment check for servers that hand out the files of one folder
// (the renderer's static files, exported reports): links are judged by where they lead.
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { realFileInside } from '../../../electron/core/util/path-policy';
import { tmpDir } from '../../support/helpers';

function fixture(): { root: string; outside: string } {
  const base = tmpDir();
  const root = path.join(base, 'served');
  mkdirSync(path.join(root, 'sub'), { recursive: true });
  writeFileSync(path.join(root, 'a.html'), 'a');
  writeFileSync(path.join(root, 'sub', 'b.js'), 'b');
  const outside = path.join(base, 'secret.txt');
  writeFileSync(outside, 's');
  symlinkSync(outside, path.join(root, 'out.html'));
  symlinkSync(path.join(root, 'sub', 'b.js'), path.join(root, 'in.js'));
  symlinkSync(base, path.join(root, 'up'));
  return { root, outside };
}

describe('realFileInside', () => {
  it('gives the real path of a file inside the folder, links followed', () => {
    const { root } = fixture();
    const real = realpathSync(root);
    expect(realFileInside(root, path.join(root, 'a.html'))).toBe(path.join(real, 'a.html'));
    expect(realFileInside(root, path.join(root, 'sub', 'b.js'))).toBe(path.join(real, 'sub', 'b.js'));
    expect(realFileInside(root, path.join(root, 'in.js'))).toBe(path.join(real, 'sub', 'b.js'));
  });

  it('refuses what is missing, a folder, the folder itself, and links or paths leading out', () => {
    const { root, outside } = fixture();
    for (const p of [
      path.join(root, 'missing.html'),
      path.join(root, 'sub'),
      root,
      path.join(root, 'out.html'),
      path.join(root, 'up', 'secret.txt'),
      path.join(root, '..', 'secret.txt'),
      outside,
    ])
      expect(realFileInside(root, p), p).toBeNull();
  });

  it('with `directly`, only a file in the folder itself counts', () => {
    const { root } = fixture();
    expect(realFileInside(root, path.join(root, 'a.html'), { directly: true })).not.toBeNull();
    expect(realFileInside(root, path.join(root, 'sub', 'b.js'), { directly: true })).toBeNull();
    // A link in the folder to a file in a subfolder is judged by where it leads.
    expect(realFileInside(root, path.join(root, 'in.js'), { directly: true })).toBeNull();
  });
});
