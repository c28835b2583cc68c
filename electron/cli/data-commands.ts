// Runs in: CLI (Node). `benchtop data …`: track data, see its status, commit versions, list them,
// restore one, and verify the cache. Paths are relative to where the command runs.
import path from 'node:path';
import type { Command } from 'commander';
import { DATA_LINK_MODES, type DataLinkMode, type DataRemote } from '../../shared/contract/data';
import { BenchtopError } from '../../shared/contract/errors';
import type { EventPayload } from '../../shared/contract/events';
import { bytes, describeDiff } from '../../shared/format/data-diff';
import type { Core } from '../core/app/core';
import type { GlobalOptions } from './project';
import { withProject } from './core-client';
import { printJson, table } from './output';
import { projectPath, projectPaths } from './project-paths';

/** The rev `data diff` takes for the files on disk (the core's name for it). */
const WORKSPACE = 'workspace';

/**
 * While `fn` runs, the core's `data.progress` events of `op` as one line on a terminal, rewritten
 * in place; nothing when stderr is not a terminal.
 */
async function withProgress<T>(
  core: Core,
  op: EventPayload<'data.progress'>['op'],
  label: (path: string) => string,
  fn: () => Promise<T>,
): Promise<T> {
  let last = 0;
  const unsubscribe = core.events.subscribe((e) => {
    if (e.name !== 'data.progress' || e.payload.op !== op || !process.stderr.isTTY) return;
    const { path: p, done, total } = e.payload;
    const now = Date.now();
    if (done < total && now - last < 100) return;
    last = now;
    process.stderr.write(`\r${label(p)} ${done}/${total}${done === total ? '\n' : ''}`);
  });
  try {
    return await fn();
  } finally {
    unsubscribe();
  }
}

/** The open project's folder (paths on the command line are turned relative to it). */
const projectDir = (core: Core): string => core.project!.dir;

