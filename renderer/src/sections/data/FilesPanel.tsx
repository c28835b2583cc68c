// Runs in: renderer. The files under data/: shape, git state, which tracked dataset versions them;
// untracked files and folders can be picked (or dropped) and tracked with one button.
import { useState, type DragEvent } from 'react';
import type { DataFile, DataStatusRow } from '../../../../shared/contract';
import { desktopBridge } from '../../api/bridge';
import { isDesktop } from '../../api/client';
import { formatBytes, formatDate, plural } from '../../components/format';
import { Table, type Column } from '../../components/Table';
import { useApp } from '../../store/app-store';
import { entryPath, fileEntries, relativeInside, type FileEntry as Entry } from './data-format';

export function FilesPanel({
  files,
  tracked,
  selected,
  onPreview,
  onTrack,
  busy,
}: {
  files: DataFile[];
  tracked: DataStatusRow[];
  selected: string | null;
  onPreview: (path: string) => void;
  onTrack: (paths: string[]) => void;
  busy: boolean;
}) {
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [dragging, setDragging] = useState(false);
  const entries = fileEntries(files, tracked);
  const pickable = new Set(entries.filter((e) => e.owner === null).map(entryPath));
  const chosen = [...picked].filter((p) => pickable.has(p));

  const toggle = (path: string) =>
    setPicked((prev) => {
      const next = new Set(prev);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const dropped = [...e.dataTransfer.files];
    // The desktop app knows where a dropped file is: files inside the project are tracked at once.
    const bridge = desktopBridge();
    const project = useApp.getState().project;
    if (bridge?.pathForFile && project && dropped.length > 0) {
      const rels = dropped.map((f) => relativeInside(project.path, bridge.pathForFile!(f)));
      const inside = rels.filter((r): r is string => r !== null);
      if (inside.length > 0) onTrack(inside);
      if (inside.length < dropped.length) {
        useApp.getState().toast({
          kind: 'info',
          title: 'Only files inside the project can be tracked',
          message: `${dropped
            .filter((_, i) => rels[i] === null)
            .map((f) => f.name)
            .join(', ')} ${dropped.length - inside.length === 1 ? 'is' : 'are'} outside ${project.path}.`,
          hint: "Copy them into the project's data/ folder, then drop or track them again.",
        });
      }
      return;
    }
    // In the browser a dropped file comes with its name and bytes only, so it can only be matched
    // to a file already in data/.
    const names = new Set(dropped.map((f) => f.name));
    const matches = entries
      .filter((en) => en.owner === null && names.has(entryPath(en).split('/').pop()!))
      .map(entryPath);
    if (matches.length > 0) setPicked((prev) => new Set([...prev, ...matches]));
    else if (dropped.length > 0) {
      useApp.getState().toast({
        kind: 'info',
        title: 'Copy the files into data/ first',
        message: `${dropped.map((f) => f.name).join(', ')} ${dropped.length === 1 ? 'is' : 'are'} not in this project's data/ folder.`,
        hint: 'Copy them into data/ (Finder, Explorer or `cp`), then tick them in the list and press Track.',
      });
    }
  };

  const columns: Column<Entry>[] = [
    {
      header: 'File',
      cell: (e) => {
        const path = entryPath(e);
        return (
          <span className="file-cell">
            {e.owner === null ? (
              <input
                type="checkbox"
                aria-label={`Pick ${path} to track`}
                checked={picked.has(path)}
                onChange={() => toggle(path)}
                disabled={busy}
              />
            ) : (
              <span className="checkbox-gap" aria-hidden="true" />
            )}
            {e.kind === 'folder' ? (
              <span className="folder-name">▸ {path}/</span>
            ) : (
              <button type="button" className="link" onClick={() => onPreview(path)} aria-pressed={path === selected}>
                {path}
              </button>
            )}
          </span>
        );
      },
    },
    {
      header: 'Rows',
      cell: (e) =>
        e.kind === 'folder' ? plural(e.files, 'file') : e.file.rows === null ? '—' : e.file.rows.toLocaleString(),
      numeric: true,
    },
    { header: 'Columns', cell: (e) => (e.kind === 'file' ? e.file.columns.length || '—' : '—'), numeric: true },
    { header: 'Size', cell: (e) => formatBytes(e.kind === 'file' ? e.file.size : e.size), numeric: true },
    {
      header: 'Versioning',
      cell: (e) =>
        e.owner !== null ? (
          <span className="status git-committed" title={`Versioned by ${e.owner}.bt`}>
            tracked{e.owner !== entryPath(e) ? ' (in folder)' : ''}
          </span>
        ) : e.kind === 'file' ? (
          <span className={`status git-${e.file.gitStatus}`} title={`Git: ${e.file.gitStatus}`}>
            {e.file.gitStatus === 'untracked' ? 'untracked' : `git ${e.file.gitStatus}`}
          </span>
        ) : (
          <span className="status">folder</span>
        ),
    },
    { header: 'Modified', cell: (e) => (e.kind === 'file' ? formatDate(e.file.modifiedAt) : '') },
  ];

  return (
    <section className="data-panel" aria-labelledby="data-files-title">
      <header className="data-panel-head">
        <h2 id="data-files-title">Files in data/</h2>
        <span className="muted">{plural(files.length, 'file')}</span>
        <span className="spacer" />
        <button
          type="button"
          className="primary"
          disabled={busy || chosen.length === 0}
          onClick={() => {
            onTrack(chosen);
            setPicked(new Set());
          }}
        >
          Track{chosen.length > 0 ? ` ${plural(chosen.length, 'item')}` : ''}
        </button>
      </header>
      <Table
        label="Data files"
        columns={columns}
        rows={entries}
        rowKey={(e) => `${e.kind}:${entryPath(e)}`}
        selectedKey={selected ? `file:${selected}` : null}
      />
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        aria-label="Drop zone for data files"
        role="region"
      >
        <p>
          <strong>{isDesktop ? 'Drop files here to track them.' : 'Drop files here to pick them.'}</strong>{' '}
          {isDesktop ? (
            <>
              Files and folders dropped from inside this project are tracked at once. Files from elsewhere must first be
              copied into its <code>data/</code> folder.
            </>
          ) : (
            <>
              In the browser a dropped file arrives as bytes without its location, so Benchtop cannot copy or track it
              from here: first copy it into this project's <code>data/</code> folder (e.g.{' '}
              <code>cp ~/Downloads/train.csv data/</code>), then tick it in the list above (or drop it here to tick it)
              and press <em>Track</em>.
            </>
          )}
        </p>
      </div>
    </section>
  );
}
