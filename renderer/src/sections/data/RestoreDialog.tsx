// Runs in: renderer. Confirms restoring one version of a dataset: says exactly what will change
// (from the diff between the workspace and that version) and that unsaved changes are refused
// unless the user chooses to discard them.
import { useEffect, useRef, useState } from 'react';
import { DATA_LINK_MODES, type DataLinkMode, type DataStatusRow, type DataVersion } from '../../../../shared/contract';
import '../../components/field.css';
import { useCall } from '../../hooks/use-call';
import { restoreSummary, revLabel, shortHash } from './data-format';

const LINK_LABELS: Record<DataLinkMode, string> = {
  copy: 'copies',
  reflink: 'reflinks (copy-on-write clones)',
  hardlink: 'hardlinks (read-only)',
  symlink: 'symlinks (read-only)',
};

export function RestoreDialog({
  row,
  version,
  onCancel,
  onConfirm,
}: {
  row: DataStatusRow;
  version: DataVersion;
  onCancel: () => void;
  onConfirm: (force: boolean, link: DataLinkMode | null, verify: boolean) => void;
}) {
  const [force, setForce] = useState(false);
  const [verify, setVerify] = useState(false);
  const [link, setLink] = useState<DataLinkMode | null>(null);
  const [diff] = useCall('data.diff', { from: 'workspace', to: version.commit, path: row.path });
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    cancelRef.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onCancel();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);
  const unsaved = row.workspace === 'modified';
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div
        className="dialog restore-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="restore-title"
        aria-describedby="restore-what"
      >
        <h2 id="restore-title">
          Restore {row.path} to {revLabel(version.commit, version.message)}?
        </h2>
        <div id="restore-what" className="restore-what">
          {diff.status === 'loading' ? <p className="muted">Working out what will change…</p> : null}
          {diff.status === 'error' ? (
            <p className="status-error">
              Could not compare with the workspace: {diff.error.message}
              {diff.error.hint ? ` ${diff.error.hint}` : ''}
            </p>
          ) : null}
          {diff.status === 'ready' ? (
            <ul aria-label="What will change">
              {restoreSummary(diff.data).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          ) : null}
          <p className="muted">
            The data and its pointer file are set back to version {shortHash(version.commit)} from the cache; git
            history is left alone, so commit the pointer to make this the current version.
          </p>
          <p className={unsaved ? 'warning' : 'muted'}>
            {unsaved
              ? `${row.path} has changes that are not recorded as a version. They will be refused (nothing restored) unless you tick “Discard my changes”; Track them first to keep them.`
              : 'If the workspace has changes not recorded as a version, the restore is refused unless you tick “Discard my changes”.'}
          </p>
          <label className="discard">
            <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Discard my changes
          </label>
          <label className="link-mode" htmlFor="restore-link">
            Files come out of the cache as
          </label>
          <select
            id="restore-link"
            className="field-input"
            value={link ?? ''}
            onChange={(e) => setLink(e.target.value === '' ? null : (e.target.value as DataLinkMode))}
            aria-describedby="restore-link-help"
          >
            <option value="">the project’s setting</option>
            {DATA_LINK_MODES.map((m) => (
              <option key={m} value={m}>
                {LINK_LABELS[m]}
              </option>
            ))}
          </select>
          <p id="restore-link-help" className="field-help">
            {link === 'hardlink' || link === 'symlink'
              ? 'Links take no space or copying, but the files are read-only (they are the cache objects); editors that save by replacing the file still work, and `benchtop data unlink PATH` turns them back into copies.'
              : link === 'reflink'
                ? 'A copy-on-write clone where the filesystem has them (Btrfs, XFS, APFS), otherwise a copy.'
                : 'Every file is checked against its hash, whatever the mode.'}
          </p>
          <label className="discard">
            <input
              type="checkbox"
              checked={verify}
              onChange={(e) => setVerify(e.target.checked)}
              aria-describedby="restore-verify-help"
            />{' '}
            Re-read every byte
          </label>
          <p id="restore-verify-help" className="field-help">
            A cache file unchanged since its bytes last matched their hash is copied without being read again. Tick this
            to hash everything anyway, for a disk you do not trust.
          </p>
        </div>
        <div className="row actions">
          <button type="button" ref={cancelRef} onClick={onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className={force ? 'danger solid' : 'primary'}
            onClick={() => onConfirm(force, link, verify)}
          >
            Restore
          </button>
        </div>
      </div>
    </div>
  );
}
