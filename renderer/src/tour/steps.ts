// Runs in: renderer. The guided tour's content: one step per stage of the loop, each with what the
// concept is and why it matters, the actions that do it (through the contract, then the view where
// its result shows), where it lives on disk, and what the user should now see.
import { api } from '../api/client';
import { useApp } from '../store/app-store';
import { DEMO } from './demo-names';
import { bestVersion, type StepId, type TourFacts, type TourSnapshot } from './progress';

export interface StepContext {
  facts: TourFacts;
  snapshot: TourSnapshot;
}

export interface TourAction {
  label: string;
  /** Why the button is disabled, when it is. */
  unavailable?: (c: StepContext) => string | null;
  run: (c: StepContext) => Promise<void>;
  primary?: boolean;
}

export interface TourStep {
  id: StepId;
  title: string;
  /** What it is and why it matters: a few plain sentences. */
  concept: string;
  actions: TourAction[];
  /** Files and folders in the project where this lives, with what each holds. */
  onDisk: { path: string; what: string }[];
  /** What the user should see once it is done. */
  expect: string;
  /** The outcome as it stands in the project now. */
  outcome: (c: StepContext) => string;
}

const app = () => useApp.getState();
const ref = `${DEMO.model}@${DEMO.alias}`;

export const STEPS: TourStep[] = [
  {
    id: 'data',
    title: 'Version the data',
    concept:
      'A model is only as reproducible as the data it learned from. Benchtop stores the file in a cache addressed by its content hash and puts a small .bt pointer in git in its place, so every commit names the exact bytes; you can go back to any version, and a run records which one it read.',
    actions: [
      {
        label: `Version ${DEMO.dataset}`,
        primary: true,
        unavailable: (c) => (c.facts.versioned ? `${DEMO.dataset} is versioned already.` : null),
        run: async () => {
          await api.call('data.add', { paths: [DEMO.dataset] });
          await api.call('data.commit', { message: `Track ${DEMO.dataset} (guided tour)` });
          app().openData(DEMO.dataset);
        },
      },
      { label: 'Show the data', run: async () => app().openData(DEMO.dataset) },
    ],
    onDisk: [
      { path: `${DEMO.dataset}.bt`, what: 'the pointer git tracks: hash, size, columns' },
      { path: '.benchtop/cache/', what: 'the bytes of every version, by hash' },
      { path: '.gitignore', what: 'keeps the data itself out of git' },
    ],
    expect: `The Data view lists ${DEMO.dataset} as tracked and committed, with its versions.`,
    outcome: (c) =>
      c.facts.versioned
        ? `${DEMO.dataset} is tracked by ${c.facts.versioned.pointer} and committed.`
        : `${DEMO.dataset} is not versioned yet.`,
  },
  {
    id: 'pipeline',
    title: 'Run the pipeline',
    concept:
      'A pipeline is the recipe from raw data to a trained model, written as stages with their inputs, params and outputs. Benchtop runs the stages in order, records each run with its params and metrics, and skips a stage whose inputs did not change, so any result can be reproduced and a rerun only does what is needed.',
    actions: [
      {
        label: 'Run the pipeline',
        primary: true,
        run: async () => {
          await api.call('pipelines.run', {});
          app().setSection('pipelines');
        },
      },
      {
        label: 'Show the runs',
        run: async () => {
          app().showRuns();
          app().setSection('experiments');
        },
      },
    ],
    onDisk: [
      { path: 'benchtop.yaml', what: 'the stages: commands, inputs, outputs, metrics' },
      { path: 'params.yaml', what: 'the params the stages read' },
      { path: 'benchtop.lock', what: 'what each stage last ran with (hashes of inputs, params, outputs)' },
      { path: '.benchtop/logs/', what: "each stage's log" },
    ],
    expect:
      'The stages turn green one after the other, and the run appears in Experiments with its params and metrics.',
    outcome: (c) =>
      c.facts.pipelineRun
        ? `Run ${c.facts.pipelineRun.id} succeeded.`
        : c.snapshot.pipelineRuns[0]
          ? `The latest run is ${c.snapshot.pipelineRuns[0].status}.`
          : 'No run yet.',
  },
  {
    id: 'compare',
    title: 'Compare experiments',
    concept:
      'Each run is an experiment: a set of params and the metrics they scored. A sweep runs a grid of param values as a queue, each run in its own working copy, and the comparison lines the runs up side by side, so the choice of a model rests on numbers rather than memory.',
    actions: [
      {
        label: 'Run a sweep',
        primary: true,
        run: async () => {
          // One at a time, so each run meets the champion the previous one left.
          await api.call('pipelines.sweep', { sweeps: [...DEMO.sweep], jobs: 1 });
          app().setSection('pipelines');
        },
      },
      {
        label: 'Compare',
        unavailable: (c) =>
          c.facts.sweepRuns.length + (c.facts.pipelineRun ? 1 : 0) < 2
            ? 'Compare needs two finished runs: run the pipeline and a sweep first.'
            : null,
        run: async (c) => {
          const ids = [...(c.facts.pipelineRun ? [c.facts.pipelineRun.id] : []), ...c.facts.sweepRuns.map((r) => r.id)];
          app().openCompare([...new Set(ids)].slice(0, 10));
        },
      },
    ],
    onDisk: [
      { path: 'params.yaml', what: `the values the sweep overrides (${DEMO.sweep.join('; ')})` },
      { path: '.benchtop/benchtop.db', what: 'every run with its params, metrics and tags' },
      { path: 'reports/', what: 'comparisons exported as HTML' },
    ],
    expect: `The sweep's queue fills with ${DEMO.sweepLabel}; Compare shows their params and ${DEMO.metric} side by side.`,
    outcome: (c) =>
      c.facts.sweepRuns.length
        ? `${c.facts.sweepRuns.length} runs of the latest sweep succeeded.`
        : c.facts.sweepRunning
          ? 'The sweep is still running.'
          : 'No sweep has finished yet.',
  },
  {
    id: 'register',
    title: 'Register the best model',
    concept: `A model registry gives each trained model a name and numbered versions that remember the run, data and metrics that made them. An alias such as ${DEMO.alias} points at the version in use, so serving and monitoring follow the alias rather than a file; every move of it is kept in an audit log. Here the pipeline registers each model it trains, and a gate in benchtop.yaml moves the alias only to a better one.`,
    actions: [
      {
        label: `Make the best ${DEMO.alias}`,
        primary: true,
        unavailable: (c) => {
          const best = bestVersion(c.snapshot.model);
          if (!best) return `No version of ${DEMO.model} has ${DEMO.metric} yet: run the pipeline first.`;
          return c.facts.champion?.version === best.version
            ? `Version ${best.version}, the best by ${DEMO.metric}, is ${DEMO.alias} already.`
            : null;
        },
        run: async (c) => {
          const best = bestVersion(c.snapshot.model)!;
          await api.call('models.setAlias', {
            name: DEMO.model,
            alias: DEMO.alias,
            version: best.version,
            reason: `best ${DEMO.metric} (guided tour)`,
          });
          app().openModel(DEMO.model);
        },
      },
      {
        label: `Open ${DEMO.model}`,
        unavailable: (c) => (c.snapshot.model ? null : `${DEMO.model} is not registered yet.`),
        run: async () => app().openModel(DEMO.model),
      },
    ],
    onDisk: [
      { path: 'benchtop.yaml', what: 'the register: gate under the model output' },
      { path: '.benchtop/cache/', what: "each version's model file" },
      { path: '.benchtop/benchtop.db', what: 'versions, aliases and the alias audit log' },
    ],
    expect: `The Models view shows ${DEMO.model} with its versions, the ${DEMO.alias} chip on the best one.`,
    outcome: (c) =>
      c.facts.champion
        ? `${ref} is version ${c.facts.champion.version}${c.facts.champion.runId ? ` (run ${c.facts.champion.runId})` : ''}.`
        : `${DEMO.model} has no ${DEMO.alias} yet.`,
  },
  {
    id: 'deploy',
    title: 'Deploy it locally',
    concept: `Deploying turns the ${DEMO.alias} into a service: a local HTTP endpoint runs the model's predict command, refuses requests that do not match its signature, and logs every request and prediction to the project. It follows the alias, so a new ${DEMO.alias} is served without redeploying.`,
    actions: [
      {
        label: `Deploy ${ref}`,
        primary: true,
        unavailable: (c) =>
          c.facts.deployment
            ? `${DEMO.model} is deployed at ${c.facts.deployment.url}.`
            : c.facts.champion
              ? null
              : `${DEMO.model} has no ${DEMO.alias} to deploy yet.`,
        run: async (c) => {
          await api.call('deployments.start', { ref });
          app().openModelVersion(DEMO.model, c.facts.champion!.version);
        },
      },
      {
        label: 'Show the deployment',
        unavailable: (c) => (c.facts.champion ? null : 'Nothing is deployed yet.'),
        run: async (c) => app().openModelVersion(DEMO.model, c.facts.champion!.version),
      },
    ],
    onDisk: [
      { path: DEMO.predict, what: 'the predict command the endpoint runs' },
      { path: '.benchtop/benchtop.db', what: 'deployments, requests and predictions' },
    ],
    expect: 'The version page shows the deployment running with its URL, and Try it answers.',
    outcome: (c) =>
      c.facts.deployment
        ? `${ref} answers at ${c.facts.deployment.url} (version ${c.facts.deployment.version ?? '…'}).`
        : 'Not deployed.',
  },
  {
    id: 'traffic',
    title: 'Monitor production',
    concept:
      'Once deployed, a model meets data it never saw. Monitoring compares what arrives in production with what the model learned from, batch by batch, and measures its accuracy as the true outcomes come in: a model can run without an error and still be wrong because the world changed.',
    actions: [
      {
        label: 'Send a week',
        primary: true,
        unavailable: (c) =>
          !c.facts.deployment
            ? 'Deploy the model first: production goes to its endpoint.'
            : c.facts.weeksWaiting === 0
              ? 'Every production week has been sent.'
              : null,
        run: async () => {
          await api.call('demo.sendWeeks', { weeks: 1 });
          await api.call('monitors.check', { name: DEMO.monitor });
          app().openMonitor(DEMO.monitor);
        },
      },
      { label: `Open monitor ${DEMO.monitor}`, run: async () => app().openMonitor(DEMO.monitor) },
    ],
    onDisk: [
      { path: DEMO.production, what: 'the weeks of applications waiting to arrive' },
      { path: DEMO.batches, what: 'each week once the endpoint answered it: inputs, prediction, true outcome' },
      { path: DEMO.reference, what: 'what every week is compared with' },
    ],
    expect: `The week's applications go to the endpoint, the week lands in ${DEMO.batches} with the answers, and the monitor checks it: no drift yet.`,
    outcome: (c) =>
      c.facts.weeksDelivered
        ? `${c.facts.weeksDelivered} week${c.facts.weeksDelivered === 1 ? '' : 's'} answered by the endpoint, ${c.facts.weeksWaiting} waiting; ${c.facts.checkedBatches} checked by the monitor.`
        : 'No production week has arrived yet.',
  },
  {
    id: 'drift',
    title: 'Drift raises an alert',
    concept:
      "Drift is a change in the distribution of a model's inputs or predictions. The monitor tests every column of a new batch against the reference; a rule turns enough drift, for long enough, into an alert that names the batch and the rule and links to the report.",
    actions: [
      {
        label: 'Send the other weeks',
        primary: true,
        unavailable: (c) =>
          !c.facts.deployment
            ? 'Deploy the model first: production goes to its endpoint.'
            : c.facts.weeksWaiting === 0
              ? 'Every production week has been sent.'
              : null,
        run: async (c) => {
          // The alert that completes the step comes from the monitor's check of the weeks: one
          // click does both, as "Send a week" does.
          await api.call('demo.sendWeeks', { weeks: c.facts.weeksWaiting });
          await api.call('monitors.check', { name: DEMO.monitor });
          app().openMonitor(DEMO.monitor);
        },
      },
      {
        label: 'Check the monitor',
        run: async () => {
          await api.call('monitors.check', { name: DEMO.monitor });
          app().openMonitor(DEMO.monitor);
        },
      },
    ],
    onDisk: [
      { path: 'reports/', what: 'a drift report per checked batch' },
      { path: '.benchtop/benchtop.db', what: "the monitor's batches, scores and alerts" },
    ],
    expect:
      'After the weeks arrive and the monitor checks them, its timeline shows the drift share rising part-way through, the drifted columns flagged, and the alert.',
    outcome: (c) =>
      c.facts.alert
        ? `Alert on ${c.facts.alert.batch ?? 'a batch'}: ${c.facts.alert.message}${c.facts.driftedColumns.length ? ` Drifted: ${c.facts.driftedColumns.join(', ')}.` : ''}`
        : c.facts.checkedBatches
          ? `${c.facts.checkedBatches} batches checked, no alert.`
          : 'Not checked yet.',
  },
  {
    id: 'retrain',
    title: 'Retraining',
    concept:
      "A rule can ask for retraining: the alert starts the pipeline again, with the alert recorded as the run's reason, so the model learns from recent data and the run says why it happened. Nobody has to notice the drift first.",
    actions: [
      {
        label: 'Open the retraining run',
        primary: true,
        unavailable: (c) => (c.facts.retrainRun ? null : 'No alert has started a run yet.'),
        run: async (c) => app().openRun(c.facts.retrainRun!.id),
      },
      {
        label: 'Retrain now',
        unavailable: (c) => (c.facts.alert ? null : 'Retraining answers an alert: check the monitor first.'),
        run: async (c) => {
          await api.call('pipelines.run', { reason: `${DEMO.monitor}: ${c.facts.alert!.message}` });
          app().setSection('pipelines');
        },
      },
    ],
    onDisk: [
      { path: 'benchtop.yaml', what: 'the same pipeline, run again' },
      { path: '.benchtop/benchtop.db', what: 'the run, with the alert as its trigger' },
    ],
    expect: 'A new run in Experiments whose trigger names the alert.',
    outcome: (c) =>
      c.facts.retrainRun
        ? `Run ${c.facts.retrainRun.id} ${c.facts.retrainRun.status} (${c.facts.retrainRun.trigger}).`
        : 'No retraining yet.',
  },
  {
    id: 'champion',
    title: 'A new champion',
    concept: `The retrained model is registered as a new version and, when it beats the ${DEMO.alias} on the same test rows, the alias moves to it. The endpoint switches to it without a restart and the monitor keeps watching: the loop starts again.`,
    actions: [
      {
        label: `Open the new ${DEMO.alias}`,
        primary: true,
        unavailable: (c) => (c.facts.champion ? null : `${DEMO.model} has no ${DEMO.alias}.`),
        run: async (c) => app().openModelVersion(DEMO.model, c.facts.champion!.version),
      },
    ],
    onDisk: [
      { path: '.benchtop/benchtop.db', what: `the new version and the ${DEMO.alias} alias's move in the audit log` },
      { path: '.benchtop/cache/', what: 'its model file' },
    ],
    expect: `${ref} is the version the retraining run made; the alias log says when it moved.`,
    outcome: (c) =>
      c.facts.newChampion
        ? `${ref} is now version ${c.facts.champion!.version}, from the retraining run.`
        : c.facts.champion
          ? `${ref} is still version ${c.facts.champion.version}.`
          : `No ${DEMO.alias} yet.`,
  },
];
