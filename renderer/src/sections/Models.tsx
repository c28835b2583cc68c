// Runs in: renderer. Registered models with their versions and aliases.
import type { ModelRow } from '../../../shared/contract';
import { CallView } from '../components/CallView';
import { EmptyState } from '../components/EmptyState';
import { formatDate } from '../components/format';
import { NameCell, Table, type Column } from '../components/Table';
import { useCall } from '../hooks/use-call';

const COLUMNS: Column<ModelRow>[] = [
  { header: 'Model', cell: (m) => <NameCell name={m.name} detail={m.description} /> },
  { header: 'Versions', cell: (m) => m.versionCount, numeric: true },
  { header: 'Latest', cell: (m) => m.latestVersion ?? '—', numeric: true },
  { header: 'Aliases', cell: (m) => m.aliases.map((a) => `${a.alias} → v${a.version}`).join(', ') || '—' },
  { header: 'Updated', cell: (m) => formatDate(m.updatedAt) },
];

export function Models() {
  const [state, reload] = useCall('models.list', {});
  return (
    <CallView state={state} reload={reload}>
      {(data) =>
        data.models.length === 0 ? (
          <EmptyState title="No registered models yet">
            <p>
              The registry keeps each model version with its lineage: the run that made it, the data version and the commit.
              Register the model a run produced to give it a version, aliases such as <code>champion</code>, and a model card.
            </p>
          </EmptyState>
        ) : (
          <Table label="Registered models" columns={COLUMNS} rows={data.models} rowKey={(m) => m.name} />
        )
      }
    </CallView>
  );
}