function parseLinkMode(value: string): DataLinkMode {
  if ((DATA_LINK_MODES as readonly string[]).includes(value)) return value as DataLinkMode;
  throw new BenchtopError('INVALID_INPUT', `"${value}" is not a link mode.`, {
    field: 'link',
    hint: `Use one of: ${DATA_LINK_MODES.join(', ')}.`,
  });
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
      await withProject(opts, async (call, core) => {
        const { results } = await withProgress(
          core,
          'add',
          (p) => `hashing ${p}`,
          () => call('data.add', { paths: projectPaths(projectDir(core), paths), absorb: Boolean(o.absorb) }),
        );
        if (opts.json)
          return printJson(
            results.map((r) => ({
              path: r.path,
              pointer: r.pointer,
              status: r.status,
              ...r.data,
              ...(r.repaired.length ? { repaired: r.repaired } : {}),
              ...(r.schemaProblem ? { schemaProblem: r.schemaProblem } : {}),
            })),
          );
        for (const r of results) {
          const shape = r.data.schema ? `, ${r.data.schema.rows} rows × ${r.data.schema.columns.length} columns` : '';
          const files = r.data.kind === 'folder' ? `, ${r.data.files} files` : '';
          console.log(
            `${r.status === 'unchanged' ? 'Unchanged' : r.status === 'added' ? 'Tracked' : 'Updated'} ${r.path} (${bytes(r.data.size)}${files}${shape}) → ${r.pointer}`,
          );
          for (const f of r.repaired)
            console.log(`Repaired the cache object for ${f}: its bytes did not match their hash.`);
          if (r.schemaProblem)
            console.log(`${r.path} is tracked, but its table summary could not be read: ${r.schemaProblem}`);
        }
        if (results.some((r) => r.status !== 'unchanged'))
          console.log('Commit the new version with `benchtop data commit -m "what changed"`.');
      });
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
      await withProject(opts, async (call, core) => {
        const { untracked } = await call('data.untrack', { paths: projectPaths(projectDir(core), paths) });
        if (opts.json) return printJson({ untracked });
        for (const r of untracked) console.log(`Stopped tracking ${r}; the data and its cached versions are kept.`);
        console.log('Commit the change with `benchtop data commit -m "what changed"`.');
      });
    });

  data
    .command('status')
    .description('tracked data: unchanged, modified, deleted, missing from the cache; pointers not yet committed')
    .argument('[paths...]', 'only these tracked paths')
    .exitOverride()
    .action(async (paths: string[], _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withProject(opts, async (call, core) => {
        const { items: rows } = await call(
          'data.tracked',
          paths.length ? { paths: projectPaths(projectDir(core), paths) } : {},
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
      });
    });

  data
    .command('commit')
    .description('commit the changed .bt pointers to git as a new data version')
    .requiredOption('-m, --message <message>', 'what changed in the data')
    .exitOverride()
    .action(async (o: { message: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withProject(opts, async (call) => {
        const r = await call('data.commit', { message: o.message });
        // Nothing to commit is `null` in --json, as it always was.
        const result = r.commit === null ? null : { commit: r.commit, pointers: r.pointers };
        if (opts.json) return printJson(result);
        console.log(
          result
            ? `Committed ${result.pointers.length} pointer${result.pointers.length === 1 ? '' : 's'} as ${result.commit.slice(0, 7)}.`
            : 'Nothing to commit: every pointer is as committed.',
        );
      });
    });

  data
    .command('log')
    .description('versions of tracked data: commit, date, message, size, rows')
    .argument('<path>', 'a tracked file or folder')
    .exitOverride()
    .action(async (p: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withProject(opts, async (call, core) => {
        const { versions } = await call('data.log', { path: projectPath(projectDir(core), p, 'path') });
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
      });
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
      await withProject(opts, async (call, core) => {
        const key = o.key === undefined ? {} : { key: o.key };
        const diffs =
          p === undefined
            ? (await call('data.diffAll', { from: revA, to: revB, ...key })).diffs
            : [
                await call('data.diff', {
                  from: revA,
                  to: revB,
                  path: projectPath(projectDir(core), p, 'path'),
                  ...key,
                }),
              ];
        if (opts.json) return printJson(p ? diffs[0] : diffs);
        if (diffs.length === 0) {
          console.log(`No tracked data differs between ${revA} and ${revB}.`);
          return;
        }
        console.log(diffs.map(describeDiff).join('\n\n'));
      });
    });

  data
    .command('checkout')
    .description('restore the data of a version (hashes verified; unsaved changes are kept unless --force)')
    .argument('<rev>', 'a commit (or its first digits), branch or tag')
    .argument('[paths...]', 'only these tracked paths')
    .option('-f, --force', 'overwrite changes that no version saved')
    .option(
      '--link <mode>',
      `how files reach the workspace: ${DATA_LINK_MODES.join(' | ')} (default: data.link in .benchtop/config.yaml, else copy)`,
    )
    .option('--verify', 'rehash every object, even those unchanged since their bytes last matched')
    .exitOverride()
    .action(
      async (rev: string, paths: string[], o: { force?: boolean; link?: string; verify?: boolean }, cmd: Command) => {
        const opts = cmd.optsWithGlobals<GlobalOptions>();
        const link = o.link === undefined ? undefined : parseLinkMode(o.link);
        await withProject(opts, async (call, core) => {
          const result = await withProgress(
            core,
            'checkout',
            (p) => `restoring ${p}`,
            () =>
              call('data.checkout', {
                rev,
                paths: projectPaths(projectDir(core), paths),
                force: Boolean(o.force),
                verify: Boolean(o.verify),
                ...(link ? { link } : {}),
              }),
          );
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
        });
      },
    );

  data
    .command('verify')
    .description('rehash every object in the cache and name the corrupt ones')
    .exitOverride()
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withProject(opts, async (call, core) => {
        const result = await withProgress(
          core,
          'verify',
          () => 'verifying',
          () => call('data.verify', {}),
        );
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
      });
    });

  data
    .command('unlink')
    .description('turn hardlinks and symlinks into the cache back into plain, writable copies')
    .argument('<paths...>', 'tracked files or folders')
    .exitOverride()
    .action(async (paths: string[], _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withProject(opts, async (call, core) => {
        const { results } = await call('data.unlink', { paths: projectPaths(projectDir(core), paths) });
        if (opts.json) return printJson(results);
        for (const r of results)
          console.log(
            r.copied
              ? `Copied ${r.copied} linked file${r.copied === 1 ? '' : 's'} of ${r.path}; they are writable now.`
              : `${r.path} has no links into the cache.`,
          );
      });
    });

  registerTransferCommands(data);
}

