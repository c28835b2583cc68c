// Runs in: main (core). The drift report: reads the reference and the current data into typed columns,
// tests every shared column, judges the dataset, and measures the model where target and prediction
// are named. The one entry point for the contract, the CLI, monitors and the Monitoring view.
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../../shared/contract/errors';
import type { DriftColumn, DriftReport, DriftRequest, ModelPerformance } from '../../../../shared/contract/schemas';
import { datasetDrift } from '../stats';
import { columnReport } from './column-report';
import { columnRoles, idColumns, type LeftOut } from './column-roles';
import { classification, regression } from './performance';
import { defaultWorkerFile, readBoth } from './read-parallel';
import { resolveSource } from './sources';
import type { TableData } from './table-data';

export interface DriftProgress {
  side: 'reference' | 'current';
  rows: number;
}

export interface DriftOptions {
  onProgress?: (p: DriftProgress) => void;
  /** Where relative paths start (the CLI's cwd); the project folder by default. */
  base?: string;
  /** The worker bundle that reads both sides at once; found beside the bundle by default, null to read here. */
  workerFile?: string | null;
  /** The report's time, for reproducible output in tests. */
  now?: Date;
}

/** The request as the contract's defaults fill it; callers may pass it unparsed. */
type Request = Omit<DriftRequest, 'columns' | 'exclude' | 'shareThreshold'> &
  Partial<Pick<DriftRequest, 'columns' | 'exclude' | 'shareThreshold'>>;

const ROLE_FIELDS = ['target', 'prediction', 'score', 'id', 'timestamp'] as const;

export async function computeDriftReport(
  projectDir: string,
  db: Database | null,
  request: Request,
  options: DriftOptions = {},
): Promise<DriftReport> {
  const base = options.base ?? projectDir;
  const refSrc = await resolveSource(projectDir, db, request.reference, 'reference', base);
  const curSrc = await resolveSource(projectDir, db, request.current, 'current', base);
  const progress = (side: DriftProgress['side']) =>
    options.onProgress ? (rows: number) => options.onProgress!({ side, rows }) : undefined;
  // Performance pairs the target, prediction and score row by row; the other roles are kept in order too.
  const roleColumns = (field: (typeof ROLE_FIELDS)[number]): string[] =>
    field === 'id' ? idColumns(request.id) : request[field] === undefined ? [] : [request[field]];
  const keepOrder = new Set(ROLE_FIELDS.flatMap(roleColumns));
  const [ref, cur] = (await readBoth(
    [
      { src: refSrc, onRows: progress('reference'), field: 'reference' },
      { src: curSrc, onRows: progress('current'), field: 'current' },
    ],
    options.workerFile === undefined ? defaultWorkerFile() : options.workerFile,
    keepOrder,
  )) as [TableData, TableData];

  const refIndex = new Map(ref.names.map((n, i) => [n, i]));
  const curIndex = new Map(cur.names.map((n, i) => [n, i]));
  const known = (name: string): boolean => refIndex.has(name) || curIndex.has(name);
  const columnsOpt = request.columns ?? {};
  const exclude = new Set(request.exclude ?? []);
  for (const name of Object.keys(columnsOpt)) if (!known(name)) throw unknownColumn(name, `columns.${name}`, ref, cur);
  for (const name of exclude) if (!known(name)) throw unknownColumn(name, 'exclude', ref, cur);
  for (const field of ROLE_FIELDS) {
    for (const name of roleColumns(field)) if (!known(name)) throw unknownColumn(name, field, ref, cur);
  }
  const roles = columnRoles(
    {
      ...request,
      exclude: [...exclude],
      // The score feeds ROC AUC and drifts like any feature; a column given a test is to be tested.
      requested: [...(request.score !== undefined ? [request.score] : []), ...Object.keys(columnsOpt)],
    },
    (name) => {
      const ri = refIndex.get(name);
      const ci = curIndex.get(name);
      return ri === undefined || ci === undefined ? null : { ref: ref.columns[ri]!, cur: cur.columns[ci]! };
    },
  );
  const leftOut: LeftOut[] = [];

  const problems: DriftReport['problems'] = [
    ...ref.problems.map((message) => ({ source: 'reference' as const, message })),
    ...cur.problems.map((message) => ({ source: 'current' as const, message })),
  ];
  const columns: DriftColumn[] = [];
  for (const name of ref.names) {
    const ci = curIndex.get(name);
    if (ci === undefined && !exclude.has(name)) continue;
    const out = roles.leftOut(name);
    if (out) leftOut.push(out);
    if (ci === undefined || exclude.has(name)) continue;
    const opt = columnsOpt[name] ?? {};
    columns.push(
      columnReport({
        name,
        role: roles.role(name),
        ...(out?.reason === 'unique' ? { notTested: 'Left out: every value is unique (an id column).' } : {}),
        ref: ref.columns[refIndex.get(name)!]!,
        cur: cur.columns[ci]!,
        refRows: ref.rows,
        curRows: cur.rows,
        test: opt.test,
        threshold: opt.threshold,
        type: opt.type,
      }),
    );
  }
  const tested = columns.filter((c) => c.test !== null);
  const verdict = datasetDrift(
    tested.map((c) => c.drifted),
    request.shareThreshold ?? 0.5,
  );
  return {
    version: 1,
    createdAt: (options.now ?? new Date()).toISOString(),
    reference: { label: refSrc.label, rows: ref.rows, columns: ref.names.length, hash: ref.hash },
    current: { label: curSrc.label, rows: cur.rows, columns: cur.names.length, hash: cur.hash },
    summary: {
      columns: columns.length,
      tested: tested.length,
      drifted: verdict.driftedColumns,
      share: verdict.share,
      shareThreshold: request.shareThreshold ?? 0.5,
      datasetDrift: verdict.datasetDrift,
    },
    columns,
    onlyInReference: ref.names.filter((n) => !curIndex.has(n) && !exclude.has(n)),
    onlyInCurrent: cur.names.filter((n) => !refIndex.has(n) && !exclude.has(n)),
    problems,
    leftOut: [...leftOut, ...cur.names.filter((n) => !refIndex.has(n) && exclude.has(n)).map((n) => roles.leftOut(n)!)],
    performance: performanceOf(request, ref, cur, columns, problems),
  };
}

