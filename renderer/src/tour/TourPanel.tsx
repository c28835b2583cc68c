// Runs in: renderer. The guided tour's panel, docked beside the section (it covers nothing): the
// steps of the loop with their progress derived from the project, the current step's explanation,
// its buttons, where it lives on disk and what to look for; and resetting the demo.
import { useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { toastError, useApp } from '../store/app-store';
import { STEP_IDS, stepsDone, tourFacts } from './progress';
import { STEPS, type StepContext, type TourAction } from './steps';
import { useTour } from './tour-store';
import './tour.css';

/** Events after which the project may have moved on a step. */
const WATCHED = new Set([
  'run.status',
  'sweep.changed',
  'models.changed',
  'deployments.changed',
  'deployments.requests',
  'monitors.alert',
  'data.progress',
]);

/** Loads the tour's place for each project and keeps its snapshot fresh (mounted once, open or not). */
export function useTourSync(): void {
  const project = useApp((s) => s.project);
  // The epoch, not only the path: a reset demo is a new project at the same path.
  const epoch = useApp((s) => s.projectEpoch);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `epoch` changes when the demo is reset at the same path: the tour must reload then.
  useEffect(() => {
    // The tour walks the demo's own data, model and monitor: other projects have none to read.
    if (!project?.isDemo) return;
    void useTour
      .getState()
      .load(project.path, project.isDemo)
      .catch((err: unknown) => toastError('The tour could not load', err));
  }, [project?.path, project?.isDemo, epoch]);
  useEffect(() => {
    let soon: ReturnType<typeof setTimeout> | null = null;
    let later: ReturnType<typeof setTimeout> | null = null;
    const off = api.subscribe((event) => {
      if (!WATCHED.has(event.name) || !useTour.getState().open || useApp.getState().project?.isDemo !== true) return;
      if (soon) clearTimeout(soon);
      if (later) clearTimeout(later);
      // Soon after a burst of events, and once more a little later: an event can announce a change
      // just before the project records it (a sweep's last status, say).
      soon = setTimeout(() => void useTour.getState().refresh(), 250);
      later = setTimeout(() => void useTour.getState().refresh(), 2000);
    });
    return () => {
      off();
      if (soon) clearTimeout(soon);
      if (later) clearTimeout(later);
    };
  }, []);
}

export function TourButton() {
  const project = useApp((s) => s.project);
  const open = useTour((s) => s.open);
  const setOpen = useTour((s) => s.setOpen);
  // The tour walks through the demo's own data, model and monitor: it belongs to the demo project.
  if (!project?.isDemo) return null;
  return (
    <button
      type="button"
      className={open ? 'tour-button active' : 'tour-button'}
      aria-pressed={open}
      onClick={() => setOpen(!open)}
      title="The guided tour of the ML loop"
    >
      <span aria-hidden="true">➜</span> Tour
    </button>
  );
}

function ActionButton({
  action,
  ctx,
  busy,
  setBusy,
}: {
  action: TourAction;
  ctx: StepContext;
  busy: boolean;
  setBusy: (b: boolean) => void;
}) {
  const why = action.unavailable?.(ctx) ?? null;
  const run = () => {
    setBusy(true);
    action
      .run(ctx)
      .then(() => useTour.getState().refresh())
      .catch((err: unknown) => toastError(`${action.label} did not work`, err))
      .finally(() => setBusy(false));
  };
  return (
    <button
      type="button"
      className={action.primary ? 'primary' : undefined}
      disabled={busy || why !== null}
      title={why ?? undefined}
      onClick={run}
    >
      {action.label}
    </button>
  );
}

export function TourPanel() {
  const project = useApp((s) => s.project);
  const { open, step, snapshot, setOpen, setStep } = useTour();
  const [busy, setBusy] = useState(false);
  const [confirmReset, setConfirmReset] = useState(false);
  const facts = useMemo(() => tourFacts(snapshot), [snapshot]);
  const done = useMemo(() => stepsDone(facts), [facts]);
  if (!open || !project?.isDemo) return null;
  const current = STEPS[step]!;
  const ctx: StepContext = { facts, snapshot };
  const doneCount = STEP_IDS.filter((id) => done[id]).length;

  const reset = async () => {
    try {
      const r = await api.call('demo.reset', {});
      useApp.getState().toast({
        kind: 'info',
        title: 'The demo was reset',
        message: `A fresh demo is open at ${r.project.path}. Your previous demo folder is kept, whole, at ${r.backup}.`,
      });
    } catch (err) {
      toastError('The demo was not reset', err);
    } finally {
      setConfirmReset(false);
    }
  };

  return (
    <aside className="tour" aria-labelledby="tour-title">
      <header className="tour-head">
        <h2 id="tour-title">Guided tour</h2>
        <span className="muted" aria-label="Progress">
          {doneCount} of {STEPS.length} done
        </span>
        <button
          type="button"
          className="tour-close"
          aria-label="Close the tour"
          title="Close the tour (it resumes where you left it)"
          onClick={() => setOpen(false)}
        >
          ✕
        </button>
      </header>
      <ol className="tour-steps" aria-label="Tour steps">
        {STEPS.map((s, i) => (
          <li key={s.id}>
            <button
              type="button"
              className={`tour-step${i === step ? ' current' : ''}${done[s.id] ? ' done' : ''}`}
              aria-current={i === step ? 'step' : undefined}
              aria-label={`${i + 1}. ${s.title}${done[s.id] ? ' (done)' : ''}`}
              title={`${i + 1}. ${s.title}${done[s.id] ? ' (done)' : ''}`}
              onClick={() => setStep(i)}
            >
              <span className="tour-dot" aria-hidden="true">
                {done[s.id] ? '✓' : i + 1}
              </span>
            </button>
          </li>
        ))}
      </ol>
      <section className="tour-card" aria-labelledby="tour-step-title" aria-busy={busy} data-step={current.id}>
        <h3 id="tour-step-title">
          {step + 1}. {current.title}
        </h3>
        <p>{current.concept}</p>
        <div className="tour-actions">
          {current.actions.map((a) => (
            <ActionButton key={a.label} action={a} ctx={ctx} busy={busy} setBusy={setBusy} />
          ))}
        </div>
        <h4>On disk</h4>
        <ul className="tour-disk">
          {current.onDisk.map((d) => (
            <li key={d.path}>
              <code>{d.path}</code> <span className="muted">{d.what}</span>
            </li>
          ))}
        </ul>
        <h4>What you should see</h4>
        <p>{current.expect}</p>
        <p className={done[current.id] ? 'tour-outcome done' : 'tour-outcome'} aria-label="Step outcome">
          <span aria-hidden="true">{done[current.id] ? '✓ ' : '… '}</span>
          {done[current.id] ? 'Done: ' : 'Not yet: '}
          {current.outcome(ctx)}
        </p>
      </section>
      <footer className="tour-foot">
        <button type="button" onClick={() => setStep(step - 1)} disabled={step === 0}>
          ← Back
        </button>
        <button
          type="button"
          className={done[current.id] ? 'primary' : undefined}
          onClick={() => setStep(step + 1)}
          disabled={step === STEPS.length - 1}
        >
          Next →
        </button>
        <span className="spacer" />
        {project.isDemo ? (
          <button type="button" className="danger" onClick={() => setConfirmReset(true)}>
            Reset the demo…
          </button>
        ) : null}
      </footer>
      {confirmReset ? (
        <ConfirmDialog
          title="Reset the demo?"
          message={`The demo's deployments stop, its folder ${project.path} is moved aside to a dated backup beside it (nothing is deleted), and a fresh demo is created there and opened, with the tour back at its first step.`}
          confirmLabel="Reset the demo"
          danger
          onCancel={() => setConfirmReset(false)}
          onConfirm={reset}
        />
      ) : null}
    </aside>
  );
}
