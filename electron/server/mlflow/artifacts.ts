// Runs in: main (browser-mode server). MLflow's artifact proxy (`mlflow-artifacts:` URIs): uploads
// are streamed to a temp file under a size cap and then copied into the content-addressed cache;
// downloads are checked against their hash before a byte is sent.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { artifactObject, checkArtifactName, logArtifactFile } from '../../core/tracking/artifacts';
import { artifactEntries, runRecords, type RunRecordFull } from '../../core/tracking/records';
import { sha256File } from '../../core/git/object-store';
import { BodyTooLarge, checkDeclaredLength, limitBytes } from '../../core/util/http-body';
import { TMP_DIR } from '../../core/util/layout';
import type { Workspace } from '../../core/workspace/workspace';
import { baseHeaders } from '../static-files';
import { invalid, MlflowError } from './errors';
import { type Fields, optString, sendMlflowJson } from './request';
import { checkDir } from './context';

/** The largest artifact one upload may carry. */
export const MAX_ARTIFACT_BYTES = 2 * 1024 ** 3;

interface ArtifactAddress {
  run: RunRecordFull;
  /** Relative to the run's artifact root; '' for the root itself. */
  rel: string;
}

/** `<experiment_id>/<run_id>/artifacts[/<path>]`, each part URL-decoded, checked against the store. */
function address(ws: Workspace, raw: string, wantFile: boolean): ArtifactAddress {
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
  const run = runRecords(ws.db, [runId])[0];
  if (!run || String(run.experimentId) !== exp)
    throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `Run '${runId}' of experiment ${exp} not found.`);
  return { run, rel };
}

export async function uploadArtifact(
  ws: Workspace,
  req: IncomingMessage,
  res: ServerResponse,
  raw: string,
): Promise<void> {
  const { run, rel } = address(ws, raw, true);
  if (run.deleted)
    throw new MlflowError('INVALID_STATE', `Run '${run.id}' is deleted; restore it before logging artifacts to it.`);
  const dir = path.join(ws.dir, TMP_DIR, 'uploads');
  const tmp = path.join(dir, randomBytes(8).toString('hex'));
  try {
    // The shared body limit, applied as the bytes stream to disk rather than into memory.
    checkDeclaredLength(req, MAX_ARTIFACT_BYTES);
    mkdirSync(dir, { recursive: true });
    await pipeline(
      req,
      (source: AsyncIterable<Buffer>) => limitBytes(source, MAX_ARTIFACT_BYTES),
      createWriteStream(tmp, { flags: 'wx', mode: 0o600 }),
    );
    await logArtifactFile(ws.dir, ws.db, run.id, rel, tmp);
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

export async function downloadArtifact(ws: Workspace, res: ServerResponse, raw: string, head: boolean): Promise<void> {
  const { run, rel } = address(ws, raw, true);
  const obj = artifactObject(ws.dir, ws.db, run.id, rel);
  const actual = await sha256File(obj.file);
  if (actual !== obj.hash)
    throw new MlflowError(
      'INTERNAL_ERROR',
      `The cached bytes of artifact ${rel} are corrupt (they hash to ${actual.slice(0, 12)}…, not ${obj.hash.slice(0, 12)}…); nothing was sent.`,
    );
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
export function listArtifacts(ws: Workspace, f: Fields): unknown {
  const raw = optString(f, 'path') ?? '';
  const { run, rel } = address(ws, raw, false);
  const prefix = rel === '' ? '' : `${rel}/`;
  return {
    files: artifactEntries(ws.db, run.id, rel).map((e) => {
      const name = e.path.slice(prefix.length);
      return e.isDir ? { path: name, is_dir: true } : { path: name, is_dir: false, file_size: e.size };
    }),
  };
}
