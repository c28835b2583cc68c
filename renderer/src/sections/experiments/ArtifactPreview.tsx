// Runs in: renderer. A look inside one artifact (runs.artifactPreview): text and JSON as text,
// CSV as a table, images from a data URL; never interpreted as markup.
import type { ArtifactPreview as Preview } from '../../../../shared/contract';
import { CallView } from '../../components/CallView';
import { formatBytes } from '../../components/format';
import { useCall } from '../../hooks/use-call';

function Body({ preview, path }: { preview: Preview; path: string }) {
  switch (preview.kind) {
    case 'text':
    case 'json':
      return <pre className="artifact-text">{preview.text}</pre>;
    case 'csv':
      return (
        <div className="table-scroll">
          <table className="grid compact" aria-label={`Rows of ${path}`}>
            <thead>
              <tr>
                {preview.columns.map((c, i) => (
                  <th key={i}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((r, i) => (
                <tr key={i}>
                  {r.map((c, j) => (
                    <td key={j}>{c}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case 'image':
      return <img className="artifact-image" src={preview.dataUrl} alt={path} />;
    case 'none':
      return <p className="muted">{preview.reason}</p>;
  }
}

export function ArtifactPreview({ runId, path, onClose }: { runId: string; path: string; onClose: () => void }) {
  const [state, reload] = useCall('runs.artifactPreview', { runId, path });
  return (
    <section className="artifact-preview" aria-label={`Preview of ${path}`}>
      <header className="row">
        <strong className="grow">{path}</strong>
        <button type="button" onClick={onClose}>
          Close preview
        </button>
      </header>
      <CallView state={state} reload={reload}>
        {(p) => (
          <>
            {p.note ? <p className="muted">{p.note}</p> : null}
            {'truncated' in p && p.truncated ? (
              <p className="muted">Only the beginning of this {formatBytes(p.size)} file is shown.</p>
            ) : null}
            <Body preview={p} path={path} />
          </>
        )}
      </CallView>
    </section>
  );
}
