// Runs in: vitest (node). S3 remote URLs and settings: what is accepted, what is refused and why,
// and what goes into .benchtop/config.yaml (never credentials).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addRemote, listRemotes, parseS3Url } from '../../../electron/core/data/remotes';
import { s3TuningFromEnv } from '../../../electron/core/data/s3-remote';
import { tmpDir } from '../../support/helpers';

function project(): string {
  const dir = tmpDir();
  mkdirSync(path.join(dir, '.benchtop'));
  writeFileSync(path.join(dir, '.benchtop', 'config.yaml'), 'version: 1\nname: p\nremotes: {}\n');
  return dir;
}

describe('S3 remote URLs', () => {
  it('splits bucket and prefix, trimming slashes', () => {
    expect(parseS3Url('s3://team-data/benchtop/iris/')).toEqual({ bucket: 'team-data', prefix: 'benchtop/iris' });
    expect(parseS3Url('s3://team-data')).toEqual({ bucket: 'team-data', prefix: '' });
    expect(parseS3Url('S3://my.bucket/x')).toEqual({ bucket: 'my.bucket', prefix: 'x' });
  });

  it.each(['s3://', 's3://UPPER/x', 's3://a/x', 's3://b_c/x', 's3://ok-bucket/a//b', 's3://ok-bucket/../x'])(
    'refuses %s',
    (url) => {
      expect(() => parseS3Url(url)).toThrow(/S3 bucket|empty, \. or \.\. part/);
    },
  );

  it('stores URL, endpoint, profile and region, and lists the remote as kind s3', () => {
    const dir = project();
    const remotes = addRemote(dir, 'cloud', 's3://team-data/iris/', {
      endpoint: 'http://localhost:9000',
      profile: 'minio',
      region: 'auto',
    });
    expect(remotes).toEqual([
      {
        name: 'cloud',
        kind: 's3',
        url: 's3://team-data/iris',
        path: 's3://team-data/iris',
        isDefault: true,
        exists: true,
        endpoint: 'http://localhost:9000',
        profile: 'minio',
        region: 'auto',
      },
    ]);
    expect(readFileSync(path.join(dir, '.benchtop', 'config.yaml'), 'utf8')).toContain(
      'cloud:\n    url: s3://team-data/iris\n    endpoint: http://localhost:9000\n    profile: minio\n    region: auto\n',
    );
    expect(() => addRemote(dir, 'again', 's3://team-data/iris', { endpoint: 'http://localhost:9000' })).toThrow(
      /already uses/,
    );
    expect(listRemotes(dir)).toHaveLength(1);
  });

  it('refuses an endpoint that is not http(s) or carries credentials, and S3 options on a folder', () => {
    const dir = project();
    expect(() => addRemote(dir, 'a', 's3://team-data/x', { endpoint: 'ftp://host' })).toThrow(
      /not an http\(s\) endpoint/,
    );
    expect(() => addRemote(dir, 'a', 's3://team-data/x', { endpoint: 'http://key:secret@host' })).toThrow(
      /not an http\(s\) endpoint/,
    );
    expect(() => addRemote(dir, 'a', '../store', { profile: 'p' })).toThrow(/are for S3/);
    expect(listRemotes(dir)).toEqual([]);
  });

  it('reads part size, threshold and list page from the environment, parts never under 5 MiB', () => {
    const MIB = 1024 * 1024;
    expect(s3TuningFromEnv({})).toEqual({ multipartThreshold: 64 * MIB, partSize: 16 * MIB, pageSize: 1000 });
    expect(
      s3TuningFromEnv({ BENCHTOP_S3_MULTIPART_MIB: '5', BENCHTOP_S3_PART_MIB: '1', BENCHTOP_S3_LIST_PAGE: '2' }),
    ).toEqual({
      multipartThreshold: 5 * MIB,
      partSize: 5 * MIB,
      pageSize: 2,
    });
  });
});
