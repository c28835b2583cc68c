// Runs in: main (core). The file system isomorphic-git is given. isomorphic-git rewrites
// .git/index in place, so a kill -9 in the middle left it empty and every later git step failed
// ("Index file is empty"). Here the index is written as a temp file beside it, then renamed over it,
// so a kill leaves the old index or the new one, never a torn one.
import fs from 'node:fs';
import path from 'node:path';
import { tempPathFor } from '../util/atomic-write';

async function writeFile(file: fs.PathLike, data: string | Uint8Array, options?: fs.WriteFileOptions): Promise<void> {
  const target = String(file);
  if (path.basename(target) !== 'index' || path.basename(path.dirname(target)) !== '.git')
    return fs.promises.writeFile(file, data, options);
  const temp = tempPathFor(target);
  try {
    await fs.promises.writeFile(temp, data, options);
    await fs.promises.rename(temp, target);
  } catch (err) {
    await fs.promises.rm(temp, { force: true });
    throw err;
  }
}

/** node:fs with atomic writes of .git/index; pass it as `fs` to every isomorphic-git call. */
export const gitFs = { ...fs, promises: { ...fs.promises, writeFile } };
