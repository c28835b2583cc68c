// Runs in: main (core). A model version's lineage as a graph: the version → the run it came from →
// that run's params and metrics → the data versions it read (and the commits holding them) → the
// commit the run ran at; and forward to the monitors that watch the model. Built from the version's
// own snapshot, so a version whose run was deleted (or that came from a bundle) still has its past.
import type { Database } from 'better-sqlite3';
import type { LineageGraph, LineageNode } from '../../../shared/contract/schemas';
import { formatValue } from '../../../shared/format/number';
import { dataLog } from '../data/history';
import { resolveModelRef } from './refs';
import { getVersion } from './versions';

/** Commits shown per data version: the graph is for reading, `data log` has the rest. */
const COMMITS_PER_DATA_VERSION = 3;

const short = (hash: string): string => hash.slice(0, 7);

function listed(entries: [string, string][], max = 6): string {
  if (entries.length === 0) return 'none';
  const shown = entries
    .slice(0, max)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return entries.length > max ? `${shown}, … (${entries.length} in all)` : shown;
}

/** Does a monitor's `model` setting name this version: the model itself, `NAME@ALIAS` or `NAME/N` resolving to it. */
function watches(db: Database, target: string, name: string, version: number): boolean {
  const body = target.trim().replace(/^models:\/+/, '');
  if (body === name) return true;
  if (!body.startsWith(`${name}@`) && !body.startsWith(`${name}/`)) return false;
  try {
    const r = resolveModelRef(db, body);
    return r.name === name && r.version === version;
  } catch {
    // An alias that points nowhere (yet) watches no version.
    return false;
  }
}

interface MonitorRow {
  name: string;
  kind: string;
  config: string;
  status: string | null;
  ranAt: string | null;
}

/** Monitors whose config names the model (`{"model": "NAME@ALIAS" | "NAME/N" | "NAME"}`) and resolves to this version. */
export function monitorsWatching(db: Database, name: string, version: number): (MonitorRow & { target: string })[] {
  const rows = db
    .prepare(
      `SELECT m.name, m.kind, m.config,
              (SELECT c.status FROM monitor_checks c WHERE c.monitor_id = m.id ORDER BY c.ran_at DESC, c.id DESC LIMIT 1) AS status,
              (SELECT c.ran_at FROM monitor_checks c WHERE c.monitor_id = m.id ORDER BY c.ran_at DESC, c.id DESC LIMIT 1) AS ranAt
         FROM monitors m ORDER BY m.name`,
    )
    .all() as MonitorRow[];
  const out: (MonitorRow & { target: string })[] = [];
  for (const row of rows) {
    let config: unknown;
    try {
      config = JSON.parse(row.config);
    } catch {
      continue;
    }
    const target = (config as { model?: unknown } | null)?.model;
    if (typeof target === 'string' && watches(db, target, name, version)) out.push({ ...row, target });
  }
  return out;
}

