// Runs in: main (browser-mode server). MLflow's artifact proxy (`mlflow-artifacts:` URIs): uploads
// are streamed to a temp file under a size cap and then copied into the content-addressed cache;
// downloads are checked against their hash before a byte is sent.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { RunRecord as RunRecordFull } from '../../../shared/contract/tracking';
import { checkArtifactName } from '../../../shared/tracking/limits';
import type { Core } from '../../core/app/core';
import { UPLOADS_DIR } from '../../core/util/layout';
import { BodyTooLarge, checkDeclaredLength, limitBytes } from '../../core/util/http-body';
import { baseHeaders } from '../static-files';
import { invalid, MlflowError } from './errors';
import { type Fields, optString, sendMlflowJson } from './request';
import { call, checkDir } from './context';

/** The largest artifact one upload may carry. */
export const MAX_ARTIFACT_BYTES = 2 * 1024 ** 3;

interface ArtifactAddress {
  run: RunRecordFull;
  /** Relative to the run's artifact root; '' for the root itself. */
  rel: string;
}

/** `<experiment_id>/<run_id>/artifacts[/<path>]`, each part URL-decoded, checked against the store. */
async function address(core: Core, raw: string, wantFile: boolean): Promise<ArtifactAddress> {
  const parts = raw.replace(/^\/+/, '').split('/');
  let decoded: string[];
  try {
    decoded = parts.map((p) => decodeURIComponent(p));
  } catch {
    throw invalid(`"${raw.slice(0, 200)}" is not a valid artifact path (bad % escape).`);
  }
  const [exp, runId, root, ...rest] = decoded;
  if (!exp || !runId || root !== 'artifacts')
    throw invalid(
      `"${raw.slice(0, 200)}" is not an artifact path of a run; expected <experiment_id>/<run_id>/artifacts/<path>.`,
    );
  // Before the run lookup, so a traversal attempt is refused as such whatever run it names.
  const joined = rest.join('/').replace(/\/+$/, '');
  const rel = wantFile ? checkArtifactName(joined) : joined === '' ? '' : checkDir(joined);
  const run = runId.length > 200 ? undefined : (await call({ core }, 'runs.records', { ids: [runId] })).runs[0];
  if (!run || String(run.experimentId) !== exp)
    throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `Run '${runId}' of experiment ${exp} not found.`);
  return { run, rel };
}

export async function uploadArtifact(
  core: Core,
  req: IncomingMessage,
  res: ServerResponse,
  raw: string,
): Promise<void> {
  const { run, rel } = await address(core, raw, true);
  if (run.deleted)
    throw new MlflowError('INVALID_STATE', `Run '${run.id}' is deleted; restore it before logging artifacts to it.`);
  // In the project's upload folder, where runs.logUpload finds it by its token.
  const projectDir = core.project?.dir;
  if (!projectDir) throw new MlflowError('INVALID_STATE', 'No project is open in Benchtop; open one first.');
  const dir = path.join(projectDir, UPLOADS_DIR);
  const token = randomBytes(8).toString('hex');
  const tmp = path.join(dir, token);
  try {
    // The shared body limit, applied as the bytes stream to disk rather than into memory.
    checkDeclaredLength(req, MAX_ARTIFACT_BYTES);
    mkdirSync(dir, { recursive: true });
    await pipeline(
      req,
      (source: AsyncIterable<Buffer>) => limitBytes(source, MAX_ARTIFACT_BYTES),
      createWriteStream(tmp, { flags: 'wx', mode: 0o600 }),
    );
    await call({ core }, 'runs.logUpload', { runId: run.id, upload: token, name: rel });
  } catch (err) {
    if (!(err instanceof BodyTooLarge)) throw err;
    throw new MlflowError(
      'INVALID_PARAMETER_VALUE',
      err.declared !== null
        ? `The artifact is ${err.declared} bytes; the limit for one upload is ${MAX_ARTIFACT_BYTES} bytes.`
        : `The artifact is larger than the limit of ${MAX_ARTIFACT_BYTES} bytes for one upload.`,
      err.status,
    );
  } finally {
    rmSync(tmp, { force: true });
  }
  sendMlflowJson(res, 200, {});
}

export async function downloadArtifact(core: Core, res: ServerResponse, raw: string, head: boolean): Promise<void> {
  const { run, rel } = await address(core, raw, true);
  // The core checks the cached bytes against their hash (corrupt ones are refused, nothing sent).
  const obj = await call({ core }, 'runs.artifactFile', { runId: run.id, path: rel });
  res.writeHead(200, {
    ...baseHeaders(),
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(obj.size),
    'Content-Disposition': `attachment; filename="${path.posix.basename(rel).replace(/["\\\r\n]/g, '_')}"`,
    'Cache-Control': 'no-store',
  });
  if (head) return void res.end();
  await pipeline(createReadStream(obj.file), res);
}

/** The proxy's listing: entries directly in the folder, named relative to it. */
export async function listArtifacts(core: Core, f: Fields): Promise<unknown> {
  const raw = optString(f, 'path') ?? '';
  const { run, rel } = await address(core, raw, false);
  const prefix = rel === '' ? '' : `${rel}/`;
  const { entries } = await call({ core }, 'runs.artifactEntries', { runId: run.id, dir: rel });
  return {
    files: entries.map((e) => {
      const name = e.path.slice(prefix.length);
      return e.isDir ? { path: name, is_dir: true } : { path: name, is_dir: false, file_size: e.size };
    }),
  };
}
