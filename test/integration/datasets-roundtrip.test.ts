import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkoutData } from '../../electron/core/data/checkout';
import { commitData } from '../../electron/core/data/history';
import { addData } from '../../electron/core/data/track';
import { initProject } from '../../electron/core/project/init';
import { git, tmpDir } from '../support/helpers';

type Tree = Map<string, Buffer>;

/** Relative paths of one to three segments, unique ignoring case (for case-insensitive disks). */
const treeArb: fc.Arbitrary<Tree> = fc
  .uniqueArray(
    fc.tuple(
      fc.array(fc.constantFrom('a', 'b', 'sub', 'x-y', 'deep'), { minLength: 0, maxLength: 2 }),
      fc.stringMatching(/^[a-z0-9]{1,6}\.(csv|bin|txt)$/),
      fc.uint8Array({ maxLength: 300 }),
    ),
    { minLength: 1, maxLength: 12, selector: ([dirs, name]) => [...dirs, name].join('/').toLowerCase() },
  )
  .map((entries) => {
    const tree: Tree = new Map();
    for (const [dirs, name, bytes] of entries) {
      const rel = [...dirs, name].join('/');
      // A file may not sit where another entry needs a folder.
      if ([...tree.keys()].some((k) => k.startsWith(`${rel}/`) || rel.startsWith(`${k}/`))) continue;
      tree.set(rel, Buffer.from(bytes));
    }
    return tree;
  });

function writeTree(root: string, tree: Tree): void {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  for (const [rel, bytes] of tree) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), bytes);
  }
}

function readTree(root: string): Tree {
  const out: Tree = new Map();
  const walk = (rel: string): void => {
    for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(child);
      else out.set(child, readFileSync(path.join(root, child)));
    }
  };
  walk('');
  return out;
}

describe('tracked data round trips (property)', () => {
  it('add → commit → change → commit → checkout the first version gives it back byte for byte, and the git CLI sees both', async () => {
    const dir = path.join(tmpDir(), 'p');
    const ws = (await initProject(dir, {})).workspace;
    git(dir, 'config', 'user.name', 'Prop');
    git(dir, 'config', 'user.email', 'prop@example.com');
    const data = path.join(dir, 'data', 'set');
    try {
      await fc.assert(
        fc.asyncProperty(treeArb, treeArb, async (first, second) => {
          writeTree(data, first);
          await addData(dir, ws.db, ['data/set']);
          const c1 = (await commitData(dir, 'first'))?.commit ?? git(dir, 'rev-parse', 'HEAD').trim();
          writeTree(data, second);
          await addData(dir, ws.db, ['data/set']);
          await commitData(dir, 'second');
          await checkoutData(dir, ws.db, c1);
          expect(readTree(data)).toEqual(first);
          // The pointer the git CLI has at that commit is the one checked out.
          expect(git(dir, 'show', `${c1}:data/set.bt`)).toBe(readFileSync(path.join(dir, 'data/set.bt'), 'utf8'));
        }),
        { numRuns: 12 },
      );
    } finally {
      ws.close();
    }
  }, 240_000);
});
