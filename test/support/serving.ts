// Shared by the serving tests and bench: a project with models whose predict commands are small node
// scripts written by the test, and a JSON HTTP client for the endpoint.
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { registerVersion } from '../../electron/core/registry/register';
import { initProject } from '../../electron/core/project/init';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { tmpDir } from './helpers';

export async function servingProject(): Promise<Workspace> {
  const dir = path.join(tmpDir('benchtop-serve-'), 'project');
  return (await initProject(dir)).workspace;
}

/**
 * A node predictor: `body` is the body of `function answer(input, model)` returning the output
 * (throwing gives {"$error": …}); `model` is the parsed artifact. `before` runs once at start.
 */
export function nodePredictor(body: string, before = ''): string {
  return `
const fs = require('fs');
const readline = require('readline');
const model = JSON.parse(fs.readFileSync(process.env.BENCHTOP_MODEL_PATH, 'utf8'));
${before}
process.stdout.write('{"$ready": true}\\n');
function answer(input, model) { ${body} }
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  if (!line.trim()) return;
  let out;
  try { out = answer(JSON.parse(line), model); } catch (e) { out = { $error: e.message }; }
  if (out !== undefined) process.stdout.write(JSON.stringify(out) + '\\n');
});
`;
}

/**
 * A predictor that answers `input.x * 2` until a request says `{"break": true}`: then it writes
 * `broken.flag` in the project and exits, and every process started while that file exists dies
 * at once with "cannot load" on stderr, as a model whose files were damaged would. Deleting the file
 * fixes it.
 */
export const BREAKABLE = nodePredictor(
  `if (input.break) { fs.writeFileSync('broken.flag', ''); process.exit(5); } return input.x * 2;`,
  `if (fs.existsSync('broken.flag')) { process.stderr.write('cannot load: broken.flag is there\\n'); process.exit(4); }`,
);
export const BROKEN_FLAG = 'broken.flag';

let counter = 0;

/** Registers a version of `name` whose artifact is `model` (as JSON) and whose predict command runs `script` with node. */
export async function registerPredictor(
  ws: Workspace,
  name: string,
  script: string,
  opts: { model?: unknown; signature?: { name: string; type: string }[]; predict?: string } = {},
): Promise<number> {
  const n = ++counter;
  const scriptFile = `predict-${n}.js`;
  const modelFile = `model-${n}.json`;
  writeFileSync(path.join(ws.dir, scriptFile), script);
  writeFileSync(path.join(ws.dir, modelFile), JSON.stringify(opts.model ?? { n }));
  return registerVersion(
    ws.dir,
    ws.db,
    {
      name,
      path: modelFile,
      predict: opts.predict ?? `node ${scriptFile}`,
      ...(opts.signature ? { signature: opts.signature } : {}),
    },
    ws.dir,
  );
}

export interface JsonResponse {
  status: number;
  body: any;
  text: string;
  headers: http.IncomingHttpHeaders;
}

/** One HTTP request; `body` is sent as JSON unless it is a string (sent as it is). */
export function request(
  url: string,
  options: { method?: string; body?: unknown; headers?: Record<string, string>; agent?: http.Agent } = {},
): Promise<JsonResponse> {
  return new Promise((resolve, reject) => {
    const data =
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body);
    const req = http.request(
      url,
      {
        method: options.method ?? (data === undefined ? 'GET' : 'POST'),
        headers: { ...(data !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
        ...(options.agent ? { agent: options.agent } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = null;
          try {
            body = JSON.parse(text);
          } catch {
            body = null;
          }
          resolve({ status: res.statusCode ?? 0, body, text, headers: res.headers });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}
