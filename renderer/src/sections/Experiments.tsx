// Runs in: renderer. Experiments: the experiments and their runs, one run's page, or a comparison.
import type { ExperimentsList } from '../../../shared/contract';
import { CallView } from '../components/CallView';
import { EmptyState } from '../components/EmptyState';
import { formatDate } from '../components/format';
import { NameCell, Table, type Column } from '../components/Table';
import { useCall } from '../hooks/use-call';
import { useEvent } from '../hooks/use-event';
import { useApp } from '../store/app-store';
import { Compare } from './compare/Compare';
import { RunPage } from './experiments/RunPage';
import { RunsTable } from './RunsTable';

type Experiment = ExperimentsList['experiments'][number];

const EXPERIMENT_COLUMNS: Column<Experiment>[] = [
  { header: 'Experiment', cell: (e) => <NameCell name={e.name} detail={e.description} /> },
  { header: 'Runs', cell: (e) => e.runCount, numeric: true },
  { header: 'Last run', cell: (e) => formatDate(e.lastRunAt) },
  { header: 'Created', cell: (e) => formatDate(e.createdAt) },
];

function RunsOverview() {
  const [state, reload] = useCall('experiments.list', {});
  // A run starting or ending (here, in a terminal, from a script) or taken in from the inbox changes
  // the experiments' counts, and a project's first run replaces the empty state with the runs table.
  useEvent((event) => {
    if (event.name === 'run.status' || event.name === 'runs.ingested') reload();
  });
  return (
    <CallView state={state} reload={reload}>
      {(data) =>
        data.experiments.length === 0 ? (
          <EmptyState
            title="No experiments yet"
            command="benchtop exec -- python3 train.py"
            secondary={{ label: 'Open Pipelines', onClick: () => useApp.getState().setSection('pipelines') }}
          >
            <p>
              An experiment groups the runs of one idea: each run keeps its params, its metrics step by step, its tags
              and its artifacts, so runs can be compared side by side.
            </p>
            <p>
              Runs are recorded here when the stages of this project's pipeline (see Pipelines) run and report to
              Benchtop, or when a script runs under <code>benchtop exec</code> (or starts a run with the Python or
              JavaScript helper).
            </p>
          </EmptyState>
        ) : (
          <>
            <Table label="Experiments" columns={EXPERIMENT_COLUMNS} rows={data.experiments} rowKey={(e) => e.id} />
            <h3>Runs</h3>
            <RunsTable />
          </>
        )
      }
    </CallView>
  );
}

export function Experiments() {
  const view = useApp((s) => s.experimentsView);
  if (view.kind === 'run') return <RunPage key={view.id} id={view.id} />;
  if (view.kind === 'compare') return <Compare ids={view.ids} />;
  return <RunsOverview />;
}
