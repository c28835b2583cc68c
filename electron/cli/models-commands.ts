// Runs in: CLI (Node). `benchtop models …`: register versions from runs or paths, list and show
// them, move aliases (with the audit log), archive, restore, delete, resolve references, edit cards.
// Every command calls the contract's `models.*` methods through dispatch and only formats their
// results; flags are checked first against the same schemas, so a wrong one is named as a flag.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { z } from 'zod';
import { BenchtopError } from '../../shared/contract/errors';
import { checkAlias, checkModelName, modelsMethods, parseModelRef } from '../../shared/contract/models';
import type { ModelDetail, ModelRow, ModelVersionDetail } from '../../shared/contract/schemas';
import { bytes } from '../../shared/format/data-diff';
import { formatValue } from '../../shared/format/number';
import type { GlobalOptions } from './project';
import { insideProject } from './project-paths';
import { type Call, withProject as withCore } from './core-client';
import { collect } from './project';
import { printWireJson, table, UsageError } from './output';

function withProject<T>(cmd: Command, fn: (call: Call, json: boolean) => Promise<T>): Promise<T> {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  return withCore(opts, (call) => fn(call, Boolean(opts.json)));
}

/** What `models.update` may change, as the CLI's flags give it. */
interface VersionEdit {
  description?: string;
  intendedUse?: string;
  limitations?: string;
  predict?: string | null;
}

const FLAGS: Record<string, string> = {
  runId: '--run',
  artifact: '--path',
  intendedUse: '--intended-use-file',
  limitations: '--limitations-file',
  tags: '--tag',
  signature: '--signature',
  exclude: '--exclude',
};

/** Checks CLI input against the contract method's schema, naming the flag that is wrong. */
function validated<K extends keyof typeof modelsMethods>(
  method: K,
  raw: Record<string, unknown>,
): z.output<(typeof modelsMethods)[K]['input']> {
  const r = modelsMethods[method].input.safeParse(raw);
  if (r.success) return r.data as z.output<(typeof modelsMethods)[K]['input']>;
  const issue = r.error.issues[0]!;
  const key = String(issue.path[0] ?? '');
  const flag = FLAGS[key] ?? (key ? `--${key}` : 'the input');
  const what =
    key === 'format' ? 'a format is 1–50 letters, digits, "_", ".", "+" or "-" (onnx, pickle, sklearn)' : issue.message;
  throw new BenchtopError(
    'INVALID_INPUT',
    `${flag}${issue.path.length > 1 ? ` (${issue.path.slice(1).join('.')})` : ''}: ${what}.`,
    { field: key || undefined, hint: 'See `benchtop models COMMAND --help` for what each option takes.' },
  );
}

function parseTags(list: string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const t of list) {
    const eq = t.indexOf('=');
    if (eq < 1) throw new UsageError(`--tag needs KEY=VALUE, not "${t}".`);
    tags[t.slice(0, eq)] = t.slice(eq + 1);
  }
  return tags;
}

function parseSignature(text: string): { name: string; type: string }[] {
  return text.split(',').map((part) => {
    const colon = part.lastIndexOf(':');
    const name = part.slice(0, colon).trim();
    const type = part.slice(colon + 1).trim();
    if (colon < 1 || !name || !type)
      throw new UsageError(
        `--signature takes COLUMN:TYPE pairs separated by commas (age:integer,plan:string), not "${part}".`,
      );
    return { name, type };
  });
}

/** A bare name means the whole model to `show`; commands that change one version need it named. */
function isBareName(ref: string): boolean {
  return !/[@/]/.test(ref.trim());
}

function versionRef(call: Call, ref: string, verb: string): Promise<{ name: string; version: number }> {
  if (isBareName(ref))
    throw new UsageError(
      `\`benchtop models ${verb}\` needs one version: ${ref}/N or ${ref}@ALIAS (see \`benchtop models show ${ref}\`).`,
    );
  return call('models.resolve', { ref });
}

function parseVersionNumber(text: string): number {
  const m = /^v?(\d{1,9})$/i.exec(text);
  if (!m || Number(m[1]) < 1)
    throw new UsageError(`"${text}" is not a version number; give one such as 3 (see \`benchtop models show NAME\`).`);
  return Number(m[1]);
}

function readCardFile(file: string, flag: string): string {
  const abs = path.resolve(file);
  try {
    return readFileSync(abs, 'utf8');
  } catch {
    throw new BenchtopError('NOT_FOUND', `${flag}: cannot read ${file}.`, {
      field: flag.slice(2),
      hint: 'Give the path of a markdown file, relative to the current folder.',
    });
  }
}

