// Integration and e2e tests drive the built CLI and renderer; say how to get them if missing.
import { existsSync } from 'node:fs';
import path from 'node:path';

export default function setup(): void {
  const root = path.resolve(__dirname, '..', '..');
  for (const f of ['dist/cli.cjs', 'dist/main.cjs', 'dist/preload.cjs', 'dist/renderer/index.html']) {
    if (!existsSync(path.join(root, f))) throw new Error(`${f} is missing: run \`npm run build\` (or \`npm test\`, which builds first).`);
  }
}
