// Runs in: CLI (Node). Which `benchtop` commands change the project, and so hold its lock (one
// writer per project) from before their action runs until the process ends. Every command is
// listed here as a writer or a reader, so a new command cannot be forgotten (a unit test checks).
import type { Command } from 'commander';

type Writes = boolean | ((args: readonly string[], opts: Record<string, unknown>) => boolean);

/**
 * Long-lived commands (`ui`, `serve`, `scheduler`) are readers here: they take the lock for each
 * write (the core, the scheduler's runs), never for their lifetime, so a terminal command still
 * works beside them. `serve` only appends prediction logs, which SQLite serialises by itself.
 */
export const COMMAND_WRITES: Record<string, Writes> = {
  init: true,
  ui: false,
  status: false,
  run: (_args, opts) => !opts.dry,
  dag: false,
  exec: true,
  runs: (args) => ['rename', 'delete', 'restore', 'purge'].includes(args[0] ?? ''),
  export: false,
  compare: false,
  import: true,
  reproduce: true,
  scheduler: false,
  logs: false,
  'data add': true,
  'data status': false,
  'data commit': true,
  'data log': false,
  'data diff': false,
  'data checkout': true,
  'data verify': false,
  'data unlink': true,
  'data untrack': true,
  'data remote add': true,
  'data remote list': false,
  'data remote remove': true,
  'data remote default': true,
  'data push': true,
  'data pull': true,
  'data gc': true,
  'data usage': false,
  drift: false,
  'models list': false,
  'models show': false,
  'models register': true,
  'models alias': true,
  'models aliases': false,
  'models archive': true,
  'models restore': true,
  'models delete': true,
  'models resolve': false,
  'models update': true,
  'models export': false,
  'models import': true,
  'models card': false,
  'models lineage': false,
  'models compare': false,
  'monitor add': true,
  'monitor list': false,
  'monitor check': true,
  'monitor show': false,
  'monitor alerts': false,
  'monitor ack': true,
  'monitor delete': true,
  'predictions label': true,
  'predictions export': false,
  serve: false,
  demo: true,
  doctor: (_args, opts) => Boolean(opts.fix) || Boolean(opts.reindex),
  push: true,
  pull: true,
};

/** `data remote add` for the command that runs. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

export function commandWrites(cmd: Command): boolean {
  const rule = COMMAND_WRITES[commandPath(cmd)];
  if (typeof rule === 'function') return rule(cmd.args, cmd.opts());
  // Unlisted (a unit test forbids it): safer to serialise than to race.
  return rule ?? true;
}
