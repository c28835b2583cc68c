// Runs in: renderer. Switch project: recent projects, open a folder by path (or the native dialog
// on the desktop), or create a new project there.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, isDesktop } from '../api/client';
import { toastError, useApp } from '../store/app-store';
import './field.css';
import { formatDate } from './format';

export function ProjectSwitcherButton() {
  const project = useApp((s) => s.project);
  const setOpen = useApp((s) => s.setSwitcherOpen);
  return (
    <button
      type="button"
      className="project-button"
      onClick={() => setOpen(true)}
      aria-haspopup="dialog"
      title="Switch project (Alt+O)"
    >
      <span className="project-name">{project ? project.name : 'Open a project'}</span>
      {project?.isDemo ? <span className="badge">demo</span> : null}
      <span aria-hidden="true">▾</span>
    </button>
  );
}

export function ProjectSwitcher() {
  const open = useApp((s) => s.switcherOpen);
  const setOpen = useApp((s) => s.setSwitcherOpen);
  const recent = useApp((s) => s.recent);
  const current = useApp((s) => s.project);
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && e.key.toLowerCase() === 'o') {
        e.preventDefault();
        setOpen(true);
      } else if (e.key === 'Escape' && open) setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, setOpen]);

  useEffect(() => {
    if (open) inputRef.current?.focus();
  }, [open]);

  if (!open) return null;

  const run = async (what: string, action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
      setOpen(false);
      setPath('');
    } catch (err) {
      toastError(what, err);
    } finally {
      setBusy(false);
    }
  };
  const openPath = (p: string) => run('Could not open the project', () => api.call('project.open', { path: p }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void openPath(path);
  };

  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && setOpen(false)}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="switcher-title">
        <h2 id="switcher-title">Switch project</h2>
        <form onSubmit={submit} className="path-form">
          <label htmlFor="project-path">Project folder</label>
          <div className="row">
            <input
              id="project-path"
              type="text"
              className="field-input"
              ref={inputRef}
              value={path}
              onChange={(e) => setPath(e.target.value)}
              aria-describedby="project-path-help"
              spellCheck={false}
              autoComplete="off"
            />
            {isDesktop ? (
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  void api.call('project.chooseFolder', {}).then(
                    (r) => r.path && setPath(r.path),
                    (err: unknown) => toastError('Could not show the folder dialog', err),
                  )
                }
              >
                Browse…
              </button>
            ) : null}
          </div>
          <p id="project-path-help" className="muted field-help">
            The full path of a folder, such as <code>/home/me/projects/churn</code>.
          </p>
          <div className="row actions">
            <button type="submit" className="primary" disabled={busy || !path.trim()}>
              Open
            </button>
            <button
              type="button"
              disabled={busy || !path.trim()}
              onClick={() =>
                void run('Could not create the project', () => api.call('project.init', { path, demo: false }))
              }
            >
              Create new project here
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
        <h3>Recent projects</h3>
        {recent.length === 0 ? (
          <p className="muted">No recent projects yet.</p>
        ) : (
          <ul className="recent-list">
            {recent.map((r) => (
              <li key={r.path}>
                <button
                  type="button"
                  disabled={busy || !r.exists || r.path === current?.path}
                  onClick={() => void openPath(r.path)}
                >
                  <span className="recent-name">{r.name}</span>
                  <span className="recent-path">{r.path}</span>
                  <span className="recent-date">
                    {r.exists ? (r.path === current?.path ? 'open now' : formatDate(r.openedAt)) : 'missing'}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
