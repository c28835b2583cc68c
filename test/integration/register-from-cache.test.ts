// Registering a pipeline output of an older run after a later run overwrote it in the working tree:
// refused with the exact command that takes the run's own bytes from the run cache (--from-cache),
// and that command registers them, checked against the hash the run recorded.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { dataStore } from '../../electron/core/data/track';
import { initProject } from '../../electron/core/project/init';
import { getVersion } from '../../electron/core/registry/versions';
import { runCli, tmpDir } from '../support/helpers';

const TRAIN = `const fs = require('fs');
fs.mkdirSync('models/extra', { recursive: true });
fs.writeFileSync('models/model.txt', 'weights ' + process.argv[2]);
fs.writeFileSync('models/extra/vocab.txt', 'vocab ' + process.argv[2]);
`;

const YAML = `stages:
  train:
    cmd: node train.js \${acc}
    deps: [train.js]
    params: [acc]
    outs:
      - models/model.txt
      - models/extra
`;

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

function cli(args: string[], cwd: string) {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('BENCHTOP_')) env[k] = v;
  return runCli(args, { cwd, env });
}

describe('models register --from-cache', () => {
  it("names the command after a later run overwrote the output, and registers the run's own bytes with it", async () => {
    const dir = path.join(tmpDir(), 'p');
    (await initProject(dir, {})).workspace.close();
    writeFileSync(path.join(dir, 'benchtop.yaml'), YAML);
    writeFileSync(path.join(dir, 'train.js'), TRAIN);
    writeFileSync(path.join(dir, 'params.yaml'), 'acc: 1\n');
    const first = cli(['run'], dir);
    expect(first.code, first.stderr + first.stdout).toBe(0);
    const runs1 = JSON.parse(cli(['runs', '--json'], dir).stdout) as { id: string }[];
    const run1 = runs1[0]!.id;
    writeFileSync(path.join(dir, 'params.yaml'), 'acc: 2\n');
    const second = cli(['run'], dir);
    expect(second.code, second.stderr + second.stdout).toBe(0);
    expect(readFileSync(path.join(dir, 'models', 'model.txt'), 'utf8')).toBe('weights 2');

    const refused = cli(['models', 'register', 'churn', '--run', run1, '--path', 'models/model.txt'], dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('has changed since');
    expect(refused.stderr).toContain(
      `benchtop models register churn --run ${run1} --path models/model.txt --from-cache`,
    );

    const taken = cli(
      ['models', 'register', 'churn', '--run', run1, '--path', 'models/model.txt', '--from-cache'],
      dir,
    );
    expect(taken.code, taken.stderr).toBe(0);
    // A folder output too, checked against the folder hash the run recorded.
    const folder = cli(['models', 'register', 'packed', '--run', run1, '--path', 'models/extra', '--from-cache'], dir);
    expect(folder.code, folder.stderr).toBe(0);

    const core = new Core({ dataDir: tmpDir(), mode: 'cli' });
    await core.open(dir);
    try {
      const db = core.project!.db;
      const recorded = db
        .prepare(`SELECT hash FROM run_artifacts WHERE run_id = ? AND role = 'out' AND path = 'models/model.txt'`)
        .get(run1) as { hash: string };
      const v = getVersion(db, 'churn', 1);
      expect(v.artifact.hash).toBe(recorded.hash);
      expect(v.artifact.hash).toBe(sha('weights 1'));
      expect(v.runId).toBe(run1);
      expect(readFileSync(dataStore(dir).pathOf(v.artifact.hash), 'utf8')).toBe('weights 1');
      expect(getVersion(db, 'packed', 1)).toMatchObject({ artifact: { kind: 'folder' }, files: 1, runId: run1 });
    } finally {
      await core.shutdown();
    }
    // The working tree is left as the later run wrote it.
    expect(readFileSync(path.join(dir, 'models', 'model.txt'), 'utf8')).toBe('weights 2');
  });
});
