// Runs in: CLI (Node). Holds the project lock for a writing command (see writing-commands.ts):
// taken before the action runs, released when the command ends, fails, or is stopped by a signal.
import type { Command } from 'commander';
import type { ReleaseLock } from '../core/app/shell-support';
import type { GlobalOptions } from './project';
import { enclosingProjectDir } from './project';
import { commandPath, commandWrites } from './writing-commands';

let release: ReleaseLock | null = null;

/** Ctrl+C or SIGTERM on a command with no handler of its own: release, then end as the signal would. */
function onSignal(signal: NodeJS.Signals): void {
  // A command that handles the signal itself (a run cancelling its stages) ends in its own time;
  // the lock goes when it returns, or on exit.
  if (process.listenerCount(signal) > 1) return;
  releaseProjectLock();
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

export async function holdProjectLock(action: Command): Promise<void> {
  if (release || !commandWrites(action)) return;
  const opts = action.optsWithGlobals<GlobalOptions & { wait?: boolean }>();
  const dir = enclosingProjectDir(opts);
  // Imported here, not at start-up: reading commands and `--help` never load the core.
  const { acquireProjectLock, describeHolder, isProject } = await import('../core/app/shell-support');
  // Not a project (yet): `init` and `demo` make one, anything else fails with its own clear error.
  if (!dir || !isProject(dir)) return;
  const command = `benchtop ${commandPath(action)}`;
  release = await acquireProjectLock(dir, {
    command,
    waitMs: opts.wait === false ? 0 : Infinity,
    onWait: (holder) => process.stderr.write(`benchtop: waiting for the project lock ${describeHolder(holder)}…\n`),
    hint: 'It is released when that command ends; run again without --no-wait to wait for it.',
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

export function releaseProjectLock(): void {
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  release?.();
  release = null;
}
