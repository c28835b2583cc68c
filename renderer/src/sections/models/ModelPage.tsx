// Runs in: renderer. One registered model: its aliases (set, move, remove), its versions (archived
// ones on demand) with archive/restore/delete after confirmation, versions picked for comparison,
// and the alias audit log. Reloads when the registry changes.
import { useState } from 'react';
import type { ModelDetail, ModelVersionSummary } from '../../../../shared/contract';
import { api } from '../../api/client';
import { CallView } from '../../components/CallView';
import { formatDate, plural } from '../../components/format';
import { useCall } from '../../hooks/use-call';
import { toastError, useApp } from '../../store/app-store';
import { AliasDialog } from './AliasDialog';
import { AliasLog } from './AliasLog';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useModelsChanged } from './use-models-changed';
import type { VersionAction } from './VersionMenu';
import { VersionsTable } from './VersionsTable';

type Pending =
  | { kind: 'alias'; version?: number }
  | { kind: Exclude<VersionAction, 'alias'>; version: ModelVersionSummary }
  | { kind: 'unalias'; alias: string; version: number };

const CONFIRM: Record<
  'archive' | 'restore' | 'delete',
  { title: (v: number) => string; message: string; label: string; danger: boolean }
> = {
  archive: {
    title: (v) => `Archive v${v}?`,
    message:
      'The version is hidden from the list (tick “Show archived” to see it) and keeps its artifact, card and lineage. An alias must be moved off it first.',
    label: 'Archive',
    danger: false,
  },
  restore: {
    title: (v) => `Restore v${v}?`,
    message: 'The version is listed again and can take aliases.',
    label: 'Restore',
    danger: false,
  },
  delete: {
    title: (v) => `Delete v${v}?`,
    message:
      'The version record is deleted for good; its artifact stays in the cache until `benchtop data gc`. A version an alias points to cannot be deleted.',
    label: 'Delete',
    danger: true,
  },
};

