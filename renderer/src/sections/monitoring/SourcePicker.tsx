// Runs in: renderer. Chooses one side of a drift report: a file path typed in, a tracked dataset's
// version (data.tracked + data.log) given to the core as `path@commit`, or a table a run logged as an
// artifact (runs.search + runs.get) given as `run:RUN_ID/path`.
import { useId, useState } from 'react';
import { SelectField, TextField } from '../../components/TextField';
import { useCall } from '../../hooks/use-call';
import { tableArtifacts } from './drift-sources';

type Mode = 'file' | 'version' | 'artifact';

const MODE_LABELS: Record<Mode, string> = { file: 'File', version: 'Dataset version', artifact: 'Run artifact' };

function ArtifactChoice({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const [runs] = useCall('runs.search', { filter: '', sort: '-start_time', limit: 500, deleted: 'hide' });
  const [runId, setRunId] = useState('');
  const [run] = useCall('runs.get', { id: runId }, runId !== '');
  const list = runs.status === 'ready' ? runs.data.runs : [];
  const tables = runId && run.status === 'ready' && run.data.id === runId ? tableArtifacts(run.data.artifacts) : [];
  return (
    <div className="source-version">
      <SelectField label="Run" value={runId} onChange={(e) => (setRunId(e.target.value), onChange(''))}>
        <option value="">
          {runs.status === 'loading' ? 'Loading…' : list.length === 0 ? 'No runs' : 'Choose a run'}
        </option>
        {list.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name} ({r.experiment}, {(r.startTime ?? '').slice(0, 16).replace('T', ' ')})
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Table artifact"
        value={value}
        disabled={tables.length === 0}
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="">
          {runId === ''
            ? 'Choose a run first'
            : run.status === 'loading'
              ? 'Loading…'
              : tables.length === 0
                ? 'No CSV, TSV, JSONL or Parquet artifact'
                : 'Choose an artifact'}
        </option>
        {tables.map((p) => (
          <option key={p} value={`run:${runId}/${p}`}>
            {p}
          </option>
        ))}
      </SelectField>
    </div>
  );
}

function VersionChoice({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const [tracked] = useCall('data.tracked', {});
  const [dataset, setDataset] = useState('');
  const [log] = useCall('data.log', { path: dataset }, dataset !== '');
  const items = tracked.status === 'ready' ? tracked.data.items.filter((i) => i.problem === null) : [];
  const versions = dataset && log.status === 'ready' ? log.data.versions.filter((v) => v.pointer) : [];
  return (
    <div className="source-version">
      <SelectField label="Dataset" value={dataset} onChange={(e) => (setDataset(e.target.value), onChange(''))}>
        <option value="">
          {tracked.status === 'loading' ? 'Loading…' : items.length === 0 ? 'No tracked data' : 'Choose a dataset'}
        </option>
        {items.map((i) => (
          <option key={i.path} value={i.path}>
            {i.path}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Version"
        value={value}
        disabled={versions.length === 0}
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="">
          {dataset === ''
            ? 'Choose a dataset first'
            : log.status === 'loading'
              ? 'Loading…'
              : versions.length === 0
                ? 'No committed version'
                : 'Choose a version'}
        </option>
        {versions.map((v) => (
          <option key={v.commit} value={`${dataset}@${v.commit}`}>
            {v.commit.slice(0, 8)} {v.date.slice(0, 10)} {v.message.split('\n')[0]}
          </option>
        ))}
      </SelectField>
    </div>
  );
}

export function SourcePicker({
  legend,
  value,
  onChange,
}: {
  legend: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const idBase = useId();
  const [mode, setMode] = useState<Mode>('file');
  return (
    <fieldset className="source-picker">
      <legend>{legend}</legend>
      <div role="radiogroup" aria-label={`${legend}: kind`} className="toolbar">
        {(['file', 'version', 'artifact'] as const).map((m) => (
          <label key={m}>
            <input
              type="radio"
              name={`${idBase}-mode`}
              checked={mode === m}
              onChange={() => (setMode(m), onChange(''))}
            />
            {MODE_LABELS[m]}
          </label>
        ))}
      </div>
      {mode === 'file' ? (
        <TextField
          label={`${legend} file`}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          spellCheck={false}
          hint="A CSV, TSV, JSONL or Parquet file, relative to the project (data/reference.csv) or absolute; run:ID/path reads a run's artifact."
        />
      ) : mode === 'version' ? (
        <VersionChoice value={value} onChange={onChange} />
      ) : (
        <ArtifactChoice value={value} onChange={onChange} />
      )}
    </fieldset>
  );
}
