// Properties of the path policy (electron/core/util/path-policy.ts) over generated paths with
// `..`, `.`, repeated and trailing slashes, case variants, and real symbolic links in a temp dir.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { safeEntryName } from '../../electron/core/registry/bundle-zip';
import {
  checkProjectPath,
  isSameOrAncestor,
  normalizeProjectPath,
  refusal,
  removeInProject,
  resolveInProject,
  sameName,
} from '../../electron/core/util/path-policy';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});
function temp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'benchtop-policy-'));
  made.push(d);
  return d;
}

const PROTECTED = [
  '.git',
  '.git/objects',
  '.git/HEAD',
  '.benchtop',
  '.benchtop/benchtop.db',
  '.benchtop/server.json',
  'benchtop.yaml',
  'benchtop.lock',
  'params.yaml',
];
const segment = fc.constantFrom(
  '.',
  '..',
  '',
  'src',
  'build',
  'a',
  '.git',
  '.GIT',
  '.Git.',
  '.benchtop',
  '.BENCHTOP',
  'benchtop.yaml',
  'Benchtop.Yaml',
  'benchtop.lock',
  'params.yaml',
  'PARAMS.yaml',
  '.gitignore',
  'x.bt',
  'objects',
  'HEAD',
  'model.pkl',
);
const written = fc
  .tuple(
    fc.array(segment, { minLength: 1, maxLength: 6 }),
    fc.constantFrom('/', '//', '\\'),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([parts, sep, leadingDot, trailing]) => `${leadingDot ? './' : ''}${parts.join(sep)}${trailing ? '/' : ''}`);

/** A second, independent normalisation: a stack of parts, `..` popping, null when it pops past the root. */
function reference(given: string): string | null {
  if (/^[\\/]/.test(given)) return null; // absolute
  const stack: string[] = [];
  for (const part of given.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (stack.length === 0) return null;
      stack.pop();
    } else stack.push(part);
  }
  return stack.length ? stack.join('/') : '.';
}