function ModelView({ model, onChanged }: { model: ModelDetail; onChanged: () => void }) {
  const openCompare = useApp((s) => s.openModelCompare);
  const [showArchived, setShowArchived] = useState(false);
  const [picked, setPicked] = useState<number[]>([]);
  const [pending, setPending] = useState<Pending | null>(null);
  const archived = model.versions.filter((v) => v.archived).length;
  const shown = showArchived ? model.versions : model.versions.filter((v) => !v.archived);
  const pickedShown = picked.filter((n) => shown.some((v) => v.version === n));
  const close = () => setPending(null);

  const act = async (kind: 'archive' | 'restore' | 'delete', v: ModelVersionSummary) => {
    try {
      if (kind === 'archive') await api.call('models.archive', { name: model.name, version: v.version });
      if (kind === 'restore') await api.call('models.restore', { name: model.name, version: v.version });
      if (kind === 'delete') await api.call('models.delete', { name: model.name, version: v.version });
      useApp.getState().toast({
        kind: 'info',
        title: 'Done',
        message: `${model.name} v${v.version} ${kind === 'delete' ? 'deleted' : kind === 'archive' ? 'archived' : 'restored'}.`,
      });
      setPicked((p) => p.filter((n) => n !== v.version));
      onChanged();
    } catch (err) {
      toastError(`Could not ${kind} v${v.version}`, err);
    } finally {
      close();
    }
  };

  const unalias = async (alias: string, reason: string) => {
    try {
      await api.call('models.removeAlias', { name: model.name, alias, reason });
      onChanged();
    } catch (err) {
      toastError(`Could not remove ${alias}`, err);
    } finally {
      close();
    }
  };

  return (
    <>
      <header className="run-header">
        <h2 id="model-title">{model.name}</h2>
        <span className="muted">
          {plural(model.versions.length, 'version')} · created {formatDate(model.createdAt)} · updated{' '}
          {formatDate(model.updatedAt)}
        </span>
      </header>
      {model.description ? <p>{model.description}</p> : null}

      <section className="models-panel" aria-labelledby="aliases-title">
        <div className="models-panel-head">
          <h3 id="aliases-title">Aliases</h3>
          <button
            type="button"
            className="primary"
            onClick={() => setPending({ kind: 'alias' })}
            disabled={model.versions.every((v) => v.archived)}
          >
            Set alias…
          </button>
        </div>
        {model.aliases.length ? (
          <ul className="alias-list" aria-label="Model aliases">
            {model.aliases.map((a) => (
              <li key={a.alias}>
                <span className={`alias-chip alias-${a.alias}`}>{a.alias}</span>
                <span aria-hidden="true">→</span>
                <button
                  type="button"
                  className="link"
                  onClick={() => useApp.getState().openModelVersion(model.name, a.version)}
                >
                  v{a.version}
                </button>
                <code className="muted">
                  {model.name}@{a.alias}
                </code>
                <button
                  type="button"
                  className="small"
                  onClick={() => setPending({ kind: 'unalias', alias: a.alias, version: a.version })}
                  aria-label={`Remove alias ${a.alias}`}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">
            No aliases. Point one such as champion at a version so pipelines and the CLI can name it as {model.name}
            @champion.
          </p>
        )}
      </section>

      <section className="models-panel" aria-labelledby="versions-title">
        <div className="models-panel-head">
          <h3 id="versions-title">Versions</h3>
          <label className="inline-check">
            <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} /> Show
            archived ({archived})
          </label>
          <span className="spacer" />
          <button type="button" onClick={() => openCompare(model.name, pickedShown)} disabled={pickedShown.length < 2}>
            Compare {pickedShown.length >= 2 ? `${pickedShown.length} versions` : 'versions'}
          </button>
        </div>
        {pickedShown.length < 2 ? (
          <p className="muted field-help">Tick two or more versions to compare their params and metrics.</p>
        ) : null}
        {shown.length ? (
          <VersionsTable
            name={model.name}
            versions={shown}
            picked={pickedShown}
            onPick={setPicked}
            onAction={(action, v) =>
              setPending(action === 'alias' ? { kind: 'alias', version: v.version } : { kind: action, version: v })
            }
          />
        ) : (
          <p className="muted">Every version is archived; tick “Show archived” to see them.</p>
        )}
      </section>

      <section className="models-panel" aria-labelledby="log-title">
        <h3 id="log-title">Alias audit log</h3>
        <AliasLog entries={model.aliasLog} />
      </section>

      {pending?.kind === 'alias' ? (
        <AliasDialog
          model={model}
          {...(pending.version !== undefined ? { version: pending.version } : {})}
          onClose={close}
          onDone={() => {
            close();
            onChanged();
          }}
        />
      ) : null}
      {pending?.kind === 'unalias' ? (
        <ConfirmDialog
          title={`Remove alias ${pending.alias}?`}
          message={`${model.name}@${pending.alias} stops naming v${pending.version}; whatever uses it (a pipeline, a script) will no longer resolve it.`}
          confirmLabel="Remove alias"
          danger
          withReason
          onCancel={close}
          onConfirm={(reason) => unalias(pending.alias, reason)}
        />
      ) : null}
      {pending && (pending.kind === 'archive' || pending.kind === 'restore' || pending.kind === 'delete') ? (
        <ConfirmDialog
          title={CONFIRM[pending.kind].title(pending.version.version)}
          message={CONFIRM[pending.kind].message}
          confirmLabel={CONFIRM[pending.kind].label}
          danger={CONFIRM[pending.kind].danger}
          onCancel={close}
          onConfirm={() => act(pending.kind as 'archive' | 'restore' | 'delete', pending.version)}
        />
      ) : null}
    </>
  );
}

export function ModelPage({ name }: { name: string }) {
  const showModels = useApp((s) => s.showModels);
  const [state, reload] = useCall('models.get', { name });
  useModelsChanged(reload, name);
  return (
    <article className="model-page" aria-labelledby="model-title">
      <nav className="crumbs" aria-label="Breadcrumbs">
        <button type="button" className="link" onClick={showModels}>
          ← All models
        </button>
      </nav>
      <CallView state={state} reload={reload}>
        {(model) => <ModelView model={model} onChanged={reload} />}
      </CallView>
    </article>
  );
}
