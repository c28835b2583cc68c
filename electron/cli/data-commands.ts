// Runs in: CLI (Node). `benchtop data …`: track data, see its status, commit versions, list them,
// restore one, and verify the cache. Paths are relative to where the command runs.
import path from 'node:path';
import type { Command } from 'commander';
import { BenchtopError } from '../../shared/contract/errors';
import { checkoutData } from '../core/data/checkout';
import { bytes, describeDiff } from '../../shared/format/data-diff';
import { diffData, WORKSPACE } from '../core/data/diff/diff-data';
import { gcCache } from '../core/data/gc';
import { commitData, dataLog } from '../core/data/history';
import { dataUsage } from '../core/data/lineage';
import { addRemote, listRemotes, removeRemote, setDefaultRemote, type Remote } from '../core/data/remotes';
import { pullData, pushData } from '../core/data/transfer';
import { dataStatus } from '../core/data/status';
import { addData } from '../core/data/track';
import { untrackData } from '../core/data/untrack';
import { verifyCache } from '../core/data/verify';
import { LINK_MODES, parseLinkMode, unlinkData } from '../core/data/materialize';
import type { GlobalOptions } from './commands';
import { openProject } from './project';
import { printJson, table } from './output';

/** One progress line on a terminal, rewritten in place; nothing when stderr is not a terminal. */
function progress(label: string): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    if (!process.stderr.isTTY) return;
    const now = Date.now();
    if (done < total && now - last < 100) return;
    last = now;
    process.stderr.write(`\r${label} ${done}/${total}${done === total ? '\n' : ''}`);
  };
}

