// S3-compatible data remotes, against an S3 API emulator (s3rver from npm, started and stopped
// here): an emulator, NOT real S3, reached over HTTP with path-style addressing as MinIO or Ceph
// would be. Push from one clone, pull into another, byte for byte; only missing objects sent;
// corrupt remote objects refused; multipart round trips; gc --remote; credentials from a profile;
// errors that name the remote, the bucket and the fix. Real git, the built CLI.
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { dispatch } from '../../shared/contract/dispatch';
import type { BenchtopEvent } from '../../shared/contract/events';
import { git, runCli, tmpDir } from '../support/helpers';
import { EMULATOR_KEY, type S3Emulator, startS3Emulator } from '../support/s3-emulator';

const BUCKET = 'benchtop-test';
let s3: S3Emulator;
let client: S3Client;
let awsDir: string;

beforeAll(async () => {
  // This process's own client, for planting objects: spare the test log the SDK's Node 22 notice.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  s3 = await startS3Emulator([BUCKET]);
  client = new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: EMULATOR_KEY, secretAccessKey: EMULATOR_KEY },
  });
  awsDir = tmpDir('benchtop-aws-');
  writeFileSync(path.join(awsDir, 'credentials'), '');
  writeFileSync(path.join(awsDir, 'config'), '');
});

afterAll(async () => {
  client?.destroy();
  await s3?.stop();
});

/** AWS settings only from this test: temp credential files, never the real home's. */
function aws(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    AWS_ACCESS_KEY_ID: EMULATOR_KEY,
    AWS_SECRET_ACCESS_KEY: EMULATOR_KEY,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_REGION: undefined,
    AWS_DEFAULT_REGION: undefined,
    AWS_SHARED_CREDENTIALS_FILE: path.join(awsDir, 'credentials'),
    AWS_CONFIG_FILE: path.join(awsDir, 'config'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

const cli = (args: string[], cwd: string, env: NodeJS.ProcessEnv = aws()) => runCli(args, { cwd, env });

const write = (dir: string, rel: string, bytes: string | Buffer): void => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), bytes);
};

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function keys(prefix: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const r = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${prefix}/` }));
  for (const o of r.Contents ?? []) out.set(o.Key!, o.Size!);
  return out;
}

const puts = (prefix: string): string[] =>
  s3.requests().filter((r) => r.startsWith('PUT ') && r.includes(`/${BUCKET}/${prefix}/`));

/** A committed project with a CSV and a folder of three files, and an S3 remote `cloud` under a prefix of its own. */
function projectWithS3(extraAdd: string[] = []): { base: string; dir: string; prefix: string } {
  const base = tmpDir();
  const dir = path.join(base, 'p');
  expect(cli(['init', '--dir', dir], base).code).toBe(0);
  git(dir, 'config', 'user.name', 'Ada');
  git(dir, 'config', 'user.email', 'ada@example.com');
  write(dir, 'data/train.csv', 'id,x\n1,0.5\n2,1.5\n');
  for (let i = 0; i < 3; i++) write(dir, `data/images/img${i}.bin`, randomBytes(1000 + i));
  expect(cli(['data', 'add', 'data/train.csv', 'data/images'], dir).code).toBe(0);
  expect(cli(['data', 'commit', '-m', 'data v1'], dir).code).toBe(0);
  const prefix = `p-${randomBytes(4).toString('hex')}`;
  const added = cli(
    ['data', 'remote', 'add', 'cloud', `s3://${BUCKET}/${prefix}`, '--endpoint', s3.endpoint, ...extraAdd],
    dir,
  );
  expect(added.code, added.stderr).toBe(0);
  git(dir, 'add', '.benchtop/config.yaml');
  git(dir, 'commit', '-q', '-m', 'data remote');
  return { base, dir, prefix };
}