export async function modelLineage(
  projectDir: string,
  db: Database,
  name: string,
  version: number,
): Promise<LineageGraph> {
  const v = getVersion(db, name, version);
  const nodes: LineageNode[] = [];
  const edges: LineageGraph['edges'] = [];
  const seen = new Set<string>();
  const node = (n: LineageNode): string => {
    if (!seen.has(n.id)) {
      seen.add(n.id);
      nodes.push(n);
    }
    return n.id;
  };
  const edge = (from: string, to: string, label: string): void => {
    if (!edges.some((e) => e.from === from && e.to === to)) edges.push({ from, to, label });
  };

  const modelId = node({
    id: `model:${name}/${version}`,
    kind: 'model',
    label: `${name} v${version}`,
    detail: [v.aliases.map((a) => `@${a}`).join(' '), v.format, v.archived ? 'archived' : '']
      .filter(Boolean)
      .join(' · '),
    ref: `${name}/${version}`,
  });

  // The run, when the version came from one; its params, metrics and data hang off it. A version
  // from a path or a bundle has the snapshot only, which hangs off the version itself.
  let from = modelId;
  if (v.runId) {
    const run = db
      .prepare('SELECT name, status, started_at AS startedAt, deleted_at AS deletedAt FROM runs WHERE id = ?')
      .get(v.runId) as { name: string; status: string; startedAt: string | null; deletedAt: string | null } | undefined;
    from = node({
      id: `run:${v.runId}`,
      kind: 'run',
      label: run?.name ?? v.runName ?? v.runId,
      detail: run
        ? [run.status, run.startedAt?.slice(0, 16).replace('T', ' ') ?? '', run.deletedAt ? 'deleted' : '']
            .filter(Boolean)
            .join(' · ')
        : 'purged',
      ref: v.runId,
    });
    edge(modelId, from, 'registered from');
  } else {
    const bundleRun = v.tags['bundle.source_run'];
    if (v.source === 'bundle' && bundleRun) {
      from = node({
        id: `run:${bundleRun}`,
        kind: 'run',
        label: bundleRun,
        detail: 'in the project the bundle came from',
        ref: null,
      });
      edge(modelId, from, 'registered from');
    }
  }

  const params = Object.entries(v.params).sort(([a], [b]) => a.localeCompare(b));
  if (params.length)
    edge(
      from,
      node({
        id: `params:${from}`,
        kind: 'params',
        label: `${params.length} params`,
        detail: listed(params),
        ref: v.runId,
      }),
      'params',
    );
  const metrics = Object.entries(v.metrics).sort(([a], [b]) => a.localeCompare(b));
  if (metrics.length)
    edge(
      from,
      node({
        id: `metrics:${from}`,
        kind: 'metrics',
        label: `${metrics.length} metrics`,
        detail: listed(metrics.map(([k, m]) => [k, formatValue(m)])),
        ref: v.runId,
      }),
      'metrics',
    );

  for (const d of v.data) {
    let commits: { commit: string; date: string; message: string }[] = [];
    try {
      commits = (await dataLog(projectDir, d.dataset))
        .filter((l) => l.pointer?.hash === d.version)
        .map((l) => ({ commit: l.commit, date: l.date, message: l.message }));
    } catch {
      // Not tracked here (a bundle from another project, or the pointer is gone): the version stands alone.
    }
    const dataId = node({
      id: `data:${d.dataset}@${d.version}`,
      kind: 'data',
      label: `${d.dataset}@${short(d.version)}`,
      detail: commits.length
        ? `committed in ${commits
            .map((c) => short(c.commit))
            .slice(0, COMMITS_PER_DATA_VERSION)
            .join(', ')}`
        : 'in no commit found here',
      ref: d.dataset,
    });
    edge(from, dataId, d.context || 'read');
    for (const c of commits.slice(0, COMMITS_PER_DATA_VERSION)) {
      edge(
        dataId,
        node({
          id: `commit:${c.commit}`,
          kind: 'commit',
          label: short(c.commit),
          detail: c.message.split('\n')[0]!.slice(0, 120),
          ref: c.commit,
        }),
        'committed in',
      );
    }
  }

  if (v.gitCommit) {
    const id = node({
      id: `commit:${v.gitCommit}`,
      kind: 'commit',
      label: short(v.gitCommit),
      detail: v.runId ? 'the code the run ran' : 'the project when registered',
      ref: v.gitCommit,
    });
    edge(from, id, v.runId ? 'ran at' : 'registered at');
  }

  for (const m of monitorsWatching(db, name, version)) {
    const id = node({
      id: `monitor:${m.name}`,
      kind: 'monitor',
      label: m.name,
      detail: [m.kind, m.status ?? 'not checked yet', m.target].join(' · '),
      ref: m.name,
    });
    edge(modelId, id, 'watched by');
  }
  return { nodes, edges };
}
