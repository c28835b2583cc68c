// Runs in: renderer. The logs of a run's stages (a pipeline's, or the one of `benchtop exec`), one
// stage at a time (pipelines.log).
import { useMemo, useState } from 'react';
import type { RunDetail } from '../../../../shared/contract';
import { CallView } from '../../components/CallView';
import { useCall } from '../../hooks/use-call';
import { LogView } from '../pipelines/LogView';

function StageLog({ runId, stage }: { runId: string; stage: string }) {
  const [state, reload] = useCall('pipelines.log', { runId, stage });
  return (
    <CallView state={state} reload={reload}>
      {(log) => <LogText text={log.text} truncated={log.truncated} stage={stage} />}
    </CallView>
  );
}

function LogText({ text, truncated, stage }: { text: string; truncated: boolean; stage: string }) {
  const lines = useMemo(
    () =>
      text
        .split('\n')
        .filter((l, i, all) => l !== '' || i < all.length - 1)
        .map((line) => ({ stream: 'stdout' as const, line })),
    [text],
  );
  return (
    <>
      {truncated ? <p className="muted">Only the last 1 MiB of the log is shown.</p> : null}
      {lines.length ? (
        <LogView lines={lines} label={`Log of ${stage}`} />
      ) : (
        <p className="muted">This stage printed nothing.</p>
      )}
    </>
  );
}

export function StageLogs({ run }: { run: RunDetail }) {
  const [stage, setStage] = useState(run.stages[0]?.name ?? '');
  return (
    <div>
      <div className="stage-tabs" role="tablist" aria-label="Stage logs">
        {run.stages.map((s) => (
          <button
            key={s.name}
            type="button"
            role="tab"
            className={`chip status-${s.status}`}
            aria-selected={s.name === stage}
            onClick={() => setStage(s.name)}
          >
            {s.name}
          </button>
        ))}
      </div>
      {stage ? <StageLog runId={run.id} stage={stage} /> : null}
    </div>
  );
}