export function registerDataCommands(program: Command): void {
  const data = program
    .command('data')
    .description(
      'version datasets: add, untrack, status, commit, log, diff, checkout, verify, unlink, remote, push, pull, gc, usage',
    )
    .exitOverride();

  data
    .command('add')
    .description('track files or folders: their content goes to the cache, a .bt pointer is staged in git')
    .argument('<paths...>', 'files or folders inside the project')
    .option(
      '--absorb',
      'fold tracked files inside a folder into it (their pointers are removed; their versions stay in data log)',
    )
    .exitOverride()
    .action(async (paths: string[], o: { absorb?: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const ws = openProject(opts);
      try {
        const results = await addData(ws.dir, ws.db, paths, {
          base: process.cwd(),
          absorb: Boolean(o.absorb),
          onProgress: (p) => progress(`hashing ${p.path}`)(p.done, p.total),
        });
        if (opts.json)
          return printJson(
            results.map((r) => ({
              path: r.path,
              pointer: r.pointer,
              status: r.status,
              ...r.pointerData,
              ...(r.repaired.length ? { repaired: r.repaired } : {}),
            })),
          );
        for (const r of results) {
          const shape = r.pointerData.schema
            ? `, ${r.pointerData.schema.rows} rows × ${r.pointerData.schema.columns.length} columns`
            : '';
          const files = r.pointerData.kind === 'folder' ? `, ${r.pointerData.files} files` : '';
          console.log(
            `${r.status === 'unchanged' ? 'Unchanged' : r.status === 'added' ? 'Tracked' : 'Updated'} ${r.path} (${bytes(r.pointerData.size)}${files}${shape}) → ${r.pointer}`,
          );
          for (const f of r.repaired)
            console.log(`Repaired the cache object for ${f}: its bytes did not match their hash.`);
        }
        if (results.some((r) => r.status !== 'unchanged'))
          console.log('Commit the new version with `benchtop data commit -m "what changed"`.');
      } finally {
        ws.close();
      }
    });

  data
    .command('untrack')
    .description(
      'stop tracking data: its pointer and .gitignore line go (staged for data commit); the data, the cache and its versions stay',
    )
    .argument('<paths...>', 'tracked files or folders')
    .exitOverride()
    .action(async (paths: string[], _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const ws = openProject(opts);
      try {
        const rels = await untrackData(ws.dir, paths, process.cwd());
        if (opts.json) return printJson({ untracked: rels });
        for (const r of rels) console.log(`Stopped tracking ${r}; the data and its cached versions are kept.`);
        console.log('Commit the change with `benchtop data commit -m "what changed"`.');
      } finally {
        ws.close();
      }
    });

  data
    .command('status')
    .description('tracked data: unchanged, modified, deleted, missing from the cache; pointers not yet committed')
    .argument('[paths...]', 'only these tracked paths')
    .exitOverride()
    .action(async (paths: string[], _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const ws = openProject(opts);
      try {
        const rows = await dataStatus(
          ws.dir,
          ws.db,
          paths.length ? paths.map((p) => path.relative(ws.dir, path.resolve(p)).split(path.sep).join('/')) : undefined,
        );
        if (opts.json) return printJson(rows);
        if (rows.length === 0) {
          console.log('No tracked data yet. Track some with `benchtop data add data/train.csv`.');
          return;
        }
        const out = [['path', 'workspace', 'cache', 'git', 'size', 'rows']];
        for (const r of rows)
          out.push([
            r.path,
            r.problem ? 'bad pointer' : r.workspace!,
            r.inCache ? 'ok' : 'missing',
            r.git,
            bytes(r.size),
            r.rows === null ? '-' : String(r.rows),
          ]);
        console.log(table(out));
        for (const r of rows) if (r.problem) console.log(`  ${r.problem}`);
      } finally {
        ws.close();
      }
    });

  data
    .command('commit')
    .description('commit the changed .bt pointers to git as a new data version')
    .requiredOption('-m, --message <message>', 'what changed in the data')
    .exitOverride()
    .action(async (o: { message: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const ws = openProject(opts);
      try {
        const result = await commitData(ws.dir, o.message);
        if (opts.json) return printJson(result);
        console.log(
          result
            ? `Committed ${result.pointers.length} pointer${result.pointers.length === 1 ? '' : 's'} as ${result.commit.slice(0, 7)}.`
            : 'Nothing to commit: every pointer is as committed.',
        );
      } finally {
        ws.close();
      }
    });

  data
    .command('log')
    .description('versions of tracked data: commit, date, message, size, rows')
    .argument('<path>', 'a tracked file or folder')
    .exitOverride()
    .action(async (p: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const ws = openProject(opts);
      try {
        const versions = await dataLog(ws.dir, p, process.cwd());
        if (opts.json) return printJson(versions);
        if (versions.length === 0) {
          console.log(`${p} has no committed version yet. Commit one with \`benchtop data commit -m MSG\`.`);
          return;
        }
        const out = [['commit', 'date', 'message', 'size', 'rows']];
        for (const v of versions)
          out.push([
            v.commit.slice(0, 7),
            v.date.slice(0, 16).replace('T', ' '),
            v.message.split('\n')[0]!.slice(0, 60),
            v.pointer ? bytes(v.pointer.size) : '(removed)',
            v.pointer?.schema ? String(v.pointer.schema.rows) : '-',
          ]);
        console.log(table(out));
      } finally {
        ws.close();
      }
    });

  data
    .command('diff')
    .description('what changed between two versions: files of folders, rows and column statistics of tables')
    .argument('<rev-a>', `a commit (or its first digits), branch, tag, or "${WORKSPACE}" for the files on disk`)
    .argument('<rev-b>', `the same, for the other side (e.g. HEAD ${WORKSPACE})`)
    .argument('[path]', 'one tracked path (default: every tracked path that differs)')
    .option('-k, --key <column>', 'match table rows by this column (unique in both versions) instead of by content')
    .exitOverride()
    .action(async (revA: string, revB: string, p: string | undefined, o: { key?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const ws = openProject(opts);
      try {
        const diffs = await diffData(ws.dir, ws.db, {
          from: revA,
          to: revB,
          path: p ?? null,
          key: o.key ?? null,
          base: process.cwd(),
        });
        if (opts.json) return printJson(p ? diffs[0] : diffs);
        if (diffs.length === 0) {
          console.log(`No tracked data differs between ${revA} and ${revB}.`);
          return;
        }
        console.log(diffs.map(describeDiff).join('\n\n'));
      } finally {
        ws.close();
      }
    });

  data
    .command('checkout')
    .description('restore the data of a version (hashes verified; unsaved changes are kept unless --force)')
    .argument('<rev>', 'a commit (or its first digits), branch or tag')
    .argument('[paths...]', 'only these tracked paths')
    .option('-f, --force', 'overwrite changes that no version saved')
    .option(
      '--link <mode>',
      `how files reach the workspace: ${LINK_MODES.join(' | ')} (default: data.link in .benchtop/config.yaml, else copy)`,
    )
    .option('--verify', 'rehash every object, even those unchanged since their bytes last matched')
    .exitOverride()
    .action(
      async (rev: string, paths: string[], o: { force?: boolean; link?: string; verify?: boolean }, cmd: Command) => {
        const opts = cmd.optsWithGlobals<GlobalOptions>();
        const link = o.link === undefined ? undefined : parseLinkMode(o.link);
        const ws = openProject(opts);
        try {
          const result = await checkoutData(ws.dir, ws.db, rev, paths, {
            force: Boolean(o.force),
            verify: Boolean(o.verify),
            base: process.cwd(),
            ...(link ? { link } : {}),
            onProgress: (p) => progress(`restoring ${p.path}`)(p.done, p.total),
          });
          if (opts.json) return printJson(result);
          for (const r of result.restored)
            console.log(
              `Restored ${r.path} (${r.files} file${r.files === 1 ? '' : 's'}, ${bytes(r.bytes)}) from ${result.commit.slice(0, 7)}.`,
            );
          const how = Object.entries(result.placed).filter(([, n]) => n > 0);
          if (how.length)
            console.log(
              `Files written: ${how.map(([k, n]) => `${n} by ${k}`).join(', ')}.${link && link !== 'copy' && !result.placed[link] ? ` This filesystem cannot ${link}, so they were copied.` : ''}`,
            );
          if (result.placed.hardlink || result.placed.symlink)
            console.log('Linked files are read-only; `benchtop data unlink PATH` turns them into writable copies.');
          if (result.hashed + result.trusted)
            console.log(
              `Objects checked: ${result.trusted} by their verification record, ${result.hashed} by hashing${result.hashed ? '' : ' (`--verify` rehashes them all)'}.`,
            );
          if (result.unchanged.length) console.log(`Already at that version: ${result.unchanged.join(', ')}.`);
        } finally {
          ws.close();
        }
      },
    );

  data
    .command('verify')
    .description('rehash every object in the cache and name the corrupt ones')
    .exitOverride()
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const ws = openProject(opts);
      try {
        const result = await verifyCache(ws.dir, ws.db, progress('verifying'));
        if (opts.json) return printJson(result);
        if (result.corrupt.length === 0 && result.badPointers.length === 0) {
          console.log(`All ${result.checked} objects in the cache are intact.`);
          return;
        }
        for (const c of result.corrupt) console.log(`corrupt: ${c.hash} (its bytes hash to ${c.actual})`);
        for (const b of result.badPointers) console.log(`bad pointer: ${b.problem}`);
        if (result.corrupt.length === 0)
          throw new BenchtopError(
            'BAD_FILE',
            `${result.badPointers.length} pointer${result.badPointers.length === 1 ? '' : 's'} do not match the data they name: ${result.badPointers.map((b) => b.pointer).join(', ')}.`,
            {
              hint: 'Restore each pointer from git (`git checkout -- FILE`), or run `benchtop data add` on its data again.',
            },
          );
        throw new BenchtopError('BAD_FILE', `${result.corrupt.length} of ${result.checked} objects are corrupt.`, {
          hint: 'Restore them with `benchtop data pull`, or add the data again.',
        });
      } finally {
        ws.close();
      }
    });

  data
    .command('unlink')
    .description('turn hardlinks and symlinks into the cache back into plain, writable copies')
    .argument('<paths...>', 'tracked files or folders')
    .exitOverride()
    .action(async (paths: string[], _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const ws = openProject(opts);
      try {
        const results = await unlinkData(ws.dir, paths, process.cwd());
        if (opts.json) return printJson(results);
        for (const r of results)
          console.log(
            r.copied
              ? `Copied ${r.copied} linked file${r.copied === 1 ? '' : 's'} of ${r.path}; they are writable now.`
              : `${r.path} has no links into the cache.`,
          );
      } finally {
        ws.close();
      }
    });

  registerTransferCommands(data);
}

/** Test hook for interrupted transfers: kill this process part-way through the object after N. */
function faultKillAfter(): number | undefined {
  const v = process.env.BENCHTOP_FAULT_KILL_AFTER_OBJECTS;
  return v && /^\d+$/.test(v) ? Number(v) : undefined;
}

function printRemotes(remotes: Remote[]): void {
  if (remotes.length === 0) {
    console.log('No data remotes. Add one with `benchtop data remote add NAME PATH`.');
    return;
  }
  const out = [['name', 'path', 'default', 'folder']];
  for (const r of remotes)
    out.push([
      r.name,
      r.url === r.path ? r.path : `${r.url} (${r.path})`,
      r.isDefault ? 'yes' : '',
      r.exists ? 'ok' : 'missing',
    ]);
  console.log(table(out));
}

/** `data remote …`, `push`, `pull`, `gc` and `usage`. */
function registerTransferCommands(data: Command): void {
  const remote = data
    .command('remote')
    .description('data remotes: folders on a local disk, NAS mount or USB drive')
    .exitOverride();
  remote
    .command('add')
    .description('add a remote folder (created when missing; a relative path is kept relative to the project)')
    .argument('<name>', 'letters, digits, - and _')
    .argument('<path>', 'a folder outside the project')
    .option('-d, --default', 'use it when no --remote is given')
    .exitOverride()
    .action((name: string, p: string, o: { default?: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const ws = openProject(opts);
      try {
        const remotes = addRemote(ws.dir, name, p, { base: process.cwd(), makeDefault: Boolean(o.default) });
        if (opts.json) return printJson(remotes);
        const added = remotes.find((r) => r.name === name)!;
        console.log(
          `Added remote ${name} → ${added.path}${added.isDefault ? ' (default)' : ''}. Commit .benchtop/config.yaml to share it with clones.`,
        );
      } finally {
        ws.close();
      }
    });
  remote
    .command('list')
    .description('remotes of this project')
    .exitOverride()
    .action((_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const ws = openProject(opts);
      try {
        const remotes = listRemotes(ws.dir);
        if (opts.json) return printJson(remotes);
        printRemotes(remotes);
      } finally {
        ws.close();
      }
    });
  remote
    .command('remove')
    .description('forget a remote (its folder and the objects in it stay)')
    .argument('<name>')
    .exitOverride()
    .action((name: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const ws = openProject(opts);
      try {
        const remotes = removeRemote(ws.dir, name);
        if (opts.json) return printJson(remotes);
        console.log(`Removed remote ${name}; its folder was left as it was.`);
      } finally {
        ws.close();
      }
    });
  remote
    .command('default')
    .description('use this remote when no --remote is given')
    .argument('<name>')
    .exitOverride()
    .action((name: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const ws = openProject(opts);
      try {
        const remotes = setDefaultRemote(ws.dir, name);
        if (opts.json) return printJson(remotes);
        console.log(`${name} is now the default remote.`);
      } finally {
        ws.close();
      }
    });

  data
    .command('push')
    .description(
      'send the cache objects of tracked data that the remote lacks (verified; rerun after an interruption to send the rest)',
    )
    .argument('[paths...]', 'only these tracked paths (default: all)')
    .option('-r, --remote <name>', 'the remote (default: the default one)')
    .exitOverride()
    .action(async (paths: string[], o: { remote?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const ws = openProject(opts);
      try {
        const bar = progress('pushing');
        const r = await pushData(ws.dir, {
          remote: o.remote,
          paths,
          base: process.cwd(),
          onProgress: (p) => bar(p.done, p.total),
          killAfterObjects: faultKillAfter(),
        });
        if (opts.json) return printJson(r);
        console.log(
          `Pushed ${r.transferred} object${r.transferred === 1 ? '' : 's'} (${bytes(r.bytes)}) to ${r.remote}; ${r.present} of ${r.objects} were there already.`,
        );
      } finally {
        ws.close();
      }
    });

  data
    .command('pull')
    .description(
      "fetch the objects of tracked data the cache lacks (verified), then check out the working tree's pointers",
    )
    .argument('[paths...]', 'only these tracked paths (default: all)')
    .option('-r, --remote <name>', 'the remote (default: the default one)')
    .option('--no-checkout', 'only fetch into the cache; leave the workspace as it is')
    .option('-f, --force', 'overwrite changes that no version saved')
    .exitOverride()
    .action(async (paths: string[], o: { remote?: string; checkout: boolean; force?: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const ws = openProject(opts);
      try {
        const bar = progress('pulling');
        const r = await pullData(ws.dir, ws.db, {
          remote: o.remote,
          paths,
          base: process.cwd(),
          checkout: o.checkout,
          force: Boolean(o.force),
          onProgress: (p) => bar(p.done, p.total),
          killAfterObjects: faultKillAfter(),
        });
        if (opts.json) return printJson(r);
        console.log(
          `Fetched ${r.transferred} object${r.transferred === 1 ? '' : 's'} (${bytes(r.bytes)}) from ${r.remote}; ${r.present} of ${r.objects} were in the cache already.`,
        );
        for (const f of r.repaired)
          console.log(
            `Repaired the cache object for ${f}: its bytes did not match their hash, so it was fetched again.`,
          );
        for (const c of r.checkout?.restored ?? [])
          console.log(`Restored ${c.path} (${c.files} file${c.files === 1 ? '' : 's'}, ${bytes(c.bytes)}).`);
        if (r.checkout?.unchanged.length) console.log(`Already in place: ${r.checkout.unchanged.join(', ')}.`);
      } finally {
        ws.close();
      }
    });

  data
    .command('gc')
    .description('remove cache objects that no commit, working-tree pointer, run or registered model refers to')
    .option('-n, --dry-run', 'only say what would be freed')
    .option(
      '--keep-recent <minutes>',
      'keep unreferenced objects written less than this long ago (a data add may be under way)',
      '10',
    )
    .exitOverride()
    .action(async (o: { dryRun?: boolean; keepRecent: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const minutes = Number(o.keepRecent);
      if (!Number.isFinite(minutes) || minutes < 0)
        throw new BenchtopError('INVALID_INPUT', `--keep-recent ${o.keepRecent} is not a number of minutes.`, {
          field: 'keep-recent',
          hint: 'For example --keep-recent 0 to consider every object.',
        });
      const ws = openProject(opts);
      try {
        const r = await gcCache(ws.dir, ws.db, { dryRun: Boolean(o.dryRun), graceMs: minutes * 60_000 });
        if (opts.json) return printJson(r);
        const what = `${r.removed} object${r.removed === 1 ? '' : 's'} (${bytes(r.bytes)})`;
        console.log(
          r.dryRun
            ? `Would free ${what}; ${r.kept} of ${r.objects} objects are kept.`
            : `Freed ${what}; ${r.kept} of ${r.objects} objects are kept.`,
        );
        if (r.recent)
          console.log(
            `${r.recent} unreferenced object${r.recent === 1 ? ' is' : 's are'} newer than ${minutes} minutes and kept (--keep-recent).`,
          );
        if (r.unreadableManifests)
          console.log(
            `${r.unreadableManifests} folder version${r.unreadableManifests === 1 ? '' : 's'} of past commits ${r.unreadableManifests === 1 ? 'is' : 'are'} not in this cache, so ${r.unreadableManifests === 1 ? 'its' : 'their'} files could not be listed.`,
          );
      } finally {
        ws.close();
      }
    });

  data
    .command('usage')
    .description('for each version of a tracked path: the runs that read it and the model versions they made')
    .argument('<path>', 'a tracked file or folder')
    .exitOverride()
    .action(async (p: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const ws = openProject(opts);
      try {
        const u = await dataUsage(ws.dir, ws.db, p, process.cwd());
        if (opts.json) return printJson(u);
        for (const v of u.versions) {
          const where = v.commits.length ? v.commits.map((c) => c.commit.slice(0, 7)).join(', ') : 'not committed';
          console.log(`${v.hash.slice(0, 12)}  ${where}${v.current ? '  (current)' : ''}`);
          if (v.runs.length === 0) console.log('    no runs');
          for (const r of v.runs)
            console.log(
              `    run ${r.id}  ${r.status}  ${(r.startedAt ?? '').slice(0, 16).replace('T', ' ')}  ${r.name}${r.deleted ? '  (deleted)' : ''}`,
            );
          for (const m of v.models) console.log(`    model ${m.name} v${m.version} (from run ${m.runId})`);
        }
      } finally {
        ws.close();
      }
    });
}
