// Runs in: main (core). An S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, Ceph) as a data
// remote: objects under `<prefix>/<2 hex>/<62 hex>`, the cache's own layout, so a key names the
// sha256 of its bytes. Credentials come from the standard AWS chain (environment, shared
// credentials and config files, profiles); the config only says where the bucket is.
//
// What is verified when: a cache object is hashed as it is read for upload and refused when it
// does not match its name; after an upload, HeadObject must report the size sent (the sha256 also
// travels as x-amz-meta-sha256, for people and tools reading the bucket); a download is written to
// a temp file, hashed while written, and renamed into the cache only when its size and sha256 match
// its name. A push skips objects the bucket lists with the cache's size.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, rmSync, statSync } from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { BenchtopError } from '../../../shared/contract/errors';
import { moveIntoPlace } from '../util/atomic-write';
import { parseS3Url, type Remote } from './remotes';

export interface S3Tuning {
  /** Objects this large or larger go up in parts. */
  multipartThreshold: number;
  partSize: number;
  /** Keys asked for per ListObjectsV2 page (S3's own cap is 1000). */
  pageSize: number;
}

const MIB = 1024 * 1024;
export const DEFAULT_S3_TUNING: S3Tuning = { multipartThreshold: 64 * MIB, partSize: 16 * MIB, pageSize: 1000 };
/** S3 refuses parts under 5 MiB (but the last). */
const MIN_PART = 5 * MIB;

export interface RemoteObject {
  hash: string;
  size: number;
  mtimeMs: number;
}

const HASH_KEY = /([0-9a-f]{2})\/([0-9a-f]{62})$/;

type Sdk = typeof import('@aws-sdk/client-s3');

/** One bucket and prefix, reached with the SDK's default credential chain (or the remote's profile). */
export class S3Objects {
  readonly bucket: string;
  readonly prefix: string;
  private client: Promise<{ sdk: Sdk; client: S3Client }> | null = null;

  constructor(
    readonly remote: Remote,
    readonly tuning: S3Tuning = DEFAULT_S3_TUNING,
  ) {
    const loc = parseS3Url(remote.url);
    this.bucket = loc.bucket;
    this.prefix = loc.prefix;
    if (tuning.partSize < MIN_PART)
      throw new BenchtopError('INVALID_INPUT', `Parts must be at least 5 MiB; ${tuning.partSize} bytes was asked.`);
  }

  keyOf(hash: string): string {
    const rel = `${hash.slice(0, 2)}/${hash.slice(2)}`;
    return this.prefix ? `${this.prefix}/${rel}` : rel;
  }

