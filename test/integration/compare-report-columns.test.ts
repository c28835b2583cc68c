// The comparison report's runs table: an Id column only when a run's name differs from its id,
// since a run without a name of its own is named by its id (issue 19).
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
      const unnamed = await runs(core, [undefined, undefined]);
      expect(headers(unnamed, db)).toEqual(['Run', 'Status', 'Experiment', 'Started', 'Duration (s)', 'Commit']);
      const named = await runs(core, ['baseline', 'tuned']);
      expect(headers(named, db)).toEqual(['Run', 'Id', 'Status', 'Experiment', 'Started', 'Duration (s)', 'Commit']);
    } finally {
      await core.shutdown();
    }
  });
});