const metric = (v: number | undefined): string => (v === undefined ? '-' : formatValue(v));
const when = (iso: string | null | undefined): string => (iso ? iso.slice(0, 16).replace('T', ' ') : '-');
const versionLabel = (v: number | null): string => (v === null ? '(none)' : `v${v}`);

/** Models as listed: without --archived, archived versions neither count nor can be the latest. */
async function modelRows(call: Call, archived: boolean): Promise<{ rows: ModelRow[]; hidden: number }> {
  const rows: ModelRow[] = [];
  let hidden = 0;
  for (const m of (await call('models.list', {})).models) {
    if (archived) {
      rows.push(m);
      continue;
    }
    const live = (await call('models.get', { name: m.name })).versions.filter((v) => !v.archived);
    if (live.length === 0 && m.versionCount > 0) {
      hidden++;
      continue;
    }
    rows.push({
      ...m,
      versionCount: live.length,
      latestVersion: live.length ? Math.max(...live.map((v) => v.version)) : null,
    });
  }
  return { rows, hidden };
}

function printModel(m: ModelDetail, hiddenArchived: number): void {
  console.log(
    `${m.name}  (${m.versions.length} version${m.versions.length === 1 ? '' : 's'}; updated ${when(m.updatedAt)})`,
  );
  if (m.description) console.log(m.description);
  if (m.versions.length) {
    const keys = [...new Set(m.versions.flatMap((v) => Object.keys(v.metrics)))].sort().slice(0, 5);
    const rows = [['version', 'aliases', 'format', 'size', 'run', 'created', ...keys]];
    for (const v of m.versions) {
      rows.push([
        `v${v.version}${v.archived ? ' (archived)' : ''}`,
        v.aliases.map((a) => `@${a}`).join(' ') || '-',
        v.format,
        bytes(v.size),
        v.runId ?? `(${v.source})`,
        when(v.createdAt),
        ...keys.map((k) => metric(v.metrics[k])),
      ]);
    }
    console.log(`\n${table(rows)}`);
  }
  if (hiddenArchived)
    console.log(
      `\n${hiddenArchived} archived version${hiddenArchived === 1 ? ' is' : 's are'} not shown; --archived shows ${hiddenArchived === 1 ? 'it' : 'them'}.`,
    );
  printAliasLog(m);
}

function printAliasLog(m: Pick<ModelDetail, 'name' | 'aliasLog'>): void {
  if (m.aliasLog.length === 0) {
    console.log(`\nNo alias has been set yet; set one with \`benchtop models alias ${m.name} champion VERSION\`.`);
    return;
  }
  const rows = [['when', 'alias', 'change', 'reason']];
  for (const e of m.aliasLog)
    rows.push([when(e.at), e.alias, `${versionLabel(e.fromVersion)} → ${versionLabel(e.toVersion)}`, e.reason || '-']);
  console.log(`\nalias log (newest first)\n${table(rows)}`);
}

function printVersion(v: ModelVersionDetail): void {
  console.log(
    `${v.name}/${v.version}${v.aliases.map((a) => `  @${a}`).join('')}${v.archived ? `  (archived ${when(v.archivedAt)})` : ''}`,
  );
  const facts: [string, string][] = [
    [
      'artifact',
      `${v.artifact.path} (${v.artifact.kind}${v.artifact.kind === 'folder' ? ` of ${v.files} files` : ''}, sha256 ${v.artifact.hash.slice(0, 12)})`,
    ],
    ['format', v.format],
    ['size', bytes(v.size)],
    [
      'source',
      v.source === 'run'
        ? `run ${v.runId}${v.runName ? ` (${v.runName})` : v.runId ? ' (deleted)' : ''}`
        : v.runId
          ? `${v.source}, run ${v.runId}`
          : v.source,
    ],
    ['commit', v.gitCommit ? v.gitCommit.slice(0, 12) : '-'],
    ['created', when(v.createdAt)],
  ];
  if (v.predict) facts.push(['predict', v.predict]);
  if (v.description) facts.push(['description', v.description]);
  const width = Math.max(...facts.map(([k]) => k.length));
  for (const [k, val] of facts) console.log(`${k.padEnd(width)}  ${val}`);
  const section = (title: string, entries: [string, string][]): void => {
    if (entries.length === 0) return;
    console.log(`\n${title}`);
    for (const [k, val] of entries) console.log(`  ${k} = ${val}`);
  };
  section('params', Object.entries(v.params));
  section(
    'metrics',
    Object.entries(v.metrics).map(([k, x]) => [k, metric(x)]),
  );
  if (v.data.length) {
    console.log('\ndata versions');
    for (const d of v.data)
      console.log(`  ${d.dataset} @ ${d.version.slice(0, 12)}${d.context ? ` (${d.context})` : ''}`);
  }
  if (v.signature) {
    console.log(`\nsignature (${v.signature.source})`);
    for (const c of v.signature.inputs) console.log(`  ${c.name}: ${c.type}`);
  }
  section('tags', Object.entries(v.tags));
  if (v.intendedUse) console.log(`\nintended use\n${v.intendedUse.trimEnd()}`);
  if (v.limitations) console.log(`\nlimitations\n${v.limitations.trimEnd()}`);
}

