// Runs in: renderer. Adds a monitor (monitors.add): a name, the model it watches (optional), the
// reference (any drift source), its batches (a folder or a list of files), the target and prediction
// columns, and alert rules one per line. The core checks everything it names; its refusal is shown
// beside the field it names, and nothing is added.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { MonitorAddInput } from '../../../../shared/contract';
import { BenchtopError } from '../../../../shared/contract';
import { api } from '../../api/client';
import { useApp } from '../../store/app-store';
import { Dialog } from '../../components/Dialog';
import { TextAreaField, TextField } from '../../components/TextField';
import '../models/models.css';
import { SourcePicker } from './SourcePicker';

type Problem = { message: string; hint?: string; field?: string };

/** Which form field a core error names: `rules.2` is the rules box, `files.0` the file list. */
function fieldGroup(field: string | undefined): string {
  const head = (field ?? '').split('.')[0]!;
  return ['name', 'model', 'reference', 'folder', 'files', 'rules', 'target', 'prediction'].includes(head)
    ? head
    : 'form';
}

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export function AddMonitorDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [model, setModel] = useState('');
  const [reference, setReference] = useState('');
  const [batchKind, setBatchKind] = useState<'folder' | 'files'>('folder');
  const [folder, setFolder] = useState('');
  const [files, setFiles] = useState('');
  const [target, setTarget] = useState('');
  const [prediction, setPrediction] = useState('');
  const [rules, setRules] = useState('');
  const [retrain, setRetrain] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const ids = { help: useId(), batches: useId(), error: useId() };
  const at = problem ? fieldGroup(problem.field) : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const input: MonitorAddInput = { name: name.trim(), reference: reference.trim(), rules: lines(rules), retrain };
    if (model.trim()) input.model = model.trim();
    if (batchKind === 'folder') input.folder = folder.trim();
    else input.files = lines(files);
    if (target.trim()) input.target = target.trim();
    if (prediction.trim()) input.prediction = prediction.trim();
    setBusy(true);
    setProblem(null);
    try {
      const added = await api.call('monitors.add', input);
      useApp.getState().toast({
        kind: 'info',
        title: 'Monitor added',
        message: `${added.name} watches ${added.config.folder ? `the batches in ${added.config.folder}` : `${added.config.files.length} batch files`}: press Check now to read them.`,
      });
      onClose();
      useApp.getState().openMonitor(added.name);
    } catch (err) {
      setBusy(false);
      const b = err instanceof BenchtopError ? err : null;
      setProblem({
        message: b ? b.message : String(err),
        ...(b?.hint ? { hint: b.hint } : {}),
        ...(b?.field ? { field: b.field } : {}),
      });
    }
  };

  /** The core's refusal, under the field it is about. */
  const errorFor = (group: string): ReactNode =>
    at === group && problem ? (
      <div className="form-error" role="alert" id={ids.error}>
        <p>{problem.message}</p>
        {problem.hint ? <p className="hint">{problem.hint}</p> : null}
      </div>
    ) : null;
  const invalid = (group: string) =>
    at === group ? { 'aria-invalid': true as const, 'aria-errormessage': ids.error } : {};

  return (
    <Dialog title="Add a monitor" describedBy={ids.help} onCancel={onClose} className="add-monitor-dialog">
      <form className="models-form" onSubmit={(e) => void submit(e)}>
        <p id={ids.help} className="muted">
          Each batch (a CSV, TSV, JSONL or Parquet file) is compared with the reference when the monitor is checked; a
          rule that holds raises an alert.
        </p>
        <TextField
          label="Monitor name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={100}
          autoComplete="off"
          spellCheck={false}
          {...invalid('name')}
        />
        {errorFor('name')}
        <TextField
          label="Model (optional)"
          value={model}
          onChange={(e) => setModel(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          hint="A registered model as NAME@ALIAS or NAME/VERSION."
          {...invalid('model')}
        />
        {errorFor('model')}
        <SourcePicker legend="Reference" value={reference} onChange={setReference} />
        {errorFor('reference')}
        <fieldset className="source-picker" aria-describedby={ids.batches}>
          <legend>Batches</legend>
          <div role="radiogroup" aria-label="Batches: kind" className="toolbar">
            <label>
              <input
                type="radio"
                name={`${ids.batches}-kind`}
                checked={batchKind === 'folder'}
                onChange={() => setBatchKind('folder')}
              />
              Folder
            </label>
            <label>
              <input
                type="radio"
                name={`${ids.batches}-kind`}
                checked={batchKind === 'files'}
                onChange={() => setBatchKind('files')}
              />
              List of files
            </label>
          </div>
          {batchKind === 'folder' ? (
            <TextField
              label="Batch folder"
              value={folder}
              onChange={(e) => setFolder(e.target.value)}
              spellCheck={false}
              aria-describedby={ids.batches}
              {...invalid('folder')}
            />
          ) : (
            <TextAreaField
              label="Batch files, one per line"
              value={files}
              onChange={(e) => setFiles(e.target.value)}
              rows={3}
              spellCheck={false}
              aria-describedby={ids.batches}
              {...invalid('files')}
            />
          )}
          <p id={ids.batches} className="muted field-help">
            Paths relative to the project. Every table file in the folder is a batch, in name order.
          </p>
        </fieldset>
        {errorFor('folder')}
        {errorFor('files')}
        <div className="form-pair">
          <TextField
            label="Target column (optional)"
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            spellCheck={false}
            {...invalid('target')}
          />
          <TextField
            label="Prediction column (optional)"
            value={prediction}
            onChange={(e) => setPrediction(e.target.value)}
            spellCheck={false}
            {...invalid('prediction')}
          />
        </div>
        {errorFor('target')}
        {errorFor('prediction')}
        <TextAreaField
          label="Alert rules, one per line"
          value={rules}
          onChange={(e) => setRules(e.target.value)}
          rows={3}
          spellCheck={false}
          hint={
            <>
              For example <code>drift_share &gt;= 0.5 for 2 retrain</code>, <code>accuracy &lt; 0.85</code>,{' '}
              <code>column:income drifted</code>. With none, batches are checked and charted but raise no alert.
            </>
          }
          {...invalid('rules')}
        />
        {errorFor('rules')}
        <label className="checkbox">
          <input type="checkbox" checked={retrain} onChange={(e) => setRetrain(e.target.checked)} />
          Start the pipeline (retrain) on every alert
        </label>
        {errorFor('form')}
        <div className="row actions">
          <button type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || name.trim() === '' || reference.trim() === ''}>
            {busy ? 'Adding…' : 'Add monitor'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
