// Runs in: renderer. The Data view: tracked datasets with their versions, status and diffs, the
// files under data/ (track them, preview a CSV with per-column charts), commit and restore.
import { useEffect, useState } from 'react';
import type { DataLinkMode, DataStatusRow, DataVersion } from '../../../shared/contract';
import { api } from '../api/client';
import { CallView } from '../components/CallView';
import { EmptyState } from '../components/EmptyState';
import { formatBytes, plural } from '../components/format';
import { ProgressBar } from '../components/ProgressBar';
import { useCall } from '../hooks/use-call';
import { toastError, useApp } from '../store/app-store';
import { progressPercent, shortHash } from './data/data-format';
import { DiffView } from './data/DiffView';
import { FilesPanel } from './data/FilesPanel';
import { Preview } from './data/Preview';
import { RemotesPanel, type TransferOp } from './data/RemotesPanel';
import { RestoreDialog } from './data/RestoreDialog';
import { Timeline } from './data/Timeline';
import { TrackDialog } from './data/TrackDialog';
import { TrackedPanel } from './data/TrackedPanel';
import { useDataProgress, type DataProgress } from './data/use-data-progress';
import './data/data.css';

type Op = { op: 'add' | 'checkout' | 'push' | 'pull'; label: string };

function OpProgress({ op, progress }: { op: Op; progress: DataProgress | null }) {
  const percent = progress ? progressPercent(progress.done, progress.total) : null;
  return (
    <div className="op-progress">
      <ProgressBar
        label={op.label}
        percent={percent}
        detail={
          progress
            ? `${progress.path} · ${progress.done.toLocaleString()} / ${progress.total.toLocaleString()}`
            : 'starting…'
        }
      />
    </div>
  );
}