const aliasList = (aliases: { alias: string; version: number }[]): string =>
  aliases.map((a) => `${a.alias}→v${a.version}`).join(', ') || '-';

interface RegisterOptions {
  run?: string;
  path: string;
  format?: string;
  description?: string;
  tag?: string[];
  signature?: string;
  exclude?: string[];
  predict?: string;
  fromCache?: boolean;
  alias?: string;
  reason?: string;
}

interface UpdateOptions {
  description?: string;
  intendedUseFile?: string;
  limitationsFile?: string;
  predict?: string | false;
}

/** Creates `benchtop models` with its sub-commands and returns it, so more can be added (bundles). */
export function registerModelsCommands(program: Command): Command {
  const models = program
    .command('models')
    .description('the model registry: list, show, register, alias, aliases, archive, restore, delete, resolve, update')
    .addHelpText(
      'after',
      `
References: NAME@ALIAS (churn@champion), NAME/N (churn/3), NAME@latest (the newest version not
archived), each also after models:/ (models:/churn@champion). \`latest\` and v followed by digits
are reserved and cannot be aliases.`,
    )
    .exitOverride();

  models
    .command('list')
    .description('registered models: versions, latest version, aliases, last change')
    .option('--archived', 'count archived versions too (and list models whose every version is archived)')
    .exitOverride()
    .action((o: { archived?: boolean }, cmd: Command) =>
      withProject(cmd, async (call, json) => {
        const { rows, hidden } = await modelRows(call, Boolean(o.archived));
        if (json) return printWireJson({ models: rows });
        if (rows.length === 0 && hidden === 0) {
          console.log(
            'No registered models yet. Register one with `benchtop models register NAME --run RUN --path ARTIFACT`.',
          );
          return;
        }
        const out = [['name', 'versions', 'latest', 'aliases', 'updated']];
        for (const m of rows)
          out.push([
            m.name,
            String(m.versionCount),
            versionLabel(m.latestVersion),
            aliasList(m.aliases),
            when(m.updatedAt),
          ]);
        console.log(table(out));
        if (hidden)
          console.log(
            `${hidden} model${hidden === 1 ? ' has' : 's have'} only archived versions; --archived lists ${hidden === 1 ? 'it' : 'them'}.`,
          );
      }),
    );

  models
    .command('show')
    .description(
      'a model (NAME: its versions, aliases and alias log) or one version (NAME@ALIAS, NAME/N, models:/…: artifact, run, params, metrics, data, commit, signature)',
    )
    .argument('<ref>', 'NAME, NAME@ALIAS, NAME/N or models:/…')
    .option('--archived', 'for a model, list its archived versions too')
    .exitOverride()
    .action((ref: string, o: { archived?: boolean }, cmd: Command) =>
      withProject(cmd, async (call, json) => {
        if (isBareName(ref)) {
          const m = await call('models.get', { name: checkModelName(ref.trim()) });
          const shown = o.archived ? m : { ...m, versions: m.versions.filter((v) => !v.archived) };
          if (json) return printWireJson(shown);
          return printModel(shown, m.versions.length - shown.versions.length);
        }
        const v = await call('models.version', await call('models.resolve', { ref }));
        if (json) return printWireJson(v);
        printVersion(v);
      }),
    );

  models
    .command('register')
    .description(
      "register a new version: a run's artifact (--run RUN --path ARTIFACT) or a file or folder in the project (--path)",
    )
    .argument('<name>', 'the model name (created on its first version)')
    .requiredOption(
      '--path <path>',
      "with --run, the artifact's path in the run (a file or a folder of them); without, a file or folder relative to the current folder",
    )
    .option(
      '--run <run>',
      'the run the artifact belongs to; its params, metrics, data versions and commit are copied into the version',
    )
    .option('--format <format>', 'the artifact format (default: told from the file name or the folder)')
    .option('--description <text>', 'what this version is')
    .option('--tag <key=value>', 'a tag (repeatable)', collect)
    .option(
      '--signature <col:type,...>',
      "the input columns (default: read from the run's training data pointer schema)",
    )
    .option(
      '--exclude <column>',
      'a column of the training data that is not an input, such as the target (repeatable)',
      collect,
    )
    .option('--predict <command>', 'the command that answers requests (JSON lines on stdin)')
    .option(
      '--from-cache',
      "with --run and a pipeline output: the bytes the run wrote, from the run cache (checked against the run's hash), even if a later run overwrote the file",
    )
    .option('--alias <alias>', 'also point this alias at the new version')
    .option('--reason <text>', 'why, for the alias audit log (with --alias)')
    .exitOverride()
    .action((name: string, o: RegisterOptions, cmd: Command) => {
      if (o.reason !== undefined && o.alias === undefined) throw new UsageError('--reason goes with --alias.');
      checkModelName(name);
      const tags = parseTags(o.tag ?? []);
      const signature = o.signature === undefined ? undefined : parseSignature(o.signature);
      const input = validated('models.register', {
        name,
        ...(o.run !== undefined ? { runId: o.run, artifact: o.path } : {}),
        ...(o.format !== undefined ? { format: o.format } : {}),
        ...(o.description !== undefined ? { description: o.description } : {}),
        tags,
        ...(signature ? { signature } : {}),
        exclude: o.exclude ?? [],
        ...(o.predict !== undefined ? { predict: o.predict } : {}),
        ...(o.fromCache ? { fromCache: true } : {}),
      });
      // Checked before anything is written, so a bad alias leaves no version behind.
      if (o.alias !== undefined) checkAlias(o.alias);
      if (o.reason !== undefined) validated('models.setAlias', { name, alias: o.alias, version: 1, reason: o.reason });
      return withProject(cmd, async (call, json) => {
        const { version } = await call('models.register', {
          ...input,
          ...(o.run === undefined ? { path: await insideProject(call, o.path) } : {}),
        });
        if (o.alias !== undefined)
          await call('models.setAlias', { name, alias: o.alias, version, reason: o.reason ?? '' });
        const v = await call('models.version', { name, version });
        if (json) return printWireJson(v);
        console.log(
          `Registered ${name} v${version}${o.alias ? ` as @${o.alias}` : ''} (${v.format}, ${bytes(v.size)}${v.runId ? `, from run ${v.runId}` : ''}).`,
        );
        if (!v.signature)
          console.log(
            `No input signature: ${v.runId ? 'the run read no tracked table with a schema, and ' : ''}no --signature col:type,… was given.`,
          );
      });
    });

  models
    .command('alias')
    .description(
      'point an alias at a version (set or move it), or remove it with --remove; every change goes to the audit log',
    )
    .argument('<name>', 'the model')
    .argument('<alias>', 'champion, challenger, production… (not latest or v<digits>)')
    .argument('[version]', 'the version number (3 or v3)')
    .option('--remove', 'remove the alias instead')
    .option('--reason <text>', 'why, for the audit log')
    .exitOverride()
    .action(
      (
        name: string,
        alias: string,
        version: string | undefined,
        o: { remove?: boolean; reason?: string },
        cmd: Command,
      ) => {
        if (o.remove && version !== undefined) throw new UsageError('`models alias --remove` takes no version.');
        if (!o.remove && version === undefined)
          throw new UsageError(
            `Say which version ${alias} should point to: \`benchtop models alias ${name} ${alias} VERSION\` (or --remove).`,
          );
        checkModelName(name);
        checkAlias(alias);
        const n = version === undefined ? 1 : parseVersionNumber(version);
        const input = validated(o.remove ? 'models.removeAlias' : 'models.setAlias', {
          name,
          alias,
          ...(o.remove ? {} : { version: n }),
          ...(o.reason !== undefined ? { reason: o.reason } : {}),
        });
        return withProject(cmd, async (call, json) => {
          // Where the alias pointed before, for the message: the CLI holds the project lock, so
          // nothing moves it between this read and the change.
          const before = await call('models.get', { name }).catch(() => null);
          const was = before?.aliases.find((a) => a.alias === alias)?.version ?? null;
          let message: string;
          let after: ModelDetail;
          if (o.remove) {
            after = await call('models.removeAlias', { name, alias, reason: input.reason });
            message = `Removed ${name}@${alias} (it pointed to v${was}).`;
          } else {
            after = await call('models.setAlias', { name, alias, version: n, reason: input.reason });
            message =
              was === n
                ? `${name}@${alias} already points to v${n}; nothing changed.`
                : `${name}@${alias} → v${n}${was === null ? '' : ` (moved from v${was})`}.`;
          }
          if (json) return printWireJson(after);
          console.log(message);
        });
      },
    );

  models
    .command('aliases')
    .description("a model's aliases and their audit log: when, from which version to which, and why")
    .argument('<name>', 'the model')
    .exitOverride()
    .action((name: string, _o: unknown, cmd: Command) =>
      withProject(cmd, async (call, json) => {
        const m = await call('models.get', { name: checkModelName(name) });
        if (json) return printWireJson({ name: m.name, aliases: m.aliases, aliasLog: m.aliasLog });
        console.log(`${m.name}: ${aliasList(m.aliases)}`);
        printAliasLog(m);
      }),
    );

  const lifecycle = (
    verb: 'archive' | 'restore',
    method: 'models.archive' | 'models.restore',
    done: string,
    description: string,
  ): void => {
    models
      .command(verb)
      .description(description)
      .argument('<ref>', 'NAME/N or NAME@ALIAS')
      .exitOverride()
      .action((ref: string, _o: unknown, cmd: Command) =>
        withProject(cmd, async (call, json) => {
          const { name, version } = await versionRef(call, ref, verb);
          const v = await call(method, { name, version });
          if (json) return printWireJson(v);
          console.log(`${done} ${name}/${version}.`);
        }),
      );
  };
  lifecycle(
    'archive',
    'models.archive',
    'Archived',
    'archive a version: hidden from lists, kept with its lineage; refused while an alias points to it',
  );
  lifecycle('restore', 'models.restore', 'Restored', 'bring an archived version back');

  models
    .command('delete')
    .description(
      'delete a version for good, without asking; refused while an alias points to it (move or remove the alias first). Its artifact stays in the cache until `benchtop data gc`',
    )
    .argument('<ref>', 'NAME/N (or NAME@ALIAS, which is always refused)')
    .exitOverride()
    .action((ref: string, _o: unknown, cmd: Command) =>
      withProject(cmd, async (call, json) => {
        const { name, version } = await versionRef(call, ref, 'delete');
        await call('models.delete', { name, version });
        if (json) return printWireJson({ name, version });
        console.log(`Deleted ${name}/${version}. Its artifact stays in the cache until \`benchtop data gc\`.`);
      }),
    );

  models
    .command('resolve')
    .description('the version a reference names, as NAME/N')
    .argument('<ref>', 'NAME@ALIAS, NAME/N, NAME (the latest version not archived), or any of them after models:/')
    .exitOverride()
    .action((ref: string, _o: unknown, cmd: Command) =>
      withProject(cmd, async (call, json) => {
        parseModelRef(ref);
        const r = await call('models.resolve', { ref });
        if (json) return printWireJson(r);
        console.log(`${r.name}/${r.version}`);
      }),
    );

  models
    .command('update')
    .description("edit a version's description, model card (intended use, limitations, in markdown) or predict command")
    .argument('<ref>', 'NAME/N or NAME@ALIAS')
    .option('--description <text>', 'replace the description')
    .option('--intended-use-file <file.md>', "replace the card's intended use with this markdown file")
    .option('--limitations-file <file.md>', "replace the card's limitations with this markdown file")
    .option('--predict <command>', 'replace the predict command')
    .option('--no-predict', 'remove the predict command')
    .exitOverride()
    .action((ref: string, o: UpdateOptions, cmd: Command) => {
      const edit: VersionEdit = {};
      if (o.description !== undefined) edit.description = o.description;
      if (o.intendedUseFile !== undefined) edit.intendedUse = readCardFile(o.intendedUseFile, '--intended-use-file');
      if (o.limitationsFile !== undefined) edit.limitations = readCardFile(o.limitationsFile, '--limitations-file');
      if (typeof o.predict === 'string') edit.predict = o.predict;
      if (o.predict === false) edit.predict = null;
      if (Object.keys(edit).length === 0)
        throw new UsageError(
          'Say what to change: --description, --intended-use-file, --limitations-file, --predict or --no-predict.',
        );
      return withProject(cmd, async (call, json) => {
        const { name, version } = await versionRef(call, ref, 'update');
        validated('models.update', { name, version, ...edit });
        const v = await call('models.update', { name, version, ...edit });
        if (json) return printWireJson(v);
        console.log(
          `Updated ${name}/${version}: ${Object.keys(edit)
            .map(
              (k) =>
                ({
                  description: 'description',
                  intendedUse: 'intended use',
                  limitations: 'limitations',
                  predict: 'predict command',
                })[k],
            )
            .join(', ')}.`,
        );
      });
    });

  return models;
}