describe('path policy (properties)', () => {
  it('normalises like an independent model: project-relative, no `.`/`..`, no empty parts', () => {
    fc.assert(
      fc.property(written, (given) => {
        expect(normalizeProjectPath(given)).toBe(reference(given));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses any path whose normalised form is, or is an ancestor of, a protected path (any case)', () => {
    fc.assert(
      fc.property(written, fc.constantFrom<'read' | 'write'>('read', 'write'), (given, use) => {
        const norm = reference(given);
        if (norm === null) return;
        const guards =
          use === 'write' ? PROTECTED : PROTECTED.filter((p) => p.startsWith('.git') || p.startsWith('.benchtop'));
        if (guards.some((p) => isSameOrAncestor(norm, p))) expect('refusal' in checkProjectPath(given, use)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('an accepted path never names anything inside .git or .benchtop, and resolves inside the project', () => {
    const root = path.resolve('/project');
    fc.assert(
      fc.property(written, fc.constantFrom<'read' | 'write'>('read', 'write'), (given, use) => {
        const r = checkProjectPath(given, use);
        if ('refusal' in r) return;
        const parts = r.path.split('/');
        expect(parts.some((p) => sameName(p, '.git'))).toBe(false);
        expect(sameName(parts[0]!, '.benchtop')).toBe(false);
        expect(parts).not.toContain('..');
        expect(path.resolve(root, r.path).startsWith(root + path.sep)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('is idempotent: an accepted path normalises to itself and is accepted again', () => {
    fc.assert(
      fc.property(written, fc.constantFrom<'read' | 'write'>('read', 'write'), (given, use) => {
        const r = checkProjectPath(given, use);
        if ('refusal' in r) return;
        expect(normalizeProjectPath(r.path)).toBe(r.path);
        expect(checkProjectPath(r.path, use)).toEqual(r);
      }),
      { numRuns: 2000 },
    );
  });

  it('writing is stricter than reading: what may be written may be read', () => {
    fc.assert(
      fc.property(written, (given) => {
        if (!('refusal' in checkProjectPath(given, 'write')))
          expect('refusal' in checkProjectPath(given, 'read')).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('a bundle entry name is safe exactly when it is relative with no empty, `.` or `..` parts', () => {
    const plain = (name: string): boolean =>
      name !== '' &&
      !name.startsWith('/') &&
      !name.includes('\\') &&
      !/^[A-Za-z]:/.test(name) &&
      name.split('/').every((p) => p !== '' && p !== '.' && p !== '..');
    fc.assert(
      fc.property(fc.oneof(written, fc.string({ maxLength: 12 })), (name) => {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: names with control characters are the case under test.
        if (/[\u0000-\u001f]/.test(name)) return;
        expect(safeEntryName(name)).toBe(plain(name));
        if (safeEntryName(name)) expect(normalizeProjectPath(name)).toBe(name);
      }),
      { numRuns: 3000 },
    );
    for (const bad of ['../x', '/etc/passwd', '.git/..', 'C:/x', 'a//b', 'a/./b', '.'])
      expect(safeEntryName(bad), bad).toBe(false);
  });

  it('protects the params files a pipeline declares, and the folders that hold them', () => {
    expect(refusal('conf/train.yaml', 'write', ['conf/train.yaml'])).not.toBeNull();
    expect(refusal('conf', 'write', ['conf/train.yaml'])).not.toBeNull();
    expect(refusal('CONF/Train.yaml', 'write', ['conf/train.yaml'])).not.toBeNull();
    expect(refusal('conf/other.yaml', 'write', ['conf/train.yaml'])).toBeNull();
    expect(refusal('conf/train.yaml', 'read', ['conf/train.yaml'])).toBeNull();
    expect(refusal('params.yaml', 'read')).toBeNull();
  });
});

describe('path policy on a real file system (properties)', () => {
  /**
   * A project with links of every kind: `in` to a folder inside, `out` to a folder outside,
   * `g` to .git, `self` to the project itself, `lnk.txt` to a file outside.
   */
  function sandbox(): { root: string; outside: string } {
    const base = temp();
    const root = path.join(base, 'proj');
    const outside = path.join(base, 'outside');
    for (const d of [
      path.join(root, '.git', 'objects'),
      path.join(root, '.benchtop'),
      path.join(root, 'sub', 'a'),
      path.join(root, 'build'),
      outside,
    ])
      mkdirSync(d, { recursive: true });
    writeFileSync(path.join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(path.join(root, '.benchtop', 'benchtop.db'), 'db');
    writeFileSync(path.join(root, 'benchtop.yaml'), 'stages: {}\n');
    writeFileSync(path.join(root, 'sub', 'a', 'model.pkl'), 'm');
    writeFileSync(path.join(root, 'build', 'model.pkl'), 'm');
    writeFileSync(path.join(outside, 'keep.txt'), 'precious');
    writeFileSync(path.join(outside, 'model.pkl'), 'precious');
    symlinkSync(path.join(root, 'sub'), path.join(root, 'in'));
    symlinkSync(outside, path.join(root, 'out'));
    symlinkSync(path.join(root, '.git'), path.join(root, 'g'));
    symlinkSync(root, path.join(root, 'self'));
    symlinkSync(path.join(outside, 'keep.txt'), path.join(root, 'lnk.txt'));
    return { root, outside };
  }
  const fsSegment = fc.constantFrom(
    'in',
    'out',
    'g',
    'self',
    'lnk.txt',
    'sub',
    'a',
    'build',
    'model.pkl',
    'objects',
    'HEAD',
    '.git',
    '.benchtop',
    'benchtop.db',
    '..',
    '.',
    'missing',
  );
  const fsPath = fc.array(fsSegment, { minLength: 1, maxLength: 5 }).map((p) => p.join('/'));

  it('an accepted path really lies inside the project and outside .git and .benchtop', () => {
    const { root } = sandbox();
    const real = realpathSync(root);
    fc.assert(
      fc.property(fsPath, fc.constantFrom<'read' | 'write'>('read', 'write'), (given, use) => {
        const norm = normalizeProjectPath(given);
        if (norm === null) return;
        let r: ReturnType<typeof resolveInProject>;
        try {
          r = resolveInProject(root, norm, use);
        } catch {
          return;
        }
        expect(r.abs === real || r.abs.startsWith(real + path.sep)).toBe(true);
        expect(refusal(r.rel, use)).toBeNull();
      }),
      { numRuns: 1500 },
    );
  });

  it('removing an out never deletes outside the project, git, Benchtop or the pipeline', () => {
    fc.assert(
      fc.property(fsPath, (given) => {
        const { root, outside } = sandbox();
        try {
          removeInProject(root, given);
        } catch {
          // refused: that is allowed; what matters is what is left on disk
        }
        expect(readFileSync(path.join(outside, 'keep.txt'), 'utf8')).toBe('precious');
        expect(readFileSync(path.join(outside, 'model.pkl'), 'utf8')).toBe('precious');
        expect(existsSync(path.join(root, '.git', 'HEAD'))).toBe(true);
        expect(existsSync(path.join(root, '.git', 'objects'))).toBe(true);
        expect(existsSync(path.join(root, '.benchtop', 'benchtop.db'))).toBe(true);
        expect(existsSync(path.join(root, 'benchtop.yaml'))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('unlinks a link named as an out, never its target', () => {
    const { root, outside } = sandbox();
    removeInProject(root, 'out');
    removeInProject(root, 'lnk.txt');
    expect(existsSync(path.join(root, 'out'))).toBe(false);
    expect(readFileSync(path.join(outside, 'keep.txt'), 'utf8')).toBe('precious');
    expect(() => removeInProject(root, 'out/model.pkl')).not.toThrow(); // the link is gone: nothing there now
    expect(existsSync(path.join(outside, 'model.pkl'))).toBe(true);
  });

  it('refuses an out through a link that leaves the project, or leads into .git', () => {
    const { root } = sandbox();
    symlinkSync(path.join(path.dirname(root), 'outside'), path.join(root, 'out2'));
    expect(() => removeInProject(root, 'out2/model.pkl')).toThrow(
      /symbolic link out2, which leads outside the project/,
    );
    expect(() => removeInProject(root, 'g/objects')).toThrow(/\.git/);
    expect(() => removeInProject(root, 'self/.git')).toThrow(/\.git/);
    expect(() => removeInProject(root, 'in/a/model.pkl')).not.toThrow();
    expect(existsSync(path.join(root, 'sub', 'a', 'model.pkl'))).toBe(false);
  });
});
