// Runs in: renderer. The bottom line: project folder, git head, schema version, connection, mode.
import { useApp } from '../store/app-store';

export function StatusBar() {
  const project = useApp((s) => s.project);
  const info = useApp((s) => s.info);
  const connection = useApp((s) => s.connection);
  return (
    <footer className="statusbar" aria-label="Status">
      <span title={project?.path}>{project ? project.path : 'No project open'}</span>
      {project ? (
        <span>
          git {project.git.branch ?? '—'} @ {project.git.head ?? 'no commits'}
        </span>
      ) : null}
      {project ? <span>schema v{project.schemaVersion}</span> : null}
      <span className="spacer" />
      <span className={`connection connection-${connection}`} role="status">
        {connection === 'connected'
          ? '● connected'
          : connection === 'reconnecting'
            ? '◌ reconnecting…'
            : '✕ token rejected: reopen the printed URL'}
      </span>
      {info ? (
        <span>
          Benchtop {info.version} · {info.mode === 'desktop' ? 'desktop' : 'browser mode'}
        </span>
      ) : null}
    </footer>
  );
}
