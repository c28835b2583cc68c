// Runs in: vitest (node). `npm install` warns EBADENGINE for every locked package whose `engines`
// does not admit the Node running it. The root package promises a range; every package the main
// lockfile installs on this platform must accept the lowest Node of that range and this one.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } };

interface Locked {
  engines?: { node?: string };
  os?: string[];
  cpu?: string[];
  optional?: boolean;
}

/** A package npm would skip here (an optional binary for another platform) is never checked. */
function installsHere(p: Locked): boolean {
  const fits = (list: string[] | undefined, value: string) =>
    list === undefined || list.some((x) => (x.startsWith('!') ? x.slice(1) !== value : x === value));
  return !p.optional || (fits(p.os, process.platform) && fits(p.cpu, process.arch));
}

function refusals(lockfile: string, node: string): string[] {
  const lock = JSON.parse(readFileSync(lockfile, 'utf8')) as { packages: Record<string, Locked> };
  return Object.entries(lock.packages)
    .filter(([name, p]) => name !== '' && p.engines?.node && installsHere(p))
    .filter(([, p]) => !semver.satisfies(node, p.engines!.node!))
    .map(([name, p]) => `${name.replace(/^.*node_modules\//, '')} wants node ${p.engines!.node}`);
}

describe('declared Node engines', () => {
  const lowest = semver.minVersion(manifest.engines.node)!.version;

  it.each([
    ['the lowest Node package.json admits', lowest],
    ['the Node running the tests', process.version],
  ])('every package the main lockfile installs accepts %s', (_what, node) => {
    expect(refusals(path.join(root, 'package-lock.json'), node)).toEqual([]);
  });

  it('the packaging tools declare the newer Node they need, in their own package', () => {
    const packaging = JSON.parse(readFileSync(path.join(root, 'packaging/package.json'), 'utf8')) as {
      engines: { node: string };
    };
    expect(
      refusals(path.join(root, 'packaging/package-lock.json'), semver.minVersion(packaging.engines.node)!.version),
    ).toEqual([]);
  });
});
