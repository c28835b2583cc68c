// Runs in: main (core) and CLI. A model card: what a version is, where it came from (its lineage),
// how it scored, what it expects as input, and the intended use and limitations its owners wrote.
// As data (JSON) and as a self-contained report through the reports module (HTML, and PDF from it).
import type { Database } from 'better-sqlite3';
import type { LineageGraph, ModelCard, ModelVersionDetail } from '../../../shared/contract/schemas';
import { bytes } from '../../../shared/format/data-diff';
import { renderReport, type Block, type Report, type ReportSection } from '../reports/document';
import { formatValue } from '../../../shared/format/number';
import { barChart } from '../reports/echarts-svg';
import { lineageDiagram } from '../reports/svg-lineage';
import { modelLineage } from './lineage';
import { getVersion } from './versions';

export async function modelCard(
  projectDir: string,
  db: Database,
  name: string,
  version: number,
  now = new Date(),
): Promise<ModelCard> {
  return {
    generatedAt: now.toISOString(),
    version: getVersion(db, name, version),
    lineage: await modelLineage(projectDir, db, name, version),
  };
}

function lineageBlocks(graph: LineageGraph): Block[] {
  const label = new Map(graph.nodes.map((n) => [n.id, n]));
  const kindName: Record<string, string> = {
    model: 'Model version',
    run: 'Run',
    params: 'Params',
    metrics: 'Metrics',
    data: 'Data version',
    commit: 'Commit',
    monitor: 'Monitor',
    deployment: 'Deployment',
  };
  return [
    {
      kind: 'chart',
      svg: lineageDiagram({
        title: 'Lineage',
        nodes: graph.nodes,
        edges: graph.edges,
        root: graph.nodes[0]!.id,
        leftKinds: ['monitor'],
      }),
    },
    {
      kind: 'table',
      caption: 'Each step from the version back to its code and data, and on to what watches it',
      columns: ['From', 'Relation', 'To', 'Detail'],
      rows: graph.edges.map((e) => {
        const to = label.get(e.to)!;
        return {
          cells: [label.get(e.from)!.label, e.label, `${kindName[to.kind] ?? to.kind}: ${to.label}`, to.detail],
        };
      }),
    },
  ];
}

/** The card as a report: the page skeleton, tables and escaped markdown of the reports module. */
export function cardReport(card: ModelCard, project: string): Report {
  const v: ModelVersionDetail = card.version;
  const metrics = Object.entries(v.metrics).sort(([a], [b]) => a.localeCompare(b));
  const params = Object.entries(v.params).sort(([a], [b]) => a.localeCompare(b));
  const tags = Object.entries(v.tags);
  const origin = v.runId
    ? v.runName && v.runName !== v.runId
      ? `run ${v.runName} (${v.runId})`
      : `run ${v.runId}`
    : v.source === 'bundle'
      ? 'a bundle from another project'
      : `the path ${v.artifact.path}`;
  const sections: ReportSection[] = [
    { heading: 'Description', blocks: [{ kind: 'markdown', text: v.description, empty: 'No description.' }] },
    {
      heading: 'Intended use',
      blocks: [
        {
          kind: 'markdown',
          text: v.intendedUse,
          empty: `Not written yet: edit it in the Models view, or run \`benchtop models update ${v.name}/${v.version} --intended-use-file FILE.md\`.`,
        },
      ],
    },
    {
      heading: 'Limitations',
      blocks: [
        {
          kind: 'markdown',
          text: v.limitations,
          empty: `Not written yet: edit it in the Models view, or run \`benchtop models update ${v.name}/${v.version} --limitations-file FILE.md\`.`,
        },
      ],
    },
  ];
  const metricBlocks: Block[] = [
    {
      kind: 'table',
      caption: metrics.length ? 'At registration' : 'No metrics were recorded.',
      columns: ['Metric', 'Value'],
      numeric: [1],
      rows: metrics.map(([k, m]) => ({ cells: [k, formatValue(m)] })),
    },
  ];
  const finite = metrics.filter(([, m]) => Number.isFinite(m));
  // Bars only when the metrics share a scale (scores in [0, 1]); a loss of 300 beside an accuracy of 0.9 says nothing.
  if (finite.length >= 2 && finite.length <= 20 && finite.every(([, m]) => m >= 0 && m <= 1)) {
    metricBlocks.push({
      kind: 'chart',
      svg: barChart({ title: 'Scores', yLabel: 'value', bars: finite.map(([k, m]) => ({ label: k, value: m })) }),
    });
  }
  sections.push({ heading: 'Metrics', blocks: metricBlocks });
  sections.push({
    heading: 'Input signature',
    blocks: v.signature
      ? [
          {
            kind: 'table',
            caption: `${v.signature.inputs.length} input columns (from ${v.signature.source})`,
            columns: ['Column', 'Type'],
            rows: v.signature.inputs.map((c) => ({ cells: [c.name, c.type] })),
          },
        ]
      : [{ kind: 'text', text: 'No signature: the run read no tracked table with a schema, and none was given.' }],
  });
  sections.push({
    heading: 'Training data',
    blocks: v.data.length
      ? [
          {
            kind: 'table',
            caption: 'Data versions the run read',
            columns: ['Dataset', 'Version (sha256)', 'Context'],
            rows: v.data.map((d) => ({ cells: [d.dataset, d.version, d.context] })),
          },
        ]
      : [{ kind: 'text', text: 'No tracked data versions were recorded for this version.' }],
  });
  sections.push({
    heading: 'Lineage',
    blocks: card.lineage.edges.length
      ? lineageBlocks(card.lineage)
      : [{ kind: 'text', text: 'This version has no recorded lineage.' }],
  });
  sections.push({
    heading: 'Params',
    blocks: [
      {
        kind: 'table',
        caption: params.length ? `${params.length} params of the run` : 'No params were recorded.',
        columns: ['Param', 'Value'],
        rows: params.map(([k, p]) => ({ cells: [k, p] })),
      },
    ],
  });
  if (tags.length)
    sections.push({
      heading: 'Tags',
      blocks: [
        {
          kind: 'table',
          caption: `${tags.length} tags`,
          columns: ['Tag', 'Value'],
          rows: tags.map(([k, t]) => ({ cells: [k, t] })),
        },
      ],
    });
  return {
    kind: 'model-card',
    title: `Model card: ${v.name} v${v.version}`,
    meta: [
      ['Project', project],
      ['Model', `${v.name} version ${v.version}`],
      ['Aliases', v.aliases.length ? v.aliases.map((a) => `@${a}`).join(' ') : 'none'],
      ['Format', v.format],
      [
        'Artifact',
        `${v.artifact.path} (${v.artifact.kind}, ${v.files} ${v.files === 1 ? 'file' : 'files'}, ${bytes(v.size)})`,
      ],
      ['Artifact sha256', v.artifact.hash],
      ['Registered from', origin],
      ['Git commit', v.gitCommit ?? 'unknown'],
      ['Registered', v.createdAt],
      ...(v.predict ? ([['Predict command', v.predict]] as [string, string][]) : []),
      ...(v.archived ? ([['Archived', v.archivedAt ?? 'yes']] as [string, string][]) : []),
      ['Card generated', card.generatedAt],
    ],
    sections,
  };
}

export function cardHtml(card: ModelCard, project: string): string {
  return renderReport(cardReport(card, project), 'Benchtop model card');
}
