// Integration and e2e tests drive the built CLI and renderer; say how to get them if missing.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';

export default function setup(): () => void {
  const root = path.resolve(__dirname, '..', '..');
  for (const f of ['dist/cli.cjs', 'dist/main.cjs', 'dist/preload.cjs', 'dist/renderer/index.html']) {
    if (!existsSync(path.join(root, f)))
      throw new Error(`${f} is missing: run \`npm run build\` (or \`npm test\`, which builds first).`);
  }
  // The temporary home the config made (vitest.config.mts) goes when the run ends.
  return () => {
    const home = process.env.BENCHTOP_TEST_HOME;
    if (home && path.basename(home).startsWith('benchtop-test-home-')) rmSync(home, { recursive: true, force: true });
  };
}
