// Runs in: renderer. Data remotes (a folder on a disk, NAS or USB drive, or an S3-compatible
// bucket): send the tracked data's objects there, or fetch them back and check them out, with the
// progress of each transfer.
import type { DataRemote } from '../../../../shared/contract';
import { CallView } from '../../components/CallView';
import { Table, type Column } from '../../components/Table';
import { useCall } from '../../hooks/use-call';

export type TransferOp = 'push' | 'pull';

export function RemotesPanel({
  epoch,
  busy,
  onTransfer,
}: {
  epoch: number;
  busy: boolean;
  onTransfer: (op: TransferOp, remote: string) => void;
}) {
  const [state, reload] = useCall('data.remotes', {});
  const columns: Column<DataRemote>[] = [
    { header: 'Remote', cell: (r) => <strong>{r.name}</strong> },
    { header: 'Kind', cell: (r) => (r.kind === 's3' ? 'S3' : 'folder') },
    {
      header: 'Location',
      cell: (r) => (
        <>
          <code title={r.path}>{r.url}</code>
          {r.kind === 's3' && s3Details(r) ? <span className="muted"> {s3Details(r)}</span> : null}
        </>
      ),
    },
    { header: '', cell: (r) => (r.isDefault ? <span className="badge">default</span> : null) },
    {
      header: 'Reachable',
      // A bucket is reached only when used: credentials and network are checked by push and pull.
      cell: (r) =>
        r.kind === 's3' ? (
          <span className="muted">checked on use</span>
        ) : r.exists ? (
          'yes'
        ) : (
          <span className="status-error">not found (unplugged?)</span>
        ),
    },
    {
      header: '',
      cell: (r) => (
        <span className="data-remote-actions">
          <button
            type="button"
            disabled={busy || !r.exists}
            onClick={() => onTransfer('push', r.name)}
            aria-label={`Push to ${r.name}`}
          >
            Push
          </button>
          <button
            type="button"
            disabled={busy || !r.exists}
            onClick={() => onTransfer('pull', r.name)}
            aria-label={`Pull from ${r.name}`}
          >
            Pull
          </button>
        </span>
      ),
    },
  ];
  return (
    <section className="data-panel" aria-label="Data remotes" data-epoch={epoch}>
      <header className="data-panel-head">
        <h2>Remotes</h2>
        <span className="muted">
          Push sends only what the remote lacks; pull fetches what the cache lacks, then restores the current versions.
        </span>
      </header>
      <CallView state={state} reload={reload}>
        {(data) =>
          data.remotes.length === 0 ? (
            <p className="muted">
              No remote yet. Add a folder on another disk with{' '}
              <code>benchtop data remote add backup /media/usb/benchtop</code>, or a bucket with{' '}
              <code>benchtop data remote add cloud s3://BUCKET/PREFIX</code>.
            </p>
          ) : (
            <Table label="Remotes" columns={columns} rows={data.remotes} rowKey={(r) => r.name} />
          )
        }
      </CallView>
    </section>
  );
}

/** Endpoint, profile and region of an S3 remote, as one muted line. */
function s3Details(r: DataRemote): string {
  return [r.endpoint && `endpoint ${r.endpoint}`, r.profile && `profile ${r.profile}`, r.region && `region ${r.region}`]
    .filter(Boolean)
    .join(' · ');
}