  private connect(): Promise<{ sdk: Sdk; client: S3Client }> {
    this.client ??= (async () => {
      // The SDK warns on every start under Node 20 that its later releases will need Node 22; the
      // version pinned here supports Node 20, so the warning would only alarm CLI users.
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
      // Loaded on first use: the SDK is large and most commands never touch a bucket.
      const sdk = await import('@aws-sdk/client-s3');
      const { endpoint, profile, region } = this.remote;
      const client = new sdk.S3Client({
        ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
        ...(profile ? { profile } : {}),
        // A custom endpoint (MinIO, Ceph) often has no region of its own; S3's signing still needs one.
        ...(region
          ? { region }
          : endpoint && !process.env.AWS_REGION && !process.env.AWS_DEFAULT_REGION
            ? { region: 'us-east-1' }
            : {}),
        // Checksums only where S3 requires them: many S3-compatible stores refuse the newer default
        // trailers, and every object is verified by its sha256 here anyway.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
      return { sdk, client };
    })();
    return this.client;
  }

  /** Every object under the prefix, page by page. */
  async list(): Promise<RemoteObject[]> {
    const { sdk, client } = await this.connect();
    const out: RemoteObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.call(() =>
        client.send(
          new sdk.ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.prefix ? `${this.prefix}/` : undefined,
            ContinuationToken: token,
            MaxKeys: this.tuning.pageSize,
          }),
        ),
      );
      for (const o of page.Contents ?? []) {
        const m = HASH_KEY.exec(o.Key ?? '');
        if (!m || o.Key !== this.keyOf(m[1]! + m[2]!)) continue;
        out.push({ hash: m[1]! + m[2]!, size: o.Size ?? -1, mtimeMs: o.LastModified?.getTime() ?? Date.now() });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  /** Uploads a cache object (in parts when large) and checks the bucket reports its size. */
  async put(hash: string, file: string): Promise<number> {
    const { sdk, client } = await this.connect();
    const size = statSync(file).size;
    const Key = this.keyOf(hash);
    const Metadata = { sha256: hash };
    if (size < this.tuning.multipartThreshold) {
      // Hashed before it is sent, so a damaged cache object never lands under its name. (Large
      // objects are hashed part by part below, and their upload aborted before it completes.)
      const digest = createHash('sha256');
      for await (const chunk of createReadStream(file)) digest.update(chunk as Buffer);
      this.checkSource(hash, digest.digest('hex'));
      await this.call(() =>
        client.send(
          new sdk.PutObjectCommand({
            Bucket: this.bucket,
            Key,
            Body: createReadStream(file),
            ContentLength: size,
            Metadata,
          }),
        ),
      );
    } else {
      const { UploadId } = await this.call(() =>
        client.send(new sdk.CreateMultipartUploadCommand({ Bucket: this.bucket, Key, Metadata })),
      );
      const parts: { ETag: string | undefined; PartNumber: number }[] = [];
      const fh = await fsp.open(file, 'r');
      const digest = createHash('sha256');
      try {
        for (let offset = 0, n = 1; offset < size; offset += this.tuning.partSize, n++) {
          const len = Math.min(this.tuning.partSize, size - offset);
          const buf = Buffer.allocUnsafe(len);
          const { bytesRead } = await fh.read(buf, 0, len, offset);
          if (bytesRead !== len) throw new Error(`${file} changed size while it was sent`);
          digest.update(buf);
          const { ETag } = await this.call(() =>
            client.send(new sdk.UploadPartCommand({ Bucket: this.bucket, Key, UploadId, PartNumber: n, Body: buf })),
          );
          parts.push({ ETag, PartNumber: n });
        }
        this.checkSource(hash, digest.digest('hex'));
        await this.call(() =>
          client.send(
            new sdk.CompleteMultipartUploadCommand({
              Bucket: this.bucket,
              Key,
              UploadId,
              MultipartUpload: { Parts: parts },
            }),
          ),
        );
      } catch (err) {
        // Parts of an upload never completed cost storage until aborted.
        await client
          .send(new sdk.AbortMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId }))
          .catch(() => undefined);
        throw err;
      } finally {
        await fh.close();
      }
    }
    const head = await this.call(() => client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key })));
    if (head.ContentLength !== size)
      throw new BenchtopError(
        'BAD_FILE',
        `Object ${hash} on remote ${this.remote.name} (bucket ${this.bucket}) has ${head.ContentLength} bytes after upload, not ${size}.`,
        { hint: 'Push again: an object of the wrong size is sent again.' },
      );
    return size;
  }

  private checkSource(hash: string, actual: string): void {
    if (actual !== hash)
      throw new BenchtopError(
        'BAD_FILE',
        `Object ${hash} in the local cache is corrupt: its bytes hash to ${actual}. It was not sent to remote ${this.remote.name}.`,
        {
          hint: 'Run `benchtop doctor --fix` to set it aside, then `benchtop data add` the good bytes or pull them from a remote that has them.',
        },
      );
  }

  /**
   * Downloads an object into `root` (the cache): a temp file hashed while written, renamed into
   * place only when its size and sha256 match its name. Returns its size.
   */
  async get(hash: string, root: string, expectedSize?: number): Promise<number> {
    const { sdk, client } = await this.connect();
    const Key = this.keyOf(hash);
    const res = await this.call(() => client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key })), hash);
    mkdirSync(path.join(root, 'tmp'), { recursive: true });
    // The name transfer.ts's sweep of stale temp files recognises.
    const tmp = path.join(root, 'tmp', `${hash}.${os.hostname()}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const out = await fsp.open(tmp, 'wx');
    let closed = false;
    try {
      const digest = createHash('sha256');
      let size = 0;
      for await (const chunk of res.Body as Readable) {
        const bytes = chunk as Buffer;
        digest.update(bytes);
        await out.write(bytes);
        size += bytes.length;
      }
      await out.sync();
      await out.close();
      closed = true;
      const actual = digest.digest('hex');
      if (actual !== hash || (expectedSize !== undefined && size !== expectedSize))
        throw new BenchtopError(
          'BAD_FILE',
          `Object ${hash} on remote ${this.remote.name} (s3://${this.bucket}/${Key}) is corrupt: its ${size} bytes hash to ${actual}. It was not copied.`,
          {
            hint: `Delete s3://${this.bucket}/${Key} and push it again from a cache that has it intact (\`benchtop data verify\` checks a cache).`,
          },
        );
      moveIntoPlace(tmp, path.join(root, hash.slice(0, 2), hash.slice(2)));
      return size;
    } finally {
      if (!closed) await out.close().catch(() => undefined);
      rmSync(tmp, { force: true });
    }
  }

  /** Removes objects, a thousand keys per request (S3's cap). */
  async delete(hashes: readonly string[]): Promise<void> {
    const { sdk, client } = await this.connect();
    for (let i = 0; i < hashes.length; i += 1000) {
      const batch = hashes.slice(i, i + 1000);
      const res = await this.call(() =>
        client.send(
          new sdk.DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: batch.map((h) => ({ Key: this.keyOf(h) })), Quiet: true },
          }),
        ),
      );
      const failed = res.Errors ?? [];
      if (failed.length)
        throw new BenchtopError(
          'FORBIDDEN',
          `Remote ${this.remote.name} (bucket ${this.bucket}) refused to delete ${failed.length} objects: ${failed[0]!.Key} (${failed[0]!.Code}: ${failed[0]!.Message}).`,
          { hint: 'Check that the credentials may delete objects (s3:DeleteObject), then run gc again.' },
        );
    }
  }

  /** An object's bytes in memory, checked against its name (manifests, which are small). */
  async readBytes(hash: string): Promise<Buffer | null> {
    const { sdk, client } = await this.connect();
    let res: GetObjectCommandOutput;
    try {
      res = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(hash) }));
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchKey') return null;
      throw this.explain(err);
    }
    const chunks: Buffer[] = [];
    for await (const c of res.Body as Readable) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    return createHash('sha256').update(bytes).digest('hex') === hash ? bytes : null;
  }

  private async call<T>(fn: () => Promise<T>, hash?: string): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.explain(err, hash);
    }
  }

  /** One sentence naming the remote, the bucket and the fix, for the failures people meet. */
  explain(err: unknown, hash?: string): Error {
    if (err instanceof BenchtopError) return err;
    const e = err as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const name = e.name ?? '';
    const status = e.$metadata?.httpStatusCode;
    const where = `remote ${this.remote.name} (bucket ${this.bucket}${this.remote.endpoint ? ` at ${this.remote.endpoint}` : ''})`;
    const profileHint = this.remote.profile
      ? `the profile ${this.remote.profile} named with --profile`
      : 'AWS_PROFILE, or give the remote a --profile';
    if (name === 'CredentialsProviderError' || (/credential/i.test(e.message ?? '') && !status))
      return new BenchtopError('UNAUTHORIZED', `No AWS credentials were found for ${where}.`, {
        hint: `Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or ${profileHint} (in ~/.aws/credentials).`,
      });
    if (name === 'NoSuchBucket')
      return new BenchtopError('NOT_FOUND', `The bucket ${this.bucket} of remote ${this.remote.name} does not exist.`, {
        hint: 'Create the bucket, or fix its name: `benchtop data remote remove` then `add` with the right s3:// URL.',
      });
    if (name === 'NoSuchKey' || (status === 404 && hash))
      return new BenchtopError('NOT_FOUND', `Object ${hash ?? ''} is not on ${where}.`, {
        hint: 'Push it there from a clone whose cache has it (`benchtop data push`).',
      });
    if (
      ['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'Forbidden', 'ExpiredToken'].includes(name) ||
      status === 403
    )
      return new BenchtopError('FORBIDDEN', `Access to ${where} was denied (${name || status}).`, {
        hint: `Check the credentials in use (AWS_ACCESS_KEY_ID, ${profileHint}) and that they may list, read and write the bucket.`,
      });
    if (
      ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH'].includes(e.code ?? '') ||
      name === 'TimeoutError'
    )
      return new BenchtopError('NOT_FOUND', `The endpoint of ${where} cannot be reached (${e.code ?? name}).`, {
        hint: this.remote.endpoint
          ? 'Check that the server is running and the --endpoint URL is right (`benchtop data remote list` shows it).'
          : 'Check the network connection and the region (--region or AWS_REGION).',
      });
    if (/region is missing/i.test(e.message ?? ''))
      return new BenchtopError('INVALID_INPUT', `No AWS region is set for ${where}.`, {
        hint: 'Set AWS_REGION, or add the remote again with --region.',
      });
    return new BenchtopError('INTERNAL', `${where}: ${name ? `${name}: ` : ''}${e.message ?? String(err)}`, {
      hint: 'Run the command again: only what is still missing is sent.',
    });
  }
}

/**
 * Part size and threshold in MiB from BENCHTOP_S3_PART_MIB and BENCHTOP_S3_MULTIPART_MIB, and the
 * list page from BENCHTOP_S3_LIST_PAGE: for a slow link, and for tests that need parts small.
 */
export function s3TuningFromEnv(env: NodeJS.ProcessEnv = process.env): S3Tuning {
  const num = (v: string | undefined, fallback: number): number => (v && /^\d+$/.test(v) ? Number(v) : fallback);
  return {
    multipartThreshold: num(env.BENCHTOP_S3_MULTIPART_MIB, 64) * MIB,
    partSize: Math.max(5, num(env.BENCHTOP_S3_PART_MIB, 16)) * MIB,
    pageSize: Math.min(1000, Math.max(1, num(env.BENCHTOP_S3_LIST_PAGE, 1000))),
  };
}
