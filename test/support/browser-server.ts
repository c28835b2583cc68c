// Runs in: tests. A browser-mode server over a fresh project, with a fixed token, and a serving
// endpoint beside it: the callers of the shared HTTP guard and body limit, for tests that hold them
// to the same rules.
import path from 'node:path';
import { Core } from '../../electron/core/app/core';
import { initProject } from '../../electron/core/project/init';
import { startEndpoint } from '../../electron/core/serving/endpoint';
import type { Endpoint } from '../../electron/core/serving/endpoint-types';
import { startBrowserServer, type BrowserServer } from '../../electron/server/http-server';
import { ROOT, tmpDir } from './helpers';
import { nodePredictor, registerPredictor, servingProject } from './serving';

export interface HttpCallers {
  server: BrowserServer;
  /** An endpoint serving a model that echoes `x`, requiring `token`. */
  endpoint: Endpoint;
  /** The same model served without a token (so guarded by its Host check). */
  tokenless: Endpoint;
  close(): Promise<void>;
}

export async function startHttpCallers(token: string): Promise<HttpCallers> {
  const project = path.join(tmpDir(), 'proj');
  (await initProject(project, {})).workspace.close();
  const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
  await core.open(project);
  const server = await startBrowserServer({ core, port: 0, staticDir: path.join(ROOT, 'dist', 'renderer'), token });
  const ws = await servingProject();
  await registerPredictor(ws, 'echo', nodePredictor('return input.x;'));
  const endpoint = await startEndpoint({ projectDir: ws.dir, db: ws.db, ref: 'echo/1', token });
  const tokenless = await startEndpoint({ projectDir: ws.dir, db: ws.db, ref: 'echo/1' });
  return {
    server,
    endpoint,
    tokenless,
    async close() {
      await endpoint.close('test over');
      await tokenless.close('test over');
      ws.close();
      await server.close();
      core.close();
    },
  };
}
