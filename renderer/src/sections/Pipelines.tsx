// Runs in: renderer. The stages of benchtop.yaml in run order, with what each reads and writes.
import type { PipelineStage } from '../../../shared/contract';
import { CallView } from '../components/CallView';
import { EmptyState } from '../components/EmptyState';
import { useCall } from '../hooks/use-call';

/** Stages in dependency order (a stage after the ones it needs); file order breaks ties. */
function ordered(stages: PipelineStage[]): PipelineStage[] {
  const done = new Set<string>();
  const out: PipelineStage[] = [];
  let progress = true;
  while (out.length < stages.length && progress) {
    progress = false;
    for (const s of stages) {
      if (!done.has(s.name) && s.after.every((a) => done.has(a))) {
        done.add(s.name);
        out.push(s);
        progress = true;
      }
    }
  }
  // A cycle leaves stages unplaced; show them anyway, the runner reports the cycle.
  return out.concat(stages.filter((s) => !done.has(s.name)));
}

function PathList({ label, items }: { label: string; items: string[] }) {
  if (items.length === 0) return null;
  return (
    <div className="path-list">
      <span className="muted">{label}</span>
      <ul>
        {items.map((i) => (
          <li key={i}>
            <code>{i}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Pipelines() {
  const [state, reload] = useCall('pipelines.get', {});
  return (
    <CallView state={state} reload={reload}>
      {(view) => {
        if (!view.exists) {
          return (
            <EmptyState title="No pipeline yet" command={'stages:\n  train:\n    cmd: python3 train.py\n    deps: [train.py, data/train.csv]\n    outs: [model.json]'}>
              <p>Describe your stages in <code>benchtop.yaml</code> at the project root: a command each, the files it reads and the files it writes.</p>
            </EmptyState>
          );
        }
        if (view.problem) {
          const p = view.problem;
          return (
            <div className="problem" role="alert">
              <h2>{view.file} has a problem</h2>
              <p>
                <code>
                  {p.file}
                  {p.line ? `:${p.line}` : ''}
                  {p.column ? `:${p.column}` : ''}
                </code>{' '}
                {p.message}
              </p>
              <p className="hint">{p.hint}</p>
              <button type="button" onClick={reload}>
                Check again
              </button>
            </div>
          );
        }
        return (
          <ol className="stages" aria-label="Stages">
            {ordered(view.stages).map((s) => (
              <li key={s.name} className="stage-card">
                <header>
                  <h3>{s.name}</h3>
                  {s.after.length ? <span className="muted">after {s.after.join(', ')}</span> : <span className="muted">first stage</span>}
                </header>
                <pre className="command">
                  <code>{s.cmd.join('\n')}</code>
                </pre>
                <div className="stage-io">
                  <PathList label="reads" items={s.deps} />
                  <PathList label="params" items={s.params} />
                  <PathList label="writes" items={s.outs} />
                  <PathList label="metrics" items={s.metrics} />
                </div>
              </li>
            ))}
          </ol>
        );
      }}
    </CallView>
  );
}
