// The comparison report's runs table: an Id column only when a run's name differs from its id.
// Runs made before readable names were given are named by their id (issue 19); new runs without a
// name of their own get a readable one, so their id is shown beside it.
import { describe, expect, it } from 'vitest';
import { comparisonReport } from '../../electron/core/tracking/compare';
import { call, openCore } from '../support/core';

async function runs(core: Awaited<ReturnType<typeof openCore>>['core'], names: (string | undefined)[]) {
  const ids: string[] = [];
  for (const name of names) {
    const { runId } = await call(core, 'runs.create', { experiment: 'e', ...(name ? { name } : {}) });
    await call(core, 'runs.end', { runId });
    ids.push(runId);
  }
  return ids;
}

const headers = (ids: string[], db: Parameters<typeof comparisonReport>[0]) => {
  const table = comparisonReport(db, ids, { project: 'p' }).sections[0]!.blocks[0] as unknown as { columns: string[] };
  return table.columns;
};

describe('comparison report, runs table', () => {
  it('leaves out the Id column when every run is known by its id, and keeps it when one has a name', async () => {
    const { core } = await openCore();
    try {
      const db = core.project!.db;
      const older = await runs(core, ['x', 'y']);
      for (const id of older) await call(core, 'runs.update', { id, name: id });
      expect(headers(older, db)).toEqual(['Run', 'Status', 'Experiment', 'Started', 'Duration (s)', 'Commit']);
      const unnamed = await runs(core, [undefined, undefined]);
      expect(headers(unnamed, db)).toEqual(['Run', 'Id', 'Status', 'Experiment', 'Started', 'Duration (s)', 'Commit']);
      const named = await runs(core, ['baseline', 'tuned']);
      expect(headers(named, db)).toEqual(['Run', 'Id', 'Status', 'Experiment', 'Started', 'Duration (s)', 'Commit']);
    } finally {
      await core.shutdown();
    }
  });
});
