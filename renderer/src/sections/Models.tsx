// Runs in: renderer. The Models section: the registered models, one model's versions, a version's
// card and lineage, or versions compared (which one is in the app store's modelsView).
import { useApp } from '../store/app-store';
import { CompareVersions } from './models/CompareVersions';
import { ModelPage } from './models/ModelPage';
import { ModelsList } from './models/ModelsList';
import { VersionPage } from './models/VersionPage';
import './models/models.css';

export function Models() {
  const view = useApp((s) => s.modelsView);
  if (view.kind === 'model') return <ModelPage key={view.name} name={view.name} />;
  if (view.kind === 'version')
    return <VersionPage key={`${view.name}/${view.version}`} name={view.name} version={view.version} />;
  if (view.kind === 'compare')
    return (
      <CompareVersions key={`${view.name}:${view.versions.join(',')}`} name={view.name} versions={view.versions} />
    );
  return <ModelsList />;
}
