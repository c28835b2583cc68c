// Runs in: renderer. The runs table of the open project (built in ./runs/).
import { useApp } from '../store/app-store';
import { RunsView } from './runs/RunsView';

export function RunsTable() {
  const path = useApp((s) => s.project?.path ?? '');
  return <RunsView key={path} projectPath={path} />;
}