function printRemotes(remotes: DataRemote[]): void {
  if (remotes.length === 0) {
    console.log(
      'No data remotes. Add one with `benchtop data remote add NAME PATH` (a folder, or s3://BUCKET/PREFIX).',
    );
    return;
  }
  const out = [['name', 'kind', 'where', 'default', 'folder']];
  for (const r of remotes) {
    const s3 = [
      r.endpoint && `endpoint ${r.endpoint}`,
      r.profile && `profile ${r.profile}`,
      r.region && `region ${r.region}`,
    ]
      .filter(Boolean)
      .join(', ');
    out.push([
      r.name,
      r.kind,
      r.kind === 's3' ? `${r.url}${s3 ? ` (${s3})` : ''}` : r.url === r.path ? r.path : `${r.url} (${r.path})`,
      r.isDefault ? 'yes' : '',
      r.kind === 's3' ? '' : r.exists ? 'ok' : 'missing',
    ]);
  }
  console.log(table(out));
}

/** `data remote …`, `push`, `pull`, `gc` and `usage`. */
function registerTransferCommands(data: Command): void {
  const remote = data
    .command('remote')
    .description('data remotes: folders on a local disk, NAS mount or USB drive, or S3-compatible buckets')
    .exitOverride();
  remote
    .command('add')
    .description(
      'add a remote folder (created when missing; a relative path is kept relative to the project) or an S3-compatible bucket, s3://BUCKET/PREFIX',
    )
    .argument('<name>', 'letters, digits, - and _')
    .argument('<path>', 'a folder outside the project, or s3://BUCKET/PREFIX')
    .option('-d, --default', 'use it when no --remote is given')
    .option('--endpoint <url>', 'S3: the endpoint of MinIO, R2, Ceph… (path-style addressing)')
    .option('--profile <name>', 'S3: the AWS profile whose credentials to use (~/.aws/credentials)')
    .option('--region <region>', 'S3: the region (auto for R2)')
    .exitOverride()
    .action(
      async (
        name: string,
        p: string,
        o: { default?: boolean; endpoint?: string; profile?: string; region?: string },
        cmd: Command,
      ) => {
        const opts = cmd.optsWithGlobals<GlobalOptions>();
        await withProject(opts, async (call, core) => {
          // A relative path is typed from here and kept relative to the project (so clones share it).
          const where =
            path.isAbsolute(p) || p.trim() === '' || /^s3:\/\//i.test(p)
              ? p
              : path.relative(projectDir(core), path.resolve(p)) || '.';
          const { remotes } = await call('data.remoteAdd', {
            name,
            path: where,
            default: Boolean(o.default),
            ...(o.endpoint === undefined ? {} : { endpoint: o.endpoint }),
            ...(o.profile === undefined ? {} : { profile: o.profile }),
            ...(o.region === undefined ? {} : { region: o.region }),
          });
          if (opts.json) return printJson(remotes);
          const added = remotes.find((r) => r.name === name)!;
          console.log(
            `Added remote ${name} → ${added.path}${added.isDefault ? ' (default)' : ''}. Commit .benchtop/config.yaml to share it with clones.`,
          );
        });
      },
    );
  remote
    .command('list')
    .description('remotes of this project')
    .exitOverride()
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withProject(opts, async (call) => {
        const { remotes } = await call('data.remotes', {});
        if (opts.json) return printJson(remotes);
        printRemotes(remotes);
      });
    });
  remote
    .command('remove')
    .description('forget a remote (its folder and the objects in it stay)')
    .argument('<name>')
    .exitOverride()
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withProject(opts, async (call) => {
        const { remotes } = await call('data.remoteRemove', { name });
        if (opts.json) return printJson(remotes);
        console.log(`Removed remote ${name}; its folder was left as it was.`);
      });
    });
  remote
    .command('default')
    .description('use this remote when no --remote is given')
    .argument('<name>')
    .exitOverride()
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withProject(opts, async (call) => {
        const { remotes } = await call('data.remoteDefault', { name });
        if (opts.json) return printJson(remotes);
        console.log(`${name} is now the default remote.`);
      });
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
      await withProject(opts, async (call, core) => {
        const r = await withProgress(
          core,
          'push',
          () => 'pushing',
          () =>
            call('data.push', {
              ...(o.remote === undefined ? {} : { remote: o.remote }),
              paths: projectPaths(projectDir(core), paths),
            }),
        );
        if (opts.json) return printJson(r);
        console.log(
          `Pushed ${r.transferred} object${r.transferred === 1 ? '' : 's'} (${bytes(r.bytes)}) to ${r.remote}; ${r.present} of ${r.objects} were there already.`,
        );
      });
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
      await withProject(opts, async (call, core) => {
        const r = await withProgress(
          core,
          'pull',
          () => 'pulling',
          () =>
            call('data.pull', {
              ...(o.remote === undefined ? {} : { remote: o.remote }),
              paths: projectPaths(projectDir(core), paths),
              checkout: o.checkout,
              force: Boolean(o.force),
            }),
        );
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
      });
    });

  data
    .command('gc')
    .description(
      'remove cache objects (or, with --remote, objects on a remote) that no commit, working-tree pointer, run or registered model refers to',
    )
    .option('-n, --dry-run', 'only say what would be freed')
    .option('-r, --remote <name>', 'clean this remote instead of the cache')
    .option(
      '--keep-recent <minutes>',
      'keep unreferenced objects written less than this long ago (a data add may be under way)',
      '10',
    )
    .exitOverride()
    .action(async (o: { dryRun?: boolean; keepRecent: string; remote?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const minutes = Number(o.keepRecent);
      if (!Number.isFinite(minutes) || minutes < 0)
        throw new BenchtopError('INVALID_INPUT', `--keep-recent ${o.keepRecent} is not a number of minutes.`, {
          field: 'keep-recent',
          hint: 'For example --keep-recent 0 to consider every object.',
        });
      await withProject(opts, async (call) => {
        const r = await call('data.gc', {
          dryRun: Boolean(o.dryRun),
          graceMinutes: minutes,
          ...(o.remote === undefined ? {} : { remote: o.remote }),
        });
        if (opts.json) return printJson(r);
        const what = `${r.removed} object${r.removed === 1 ? '' : 's'} (${bytes(r.bytes)})`;
        const on = r.remote ? ` on ${r.remote}` : '';
        if (r.dryRun) for (const x of r.removedObjects ?? []) console.log(`would remove ${x.hash}  ${bytes(x.size)}`);
        console.log(
          r.dryRun
            ? `Would free ${what}${on}; ${r.kept} of ${r.objects} objects are kept.`
            : `Freed ${what}${on}; ${r.kept} of ${r.objects} objects are kept.`,
        );
        if (r.recent)
          console.log(
            `${r.recent} unreferenced object${r.recent === 1 ? ' is' : 's are'} newer than ${minutes} minutes and kept (--keep-recent).`,
          );
        if (r.unreadableManifests)
          console.log(
            `${r.unreadableManifests} folder version${r.unreadableManifests === 1 ? '' : 's'} of past commits ${r.unreadableManifests === 1 ? 'is' : 'are'} not in this cache, so ${r.unreadableManifests === 1 ? 'its' : 'their'} files could not be listed.`,
          );
      });
    });

  data
    .command('usage')
    .description('for each version of a tracked path: the runs that read it and the model versions they made')
    .argument('<path>', 'a tracked file or folder')
    .exitOverride()
    .action(async (p: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withProject(opts, async (call, core) => {
        const u = await call('data.usage', { path: projectPath(projectDir(core), p, 'path') });
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
      });
    });
}