function TrackedSection({
  items,
  files,
  reloadAll,
  epoch,
}: {
  items: DataStatusRow[];
  files: Parameters<typeof FilesPanel>[0]['files'];
  reloadAll: () => void;
  epoch: number;
}) {
  // A lineage link (a model version's data) opens the Data view on that dataset.
  const [dataset, setDataset] = useState<string | null>(() => useApp.getState().dataFocus);
  useEffect(() => void useApp.getState().takeDataFocus(), []);
  const [picked, setPicked] = useState<string[]>([]);
  const [restoring, setRestoring] = useState<DataVersion | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [op, setOp] = useState<Op | null>(null);
  // Subscribed for as long as the view shows, so an operation's first events are not missed.
  const progress = useDataProgress(op !== null);
  const row = items.find((r) => r.path === dataset) ?? null;
  const [previewState, reloadPreview] = useCall(
    'data.preview',
    { path: preview ?? 'none', limit: 20 },
    preview !== null,
  );

  const run = async (next: Op, work: () => Promise<string>, failure: string) => {
    setOp(next);
    try {
      const message = await work();
      useApp.getState().toast({ kind: 'info', title: 'Done', message });
      reloadAll();
    } catch (err) {
      // The core changes nothing when it refuses, so the view stays as it is.
      toastError(failure, err);
    } finally {
      setOp(null);
    }
  };

  const track = (paths: string[]) =>
    void run(
      { op: 'add', label: `Tracking ${plural(paths.length, 'item')}` },
      async () => {
        const r = await api.call('data.add', { paths });
        const changed = r.results.filter((x) => x.status !== 'unchanged').length;
        return `${plural(changed, 'pointer')} written (${r.results.map((x) => x.pointer).join(', ')}); commit them to record the version.`;
      },
      'Could not track the data',
    );

  const restore = (version: DataVersion, force: boolean, link: DataLinkMode | null, verify: boolean) => {
    setRestoring(null);
    void run(
      { op: 'checkout', label: `Restoring ${row?.path ?? ''} to ${shortHash(version.commit)}` },
      async () => {
        const r = await api.call('data.checkout', {
          rev: version.commit,
          paths: [row!.path],
          force,
          verify,
          ...(link ? { link } : {}),
        });
        const linked = r.placed.hardlink + r.placed.symlink;
        const how = linked > 0 ? ` ${plural(linked, 'file')} linked read-only to the cache.` : '';
        const checked =
          r.hashed > 0
            ? ` ${plural(r.hashed, 'object')} hashed${r.trusted ? `, ${r.trusted} unchanged since last verified` : ''}.`
            : '';
        return r.restored.length > 0
          ? `Restored ${r.restored.map((x) => x.path).join(', ')} to ${shortHash(r.commit)}.${how}${checked}`
          : `${row!.path} already matched ${shortHash(r.commit)}.`;
      },
      'Could not restore the version',
    );
  };

  const transfer = (kind: TransferOp, remote: string) =>
    void run(
      { op: kind, label: kind === 'push' ? `Pushing to ${remote}` : `Pulling from ${remote}` },
      async () => {
        if (kind === 'push') {
          const r = await api.call('data.push', { remote });
          return `${plural(r.transferred, 'object')} sent (${formatBytes(r.bytes)}), ${r.present} already there.`;
        }
        const r = await api.call('data.pull', { remote });
        const restored = r.checkout?.restored.map((x) => x.path) ?? [];
        return `${plural(r.transferred, 'object')} fetched (${formatBytes(r.bytes)}), ${r.present} already there; ${restored.length ? `restored ${restored.join(', ')}` : 'the data was already current'}.`;
      },
      kind === 'push' ? 'Could not push the data' : 'Could not pull the data',
    );

  // The timeline hands over the ticked pair older first.
  const pair = picked.length === 2 ? (picked as [string, string]) : null;

  return (
    <div className="data-view">
      {op ? <OpProgress op={op} progress={progress} /> : null}
      <TrackedPanel
        items={items}
        selected={dataset}
        epoch={epoch}
        onSelect={(p) => {
          setDataset(p === dataset ? null : p);
          setPicked([]);
        }}
        onChanged={reloadAll}
      />
      {row ? (
        <Timeline
          key={`${row.path}:${epoch}`}
          row={row}
          picked={picked}
          onPick={setPicked}
          onRestore={setRestoring}
          busy={op !== null}
        />
      ) : null}
      {row && pair ? (
        <DiffView key={`${pair.join('..')}:${epoch}`} path={row.path} from={pair[0]} to={pair[1]} />
      ) : null}
      <RemotesPanel epoch={epoch} busy={op !== null} onTransfer={transfer} />
      <FilesPanel
        files={files}
        tracked={items}
        selected={preview}
        onPreview={setPreview}
        onTrack={track}
        busy={op !== null}
      />
      {preview ? (
        <CallView state={previewState} reload={reloadPreview}>
          {(p) => <Preview preview={p} />}
        </CallView>
      ) : (
        <p className="muted">Choose a file to see its columns and first rows.</p>
      )}
      {restoring && row ? (
        <RestoreDialog
          row={row}
          version={restoring}
          onCancel={() => setRestoring(null)}
          onConfirm={(force, link, verify) => restore(restoring, force, link, verify)}
        />
      ) : null}
    </div>
  );
}

export function Data() {
  const [list, reloadList] = useCall('data.list', {});
  const [tracked, reloadTracked] = useCall('data.tracked', {});
  const [epoch, setEpoch] = useState(0);
  const [tracking, setTracking] = useState(false);
  const reloadAll = () => {
    reloadList();
    reloadTracked();
    setEpoch((e) => e + 1);
  };
  return (
    <CallView state={list} reload={reloadList}>
      {(data) => (
        <CallView state={tracked} reload={reloadTracked}>
          {(t) =>
            data.files.length === 0 && t.items.length === 0 ? (
              <EmptyState
                title="No data files yet"
                command="cp ~/Downloads/train.csv data/"
                action={{ label: 'Track a file', onClick: () => setTracking(true) }}
                dialog={tracking ? <TrackDialog onClose={() => setTracking(false)} onTracked={reloadAll} /> : null}
              >
                <p>
                  Put the datasets of this project in its <code>data/</code> folder. CSV files get row counts, column
                  summaries and a preview here; track them to version them.
                </p>
              </EmptyState>
            ) : (
              <TrackedSection items={t.items} files={data.files} reloadAll={reloadAll} epoch={epoch} />
            )
          }
        </CallView>
      )}
    </CallView>
  );
}