function unknownColumn(name: string, field: string, ref: TableData, cur: TableData): BenchtopError {
  const all = [...new Set([...ref.names, ...cur.names])];
  return new BenchtopError('INVALID_INPUT', `There is no column "${name}" in the reference or the current data.`, {
    field,
    hint: `The columns are: ${all.slice(0, 30).join(', ')}${all.length > 30 ? ', …' : ''}.`,
  });
}

/** Classification when the target column is categorical or text, regression when numeric. */
function performanceOf(
  request: Request,
  ref: TableData,
  cur: TableData,
  columns: DriftColumn[],
  problems: DriftReport['problems'],
): DriftReport['performance'] {
  const { target, prediction, score } = request;
  if (!target || !prediction) return null;
  const sides: ['reference' | 'current', TableData][] = [
    ['reference', ref],
    ['current', cur],
  ];
  for (const [side, t] of sides) {
    const missing = [target, prediction].filter((c) => !t.names.includes(c));
    if (missing.length) {
      problems.push({
        source: side,
        message: `No performance: the ${side} data has no column ${missing.map((m) => `"${m}"`).join(' or ')}.`,
      });
      return null;
    }
  }
  const kind = columns.find((c) => c.name === target)?.type ?? 'categorical';
  const measure = (t: TableData): ModelPerformance => {
    const col = (name: string) => t.columns[t.names.indexOf(name)]!;
    if (kind === 'numeric') return regression(col(target), col(prediction));
    return classification(col(target), col(prediction), score && t.names.includes(score) ? col(score) : null);
  };
  return { reference: measure(ref), current: measure(cur) };
}