describe('S3-compatible data remotes (against an emulator, not real S3)', () => {
  it('stores the URL, endpoint, profile and region, never credentials, and lists them', () => {
    const { dir, prefix } = projectWithS3(['--region', 'eu-west-3']);
    const config = readFileSync(path.join(dir, '.benchtop', 'config.yaml'), 'utf8');
    expect(config).toContain(`url: s3://${BUCKET}/${prefix}`);
    expect(config).toContain(`endpoint: ${s3.endpoint}`);
    expect(config).toContain('region: eu-west-3');
    expect(config).not.toContain(EMULATOR_KEY);
    const list = cli(['--json', 'data', 'remote', 'list'], dir);
    expect(JSON.parse(list.stdout)).toEqual([
      {
        name: 'cloud',
        kind: 's3',
        url: `s3://${BUCKET}/${prefix}`,
        path: `s3://${BUCKET}/${prefix}`,
        isDefault: true,
        exists: true,
        endpoint: s3.endpoint,
        profile: null,
        region: 'eu-west-3',
      },
    ]);
    expect(cli(['data', 'remote', 'list'], dir).stdout).toContain(`s3://${BUCKET}/${prefix} (endpoint ${s3.endpoint}`);
    const bad = cli(['data', 'remote', 'add', 'x', 's3://Bad_Bucket/p'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('does not name an S3 bucket');
    const folderWithEndpoint = cli(['data', 'remote', 'add', 'y', '../store', '--endpoint', s3.endpoint], dir);
    expect(folderWithEndpoint.code).toBe(1);
    expect(folderWithEndpoint.stderr).toContain('--endpoint, --profile and --region are for S3');
    expect(cli(['data', 'remote', 'remove', 'cloud'], dir).code).toBe(0);
    expect(JSON.parse(cli(['--json', 'data', 'remote', 'list'], dir).stdout)).toEqual([]);
  });

  it('pushes only missing objects, and a clone pulls them back byte for byte, verified', async () => {
    const { base, dir, prefix } = projectWithS3();
    const push = cli(['--json', 'data', 'push'], dir);
    expect(push.code, push.stderr).toBe(0);
    expect(JSON.parse(push.stdout)).toMatchObject({ remote: 'cloud', objects: 5, transferred: 5, present: 0 });
    expect(puts(prefix)).toHaveLength(5);
    const onRemote = await keys(prefix);
    expect(onRemote.size).toBe(5);
    const cache = path.join(dir, '.benchtop', 'cache');
    for (const [key, size] of onRemote) {
      const hash = key.slice(prefix.length + 1).replace('/', '');
      const local = readFileSync(path.join(cache, hash.slice(0, 2), hash.slice(2)));
      expect(sha(local)).toBe(hash);
      expect(size).toBe(local.length);
    }

    // A second push sends nothing (the listing is read two keys a page, so across pages).
    const again = cli(['--json', 'data', 'push'], dir, aws({ BENCHTOP_S3_LIST_PAGE: '2' }));
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ objects: 5, transferred: 0, present: 5 });
    expect(puts(prefix)).toHaveLength(5);

    const clone = path.join(base, 'clone');
    git(base, 'clone', '-q', dir, clone);
    const pull = cli(['--json', 'data', 'pull'], clone);
    expect(pull.code, pull.stderr).toBe(0);
    expect(JSON.parse(pull.stdout)).toMatchObject({ remote: 'cloud', objects: 5, transferred: 5, present: 0 });
    for (const f of ['data/train.csv', 'data/images/img0.bin', 'data/images/img1.bin', 'data/images/img2.bin'])
      expect(readFileSync(path.join(clone, f)).equals(readFileSync(path.join(dir, f))), f).toBe(true);
    const verify = cli(['--json', 'data', 'verify'], clone);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(readdirSync(path.join(clone, '.benchtop', 'cache', 'tmp'))).toEqual([]);
  });

  it('refuses a corrupt object on pull, naming the hash, and keeps it out of the cache', async () => {
    const { base, dir, prefix } = projectWithS3();
    expect(cli(['data', 'push'], dir).code).toBe(0);
    const csv = readFileSync(path.join(dir, 'data', 'train.csv.bt'), 'utf8');
    const hash = /[0-9a-f]{64}/.exec(csv)![0];
    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `${prefix}/${hash.slice(0, 2)}/${hash.slice(2)}`,
        Body: Buffer.from('id,x\n1,0.5\n2,9.9\n'),
      }),
    );
    const clone = path.join(base, 'clone');
    git(base, 'clone', '-q', dir, clone);
    const pull = cli(['data', 'pull'], clone);
    expect(pull.code).toBe(1);
    expect(pull.stderr).toContain(`Object ${hash} on remote cloud`);
    expect(pull.stderr).toContain('is corrupt');
    const cache = path.join(clone, '.benchtop', 'cache');
    expect(existsSync(path.join(cache, hash.slice(0, 2), hash.slice(2)))).toBe(false);
    expect(existsSync(path.join(cache, 'tmp')) ? readdirSync(path.join(cache, 'tmp')) : []).toEqual([]);
    expect(existsSync(path.join(clone, 'data', 'train.csv'))).toBe(false);
  });

  it('refuses to push a corrupt cache object, small or multipart, and sends nothing of it', async () => {
    const { dir, prefix } = projectWithS3();
    write(dir, 'data/big.bin', randomBytes(6 * 1024 * 1024));
    expect(cli(['data', 'add', 'data/big.bin'], dir).code).toBe(0);
    const cache = path.join(dir, '.benchtop', 'cache');
    const hashOf = (rel: string) => /[0-9a-f]{64}/.exec(readFileSync(path.join(dir, `${rel}.bt`), 'utf8'))![0];
    for (const rel of ['data/train.csv', 'data/big.bin']) {
      const h = hashOf(rel);
      const file = path.join(cache, h.slice(0, 2), h.slice(2));
      chmodSync(file, 0o644);
      const bytes = readFileSync(file);
      bytes[0] = bytes[0]! ^ 0xff;
      writeFileSync(file, bytes);
    }
    const push = cli(['data', 'push'], dir, aws({ BENCHTOP_S3_MULTIPART_MIB: '5', BENCHTOP_S3_PART_MIB: '5' }));
    expect(push.code).toBe(1);
    expect(push.stderr).toContain('in the local cache is corrupt');
    const there = [...(await keys(prefix)).keys()].map((k) => k.slice(prefix.length + 1).replace('/', ''));
    expect(there).not.toContain(hashOf('data/train.csv'));
    expect(there).not.toContain(hashOf('data/big.bin'));
    // The intact objects (the folder's manifest and files) went.
    expect(there).toHaveLength(4);
  });

  it('sends a file above the multipart threshold in parts and round-trips it', () => {
    const { base, dir, prefix } = projectWithS3();
    const big = randomBytes(12 * 1024 * 1024 + 123);
    write(dir, 'data/big.bin', big);
    expect(cli(['data', 'add', 'data/big.bin'], dir).code).toBe(0);
    expect(cli(['data', 'commit', '-m', 'big'], dir).code).toBe(0);
    const small = aws({ BENCHTOP_S3_MULTIPART_MIB: '5', BENCHTOP_S3_PART_MIB: '5' });
    const push = cli(['--json', 'data', 'push'], dir, small);
    expect(push.code, push.stderr).toBe(0);
    const parts = puts(prefix).filter((r) => r.includes('partNumber='));
    expect(parts).toHaveLength(3);
    expect(
      s3.requests().filter((r) => r.startsWith('POST ') && r.includes(`${prefix}/`) && r.includes('uploads')),
    ).toHaveLength(1);
    const clone = path.join(base, 'clone');
    git(base, 'clone', '-q', dir, clone);
    const pull = cli(['--json', 'data', 'pull', 'data/big.bin'], clone, small);
    expect(pull.code, pull.stderr).toBe(0);
    expect(sha(readFileSync(path.join(clone, 'data', 'big.bin')))).toBe(sha(big));
  });

  it('gc --remote --dry-run lists what no commit refers to; gc --remote deletes only that', async () => {
    const { base, dir, prefix } = projectWithS3();
    expect(cli(['data', 'push'], dir).code).toBe(0);
    const orphan = randomBytes(777);
    const orphanHash = sha(orphan);
    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `${prefix}/${orphanHash.slice(0, 2)}/${orphanHash.slice(2)}`,
        Body: orphan,
      }),
    );
    const dry = cli(['--json', 'data', 'gc', '--remote', 'cloud', '--dry-run', '--keep-recent', '0'], dir);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      dryRun: true,
      remote: 'cloud',
      objects: 6,
      removed: 1,
      bytes: 777,
      removedObjects: [{ hash: orphanHash, size: 777 }],
    });
    expect(cli(['data', 'gc', '--remote', 'cloud', '--dry-run', '--keep-recent', '0'], dir).stdout).toContain(
      `would remove ${orphanHash}`,
    );
    expect((await keys(prefix)).size).toBe(6);
    // Within the grace period it is kept: another clone may have just pushed it.
    expect(JSON.parse(cli(['--json', 'data', 'gc', '--remote', 'cloud'], dir).stdout)).toMatchObject({
      removed: 0,
      recent: 1,
    });
    const gc = cli(['--json', 'data', 'gc', '--remote', 'cloud', '--keep-recent', '0'], dir);
    expect(gc.code, gc.stderr).toBe(0);
    expect(JSON.parse(gc.stdout)).toMatchObject({ dryRun: false, removed: 1, kept: 5 });
    const left = await keys(prefix);
    expect(left.size).toBe(5);
    expect([...left.keys()].some((k) => k.endsWith(orphanHash.slice(2)))).toBe(false);
    const clone = path.join(base, 'clone');
    git(base, 'clone', '-q', dir, clone);
    expect(cli(['data', 'pull'], clone).code).toBe(0);
  });

  it('takes credentials from a profile in a credentials file named with --profile', () => {
    const creds = path.join(tmpDir('benchtop-aws-'), 'credentials');
    writeFileSync(
      creds,
      `[bench]\naws_access_key_id = ${EMULATOR_KEY}\naws_secret_access_key = ${EMULATOR_KEY}\n[wrong]\naws_access_key_id = NOPE\naws_secret_access_key = NOPE\n`,
    );
    const { dir } = projectWithS3(['--profile', 'bench']);
    const env = aws({
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SHARED_CREDENTIALS_FILE: creds,
    });
    const push = cli(['--json', 'data', 'push'], dir, env);
    expect(push.code, push.stderr).toBe(0);
    expect(JSON.parse(push.stdout)).toMatchObject({ transferred: 5 });

    expect(cli(['data', 'remote', 'remove', 'cloud'], dir).code).toBe(0);
    expect(
      cli(['data', 'remote', 'add', 'cloud', `s3://${BUCKET}/x`, '--endpoint', s3.endpoint, '--profile', 'wrong'], dir)
        .code,
    ).toBe(0);
    const denied = cli(['data', 'push'], dir, env);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain(`Access to remote cloud (bucket ${BUCKET} at ${s3.endpoint}) was denied`);
    expect(denied.stderr).toContain('profile wrong');
  });

  it('says in one sentence what is wrong: no credentials, no bucket, no server', async () => {
    const { dir } = projectWithS3();
    const none = cli(['data', 'push'], dir, aws({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }));
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`No AWS credentials were found for remote cloud (bucket ${BUCKET}`);
    expect(none.stderr).toContain('AWS_PROFILE');

    expect(cli(['data', 'remote', 'add', 'gone', 's3://no-such-bucket/x', '--endpoint', s3.endpoint], dir).code).toBe(
      0,
    );
    const noBucket = cli(['data', 'push', '--remote', 'gone'], dir);
    expect(noBucket.code).toBe(1);
    expect(noBucket.stderr).toContain('The bucket no-such-bucket of remote gone does not exist.');

    // A port nothing listens on: taken, then freed.
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    const endpoint = `http://127.0.0.1:${port}`;
    expect(cli(['data', 'remote', 'add', 'off', `s3://${BUCKET}/x`, '--endpoint', endpoint], dir).code).toBe(0);
    const off = cli(['data', 'push', '--remote', 'off'], dir);
    expect(off.code).toBe(1);
    expect(off.stderr).toContain(`The endpoint of remote off (bucket ${BUCKET} at ${endpoint}) cannot be reached`);
  });

  it('works through the contract, with data.progress events for push and pull', async () => {
    const { base, dir, prefix } = projectWithS3();
    // In this process the core reads the AWS chain itself: only this test's settings.
    for (const [k, v] of Object.entries(aws())) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    const events: BenchtopEvent[] = [];
    const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
    core.events.subscribe((e) => events.push(e));
    await core.open(dir);
    expect(await dispatch(core.handlers, 'data.remotes', {}, { checkOutput: true })).toMatchObject({
      ok: true,
      value: { remotes: [{ name: 'cloud', kind: 's3', url: `s3://${BUCKET}/${prefix}`, endpoint: s3.endpoint }] },
    });
    expect(await dispatch(core.handlers, 'data.push', {}, { checkOutput: true })).toMatchObject({
      ok: true,
      value: { remote: 'cloud', objects: 5, transferred: 5 },
    });
    expect(events.filter((e) => e.name === 'data.progress' && e.payload.op === 'push').at(-1)).toMatchObject({
      payload: { done: 5, total: 5 },
    });
    expect(
      await dispatch(
        core.handlers,
        'data.gc',
        { remote: 'cloud', dryRun: true, graceMinutes: 0 },
        { checkOutput: true },
      ),
    ).toMatchObject({ ok: true, value: { remote: 'cloud', objects: 5, removed: 0 } });
    core.close();

    const clone = path.join(base, 'clone');
    git(base, 'clone', '-q', dir, clone);
    const core2 = new Core({ dataDir: tmpDir(), mode: 'browser' });
    core2.events.subscribe((e) => events.push(e));
    await core2.open(clone);
    expect(await dispatch(core2.handlers, 'data.pull', {}, { checkOutput: true })).toMatchObject({
      ok: true,
      value: { remote: 'cloud', objects: 5, transferred: 5 },
    });
    expect(events.filter((e) => e.name === 'data.progress' && e.payload.op === 'pull').length).toBeGreaterThan(0);
    expect(
      readFileSync(path.join(clone, 'data', 'train.csv')).equals(readFileSync(path.join(dir, 'data', 'train.csv'))),
    ).toBe(true);
    core2.close();
  });
});
