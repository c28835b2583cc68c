// Runs in: main, renderer and preload. Dependency-free on purpose: the sandboxed preload bundles
// this list to expose one function per method, without pulling zod into the preload.

/** Every method of the contract, in the order the UI documents them. */
export const METHOD_NAMES = [
  'app.info',
  'project.current',
  'project.recent',
  'project.open',
  'project.init',
  'project.chooseFolder',
  'project.doctor',
  'experiments.list',
  'runs.search',
  'runs.delete',
  'runs.restore',
  'runs.purge',
  'runs.get',
  'runs.update',
  'runs.keys',
  'runs.history',
  'runs.create',
  'runs.log',
  'runs.end',
  'runs.logArtifact',
  'runs.artifactPreview',
  'runs.importMlflow',
  'data.list',
  'data.preview',
  'data.tracked',
  'data.add',
  'data.commit',
  'data.log',
  'data.checkout',
  'data.unlink',
  'data.diff',
  'data.remotes',
  'data.remoteAdd',
  'data.remoteRemove',
  'data.push',
  'data.pull',
  'data.gc',
  'data.usage',
  'pipelines.get',
  'pipelines.status',
  'pipelines.run',
  'pipelines.cancel',
  'pipelines.runs',
  'pipelines.log',
  'pipelines.sweep',
  'pipelines.sweepStatus',
  'pipelines.cancelSweep',
  'models.list',
  'models.get',
  'models.version',
  'models.register',
  'models.setAlias',
  'models.removeAlias',
  'models.update',
  'models.archive',
  'models.restore',
  'models.delete',
  'models.resolve',
  'models.card',
  'models.lineage',
  'models.compare',
  'models.export',
  'models.import',
  'drift.report',
  'drift.export',
  'monitors.list',
  'monitors.add',
  'monitors.get',
  'monitors.check',
  'monitors.delete',
  'monitors.alerts',
  'monitors.acknowledge',
  'monitors.report',
  'predictions.label',
  'predictions.export',
  'reports.list',
  'reports.open',
  'reports.compare',
  'deployments.list',
  'deployments.start',
  'deployments.stop',
  'deployments.stats',
  'deployments.requests',
  'deployments.try',
  'tour.get',
  'tour.save',
  'demo.reset',
  'demo.sendWeeks',
] as const;

export type MethodName = (typeof METHOD_NAMES)[number];

/** Every event the core pushes to the UI. */
export const EVENT_NAMES = ['project.changed', 'run.log', 'run.metric', 'run.status', 'stage.status', 'sweep.changed', 'data.progress', 'models.changed', 'monitors.alert', 'deployments.changed', 'deployments.requests'] as const;

export type EventName = (typeof EVENT_NAMES)[number];

/** IPC channel names: one for calls, one for events. */
export const IPC_CALL_CHANNEL = 'benchtop:call';
export const IPC_EVENT_CHANNEL = 'benchtop:event';

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && (METHOD_NAMES as readonly string[]).includes(value);
}
