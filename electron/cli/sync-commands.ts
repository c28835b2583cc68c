// Runs in: CLI (Node). `benchtop push` and `benchtop pull`: the project's runs, registry and
// monitors through the project's own git remote, and the artifacts and data they name through its
// data remote (core/sync/). Progress goes to stderr; what was merged and every conflict resolved
// are printed when the pull is done.
import type { Command } from 'commander';
import type { SyncProgress, SyncPullResult } from '../../shared/contract/sync';
import { bytes } from '../../shared/format/data-diff';
import type { Core } from '../core/app/core';
import { withProject } from './core-client';
import { printJson } from './output';
import type { GlobalOptions } from './project';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Progress on stderr: git's own lines as they come, counts for objects and data. */
function showProgress(core: Core): () => void {
  let last = 0;
  return core.events.subscribe((e) => {
    if (e.name !== 'sync.progress') return;
    const p: SyncProgress = e.payload;
    if (p.phase === 'records') {
      if (process.stderr.isTTY) process.stderr.write(`\r${p.message}\x1b[K`);
      return;
    }
    const now = Date.now();
    if (p.done < p.total && now - last < 200) return;
    last = now;
    const what = p.phase === 'objects' ? 'artifacts' : 'data';
    const line = `${p.op === 'push' ? 'sending' : 'fetching'} ${what} ${p.done}/${p.total}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}\x1b[K${p.done === p.total ? '\n' : ''}`);
    else if (p.done === p.total && p.total > 0) process.stderr.write(`${line}\n`);
  });
}

function printPull(r: SyncPullResult): void {
  const how = { 'up-to-date': 'already up to date', 'fast-forward': 'fast-forward', merged: 'merged' }[r.merge];
  console.log(`Records from ${r.gitRemote}: ${how}.`);
  if (r.merge !== 'up-to-date')
    console.log(`Rebuilt ${plural(r.runs, 'run')}, ${plural(r.models, 'model')} and ${plural(r.monitors, 'monitor')}.`);
  for (const v of r.renumbered)
    console.log(
      `renumbered: ${v.model}/${v.registeredAs} (${v.uid}) is now ${v.model}/${v.now}: ${v.model}/${v.registeredAs} was registered earlier on another machine.`,
    );
  for (const c of r.conflicts) console.log(`conflict: ${c.message}`);
  for (const n of r.notes) console.log(`note: ${n}`);
  if (r.dataRemote === null)
    console.log('No data remote: artifacts and data were not fetched (`benchtop data remote add`).');
  if (r.objects)
    console.log(
      `Artifacts from ${r.dataRemote}: ${plural(r.objects.transferred, 'object')} fetched (${bytes(r.objects.bytes)}).`,
    );
  if (r.data)
    console.log(`Data from ${r.dataRemote}: ${plural(r.data.transferred, 'object')} fetched (${bytes(r.data.bytes)}).`);
  if (r.outputs?.restored.length)
    console.log(`Restored ${plural(r.outputs.restored.length, 'stage output')} (benchtop.lock).`);
  for (const m of r.objects?.missing ?? []) console.log(`missing: ${m} is neither here nor on ${r.dataRemote}.`);
  for (const o of r.outputs?.unavailable ?? [])
    console.log(`missing: stage output ${o} is neither here nor on ${r.dataRemote}; \`benchtop run\` makes it again.`);
}

export function registerSyncCommands(program: Command): void {
  program
    .command('push')
    .description(
      "send the project's runs, registry and monitors through its git remote (refs/benchtop/records) and their artifacts and data to the data remote",
    )
    .option('--git-remote <name>', 'the git remote (default: origin, or the only one)')
    .option('-r, --remote <name>', 'the data remote (default: the default one)')
    .exitOverride()
    .action(async (o: { gitRemote?: string; remote?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withProject(opts, async (call, core) => {
        const stop = showProgress(core);
        const r = await call('sync.push', {
          ...(o.gitRemote ? { gitRemote: o.gitRemote } : {}),
          ...(o.remote ? { dataRemote: o.remote } : {}),
        }).finally(stop);
        if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
        if (opts.json) return printJson(r);
        console.log(
          r.pushed
            ? `Pushed ${plural(r.records, 'record')} to ${r.gitRemote}.`
            : 'Nothing to push: the project has no records yet.',
        );
        if (r.objects)
          console.log(
            `Artifacts to ${r.dataRemote}: ${plural(r.objects.transferred, 'object')} sent (${bytes(r.objects.bytes)}).`,
          );
        if (r.data)
          console.log(
            `Data to ${r.dataRemote}: ${plural(r.data.transferred, 'object')} sent (${bytes(r.data.bytes)}).`,
          );
        if (r.dataRemote === null)
          console.log('No data remote: artifacts and data stayed here (`benchtop data remote add`).');
        for (const m of r.objects?.missing ?? []) console.log(`missing: ${m} is neither here nor on ${r.dataRemote}.`);
      });
    });

  program
    .command('pull')
    .description(
      "fetch the remote's runs, registry and monitors and merge them with this clone's (nothing lost; conflicts listed), then fetch their artifacts and data",
    )
    .option('--git-remote <name>', 'the git remote (default: origin, or the only one)')
    .option('-r, --remote <name>', 'the data remote (default: the default one)')
    .option('-f, --force', 'let the data checkout overwrite changes no version saved')
    .exitOverride()
    .action(async (o: { gitRemote?: string; remote?: string; force?: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withProject(opts, async (call, core) => {
        const stop = showProgress(core);
        const r = await call('sync.pull', {
          ...(o.gitRemote ? { gitRemote: o.gitRemote } : {}),
          ...(o.remote ? { dataRemote: o.remote } : {}),
          force: Boolean(o.force),
        }).finally(stop);
        if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
        if (opts.json) return printJson(r);
        printPull(r);
      });
    });
}
