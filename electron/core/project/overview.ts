// Runs in: main (core) and CLI (Node). How the open project stands, for the app's landing view:
// assembled from each domain's own reads, so the Overview says what the other views say.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ProjectOverview } from '../../../shared/contract/app';
import { dataLog } from '../data/history';
import { dataPathOf, findPointers } from '../data/pointer';
import { listMonitors } from '../monitoring/list';
import type { PipelineService } from '../pipeline/service';
import { listModels } from '../registry/list';
import { getModel } from '../registry/versions';
import { PIPELINE_FILE } from '../util/layout';
import type { Workspace } from '../workspace/workspace';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_DATA_VERSIONS = 20;
/** Commits read per tracked path: the window is days long, so its versions are among the newest. */
const LOG_DEPTH = 50;

export async function projectOverview(
  ws: Workspace,
  pipelines: PipelineService,
  days: number,
  now = new Date(),
): Promise<ProjectOverview> {
  const since = new Date(now.getTime() - days * DAY_MS).toISOString();

  const models = listModels(ws.db).models.map((row) => {
    const champion = row.aliases.find((a) => a.alias === 'champion');
    const versions = getModel(ws.db, row.name)
      .versions.map((v) => ({ version: v.version, metrics: v.metrics, archived: v.archived, createdAt: v.createdAt }))
      .reverse();
    return {
      name: row.name,
      champion: champion?.version ?? row.latestVersion,
      alias: champion ? 'champion' : null,
      versions,
    };
  });

  const monitors = listMonitors(ws.db).monitors.map((m) => ({
    name: m.name,
    lastStatus: m.lastStatus,
    lastRunAt: m.lastRunAt,
    openAlerts: m.openAlerts,
  }));

  const dataVersions: ProjectOverview['dataVersions'] = [];
  for (const pointer of findPointers(ws.dir)) {
    const rel = dataPathOf(pointer);
    // A pointer not committed yet has no versions; a version older than the window ends the log.
    const versions = await dataLog(ws.dir, rel, ws.dir, LOG_DEPTH).catch(() => []);
    for (const v of versions) {
      if (v.date < since) break;
      dataVersions.push({ path: rel, commit: v.commit, date: v.date, message: v.message });
    }
  }
  dataVersions.sort((a, b) => b.date.localeCompare(a.date) || a.path.localeCompare(b.path));

  return {
    models,
    monitors,
    openAlerts: monitors.reduce((n, m) => n + m.openAlerts, 0),
    lastPipelineRun: pipelines.runs(1)[0] ?? null,
    dataVersions: dataVersions.slice(0, MAX_DATA_VERSIONS),
    since,
    hasPipeline: existsSync(path.join(ws.dir, PIPELINE_FILE)),
  };
}
