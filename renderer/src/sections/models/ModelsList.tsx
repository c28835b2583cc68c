// Runs in: renderer. The registered models: aliases as chips, how many versions, the latest, when
// each last changed; a name opens the model.
import { useState } from 'react';
import type { Deployment, ModelRow } from '../../../../shared/contract';
import { CallView } from '../../components/CallView';
import { EmptyState } from '../../components/EmptyState';
import { formatDate } from '../../components/format';
import { Table, type Column } from '../../components/Table';
import { useCall } from '../../hooks/use-call';
import { useApp } from '../../store/app-store';
import { AliasChips } from './AliasChips';
import { RegisterDialog } from './RegisterDialog';
import { StateChip } from './DeploymentPanel';
import { useDeploymentsChanged } from './use-deployments';
import { useModelsChanged } from './use-models-changed';

function ModelName({ model }: { model: ModelRow }) {
  const openModel = useApp((s) => s.openModel);
  return (
    <>
      <button type="button" className="link model-name" onClick={() => openModel(model.name)}>
        {model.name}
      </button>
      {model.description ? <div className="muted">{model.description}</div> : null}
    </>
  );
}

function LatestVersion({ model }: { model: ModelRow }) {
  const openVersion = useApp((s) => s.openModelVersion);
  if (model.latestVersion === null) return <>—</>;
  const n = model.latestVersion;
  return (
    <button
      type="button"
      className="link"
      onClick={() => openVersion(model.name, n)}
      aria-label={`${model.name} version ${n}`}
    >
      v{n}
    </button>
  );
}

/** The model's running deployment, else its latest one (stopped or gone), else nothing. */
function DeploymentChip({ deployment }: { deployment: Deployment | undefined }) {
  if (!deployment) return <span className="muted">—</span>;
  return (
    <span title={`${deployment.ref} at ${deployment.url}`}>
      <StateChip d={deployment} />
      {deployment.state === 'running' ? (
        <span className="muted"> {deployment.url.replace(/^https?:\/\//, '')}</span>
      ) : null}
    </span>
  );
}

function columns(deployments: readonly Deployment[]): Column<ModelRow>[] {
  const of = (name: string): Deployment | undefined =>
    deployments.find((d) => d.model === name && d.state === 'running') ?? deployments.find((d) => d.model === name);
  return [...COLUMNS, { header: 'Deployment', cell: (m) => <DeploymentChip deployment={of(m.name)} /> }];
}

const COLUMNS: Column<ModelRow>[] = [
  { header: 'Model', cell: (m) => <ModelName model={m} /> },
  { header: 'Aliases', cell: (m) => <AliasChips aliases={m.aliases} label={`Aliases of ${m.name}`} /> },
  { header: 'Versions', cell: (m) => m.versionCount, numeric: true },
  { header: 'Latest', cell: (m) => <LatestVersion model={m} />, numeric: true },
  { header: 'Updated', cell: (m) => formatDate(m.updatedAt) },
];

export function ModelsList() {
  const [state, reload] = useCall('models.list', {});
  const [deployments, reloadDeployments] = useCall('deployments.list', {});
  useModelsChanged(reload);
  useDeploymentsChanged(reloadDeployments);
  const [registering, setRegistering] = useState(false);
  return (
    <CallView state={state} reload={reload}>
      {(data) =>
        data.models.length === 0 ? (
          <EmptyState
            title="No registered models yet"
            command="benchtop models register NAME --run RUN --path ARTIFACT"
            action={{ label: 'Register a model', onClick: () => setRegistering(true) }}
            dialog={registering ? <RegisterDialog run={null} onClose={() => setRegistering(false)} /> : null}
          >
            <p>
              The registry keeps each model version with its lineage: the run that made it, the data version and the
              commit. Open a run in Experiments and choose <strong>Register model</strong> to give the model it produced
              a version, aliases such as <code>champion</code>, and a model card.
            </p>
          </EmptyState>
        ) : (
          <Table
            label="Registered models"
            columns={columns(deployments.status === 'ready' ? deployments.data.deployments : [])}
            rows={data.models}
            rowKey={(m) => m.name}
          />
        )
      }
    </CallView>
  );
}
