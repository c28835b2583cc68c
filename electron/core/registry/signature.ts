// Runs in: main (core). A model's input signature, read from the pointer schema of the data its run
// trained on: the pointer in the working tree when it still names that version, else the commit
// that last recorded it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ModelSignature } from '../../../shared/contract/schemas';
import { dataLog } from '../data/history';
import { pointerPathOf, readPointer, type DataPointer } from '../data/pointer';

async function pointerOfVersion(projectDir: string, dataset: string, version: string): Promise<DataPointer | null> {
  const rel = pointerPathOf(dataset);
  if (existsSync(path.join(projectDir, rel))) {
    try {
      const p = readPointer(projectDir, rel);
      if (p.hash === version) return p;
    } catch {
      /* an unreadable pointer: look in the history instead */
    }
  }
  try {
    for (const v of await dataLog(projectDir, dataset)) if (v.pointer?.hash === version) return v.pointer;
  } catch {
    /* not tracked in git (or no repository): no schema to read */
  }
  return null;
}

/** Datasets named like training data are tried first; the first one with a table schema wins. */
export async function signatureFromData(
  projectDir: string,
  inputs: readonly { dataset: string; version: string; context: string }[],
  exclude: readonly string[],
): Promise<ModelSignature | null> {
  const rank = (i: { dataset: string; context: string }): number =>
    /train/i.test(i.dataset) || /train/i.test(i.context) ? 0 : 1;
  for (const input of [...inputs].sort((a, b) => rank(a) - rank(b))) {
    const p = await pointerOfVersion(projectDir, input.dataset, input.version);
    if (!p?.schema) continue;
    const drop = new Set(exclude);
    return {
      inputs: p.schema.columns.filter((c) => !drop.has(c.name)).map((c) => ({ name: c.name, type: c.type })),
      source: `${input.dataset}@${input.version}`,
    };
  }
  return null;
}
