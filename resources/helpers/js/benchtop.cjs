// Runs in: a stage's child process (Node, no dependencies).
/*
 * Report to Benchtop from a pipeline stage, with Node alone.
 *
 * Benchtop starts every stage as a child process with these environment variables:
 *   BENCHTOP_RUN_ID       the run this stage belongs to
 *   BENCHTOP_STAGE        the stage's name
 *   BENCHTOP_PROJECT_DIR  the project folder (also the stage's working directory)
 *   BENCHTOP_PARAMS_FILE  a JSON file with the stage's resolved params as a nested object,
 *                         e.g. {"split": {"seed": 42}, "train": {"lr": 0.1}}
 *
 * A stage reports by printing lines on stdout made of the exact prefix "::benchtop:: " (with one
 * trailing space) and a single-line JSON object:
 *   ::benchtop:: {"type":"metric","key":"loss","value":0.25,"step":3}
 *   ::benchtop:: {"type":"param","key":"train.lr","value":0.1}
 *   ::benchtop:: {"type":"tag","key":"model","value":"softmax"}
 *   ::benchtop:: {"type":"artifact","path":"build/model.json"}
 * Every other line on stdout is an ordinary log line. Each line is written straight away (no
 * buffering here), so Benchtop shows it live. Outside Benchtop the lines are simply printed, and
 * params() is {}.
 *
 * Outside a pipeline, a script can start and finish its own run. With a running `benchtop ui` or
 * app (found from BENCHTOP_URL and BENCHTOP_TOKEN, else from .benchtop/server.json in the current
 * folder or one above it) it logs through its local API. With none running, it logs to the
 * project's inbox: the project is BENCHTOP_PROJECT, else the nearest folder up from the current one
 * holding .benchtop/config.yaml; each run is one file, .benchtop/inbox/<run id>.jsonl, one JSON
 * line appended per call ({"v":1,"call":"runs.log","input":{...}}, the local API's own inputs), and
 * a logged artifact is copied beside it. The next `benchtop` command in the project, or the app
 * opening it, takes the inbox in:
 *   const run = await benchtop.startRun({ name: 'baseline', experiment: 'churn', params: { lr: 0.1 } });
 *   run.logMetric('loss', 0.25, 0);              // or benchtop.logMetric(...): buffered
 *   run.setTag('model', 'softmax');
 *   await run.logArtifact('build/model.json');
 *   await run.end();                             // 'succeeded' (default), 'failed' or 'cancelled'
 * Points are sent in batches (every 500 points, every second, and at the end). A run not ended
 * by the script is ended when Node exits: succeeded, or failed after an uncaught exception or a
 * non-zero exit code. Inside a pipeline stage or `benchtop exec`, startRun() returns the stage's
 * run, which reports with the lines above.
 *
 * Usage:
 *   const benchtop = require('./benchtop.cjs');
 *   const lr = benchtop.params().train?.lr ?? 0.1;
 *   benchtop.logMetric('loss', 0.25);            // step 0, then 1, 2, ... per key
 *   benchtop.logMetric('loss', 0.2, 10);         // an explicit step (later automatic steps follow it)
 *   benchtop.logParams({ train: { lr } });       // one line per key: train.lr
 *   benchtop.setTag('model', 'softmax');
 *   benchtop.logArtifact('build/model.json');    // relative to the project folder
 *
 * A model version's predict command (`benchtop serve`, docs/predict-protocol.md) answers one JSON
 * line on stdout per JSON line of input on stdin; servePredictions does the reading, writing and
 * error handling, so a predictor is a few lines:
 *   const model = JSON.parse(fs.readFileSync(benchtop.modelPath(), 'utf8'));
 *   benchtop.servePredictions((record) => ({ label: predict(model, record) }));
 */
'use strict';

const fs = require('fs');
const path = require('path');

const PREFIX = '::benchtop:: ';

/** The next automatic step for each metric key. */
const nextStep = new Map();

/** The stage's resolved params (a nested object) from BENCHTOP_PARAMS_FILE; {} when it is unset. */
function params() {
  const file = process.env.BENCHTOP_PARAMS_FILE;
  if (!file) return {};
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new Error(`benchtop: BENCHTOP_PARAMS_FILE (${file}) must hold a JSON object, not ${describe(data)}`);
  }
  return data;
}

/** Records a metric value (NaN and ±Infinity are kept). Without a step, each key counts its own steps from 0. */
function logMetric(key, value, step) {
  if (active) return active.logMetric(key, value, step);
  checkKey('metric', key);
  if (typeof value !== 'number') {
    throw new Error(`benchtop: metric ${JSON.stringify(key)} must be a number, got ${describe(value)}`);
  }
  if (step === undefined || step === null) {
    step = nextStep.get(key) ?? 0;
  } else if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) {
    throw new Error(`benchtop: step for metric ${JSON.stringify(key)} must be an integer >= 0, got ${describe(step)}`);
  }
  nextStep.set(key, step + 1);
  // JSON has no NaN or Infinity: the protocol carries them as strings, and they are kept.
  emit({ type: 'metric', key, value: Number.isFinite(value) ? value : String(value), step });
}

/** Records params: one line per key; nested objects are flattened with dots ({a: {b: 1}} -> a.b). */
function logParams(values) {
  if (active) return active.logParams(values);
  if (!isPlainObject(values)) throw new Error(`benchtop: logParams takes an object, got ${describe(values)}`);
  for (const [key, value] of flatten(values, '')) {
    checkKey('param', key);
    const ok = typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    if (!ok) {
      throw new Error(`benchtop: param ${JSON.stringify(key)} must be a string, finite number or boolean, got ${describe(value)}`);
    }
    emit({ type: 'param', key, value });
  }
}

/** Sets a string tag on the run. */
function setTag(key, value) {
  if (active) return active.setTag(key, value);
  checkKey('tag', key);
  if (typeof value !== 'string') throw new Error(`benchtop: tag ${JSON.stringify(key)} must have a string value, got ${describe(value)}`);
  emit({ type: 'tag', key, value });
}

/** Records a file the stage produced. Give it relative to the project folder (the working directory). */
function logArtifact(file) {
  if (active) return active.logArtifact(file);
  if (typeof file !== 'string' || file === '') throw new Error(`benchtop: artifact path must be a non-empty string, got ${describe(file)}`);
  let rel = file;
  if (path.isAbsolute(file)) {
    const root = path.resolve(process.env.BENCHTOP_PROJECT_DIR || process.cwd());
    rel = path.relative(root, path.resolve(file));
    if (rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) {
      throw new Error(`benchtop: artifact ${JSON.stringify(file)} is outside the project folder ${JSON.stringify(root)}`);
    }
  }
  emit({ type: 'artifact', path: rel.split(path.sep).join('/') });
}

function* flatten(values, prefix) {
  for (const [key, value] of Object.entries(values)) {
    if (key === '') throw new Error(`benchtop: param keys must be non-empty strings (an empty key under ${JSON.stringify(prefix || 'the top level')})`);
    const full = prefix + key;
    if (isPlainObject(value)) yield* flatten(value, full + '.');
    else yield [full, value];
  }
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkKey(kind, key) {
  if (typeof key !== 'string' || key === '') throw new Error(`benchtop: ${kind} key must be a non-empty string, got ${describe(key)}`);
}

function describe(value) {
  if (typeof value === 'number' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (value === undefined) return 'undefined';
  try {
    return `${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value} ${JSON.stringify(value)}`;
  } catch {
    return typeof value;
  }
}

function emit(message) {
  process.stdout.write(PREFIX + JSON.stringify(message) + '\n');
}


// --- Runs a script starts itself, through the local API of `benchtop ui` ------------------------

const http = require('http');
const { execFileSync } = require('child_process');

const SERVER_FILE = path.join('.benchtop', 'server.json');
const FLUSH_POINTS = 500;
const FLUSH_MS = 1000;

/** The run started with startRun() outside a pipeline; the module-level functions log to it. */
let active = null;

class BenchtopError extends Error {
  constructor(message) {
    super(message);
    this.name = 'BenchtopError';
  }
}

/** Plain JSON has no NaN or Infinity; Benchtop's wire format tags them (shared/contract/wire.ts). */
function toWire(value) {
  return JSON.stringify(value, (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? { $nonFinite: String(v) } : v));
}

function pidAlive(pid) {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** {url, token} of a live server whose file is in this folder's .benchtop/, else null (a file left by a dead one is ignored). */
function readServer(folder) {
  const candidate = path.join(folder, SERVER_FILE);
  if (!fs.existsSync(candidate)) return null;
  try {
    const info = JSON.parse(fs.readFileSync(candidate, 'utf8'));
    if (pidAlive(info.pid) && info.url && info.token) return { url: String(info.url).replace(/\/+$/, ''), token: String(info.token) };
  } catch {
    // unreadable: as if absent
  }
  return null;
}

/** The running server ({url, token}); else an Inbox appending to the project's .benchtop/inbox/. */
function connect() {
  const { BENCHTOP_URL: url, BENCHTOP_TOKEN: token, BENCHTOP_PROJECT: named } = process.env;
  if (url && token) return { url: url.replace(/\/+$/, ''), token };
  let folder = path.resolve(named || process.cwd());
  let project = null;
  for (;;) {
    const server = readServer(folder);
    if (server) return server;
    // A project is what `benchtop` itself takes for one: a folder with .benchtop/config.yaml.
    if (fs.existsSync(path.join(folder, '.benchtop', 'config.yaml'))) {
      project = folder;
      break;
    }
    const parent = path.dirname(folder);
    if (named || parent === folder) break;
    folder = parent;
  }
  if (project) return new Inbox(project);
  const script = process.argv[1] ? path.basename(process.argv[1]) : 'train.js';
  throw new BenchtopError(
    `benchtop: found neither a running Benchtop server nor a Benchtop project for ${named || process.cwd()}. ` +
      'Run the script inside a project (a folder with .benchtop/, made by `benchtop init`, or set BENCHTOP_PROJECT), where it logs even with nothing running; ' +
      'or start a server with `benchtop ui --no-open`; ' +
      `or run it as a tracked run with \`benchtop exec -- node ${script}\`.`,
  );
}

const INBOX_DIR = path.join('.benchtop', 'inbox');

function newRunId() {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `run-${stamp}-${require('crypto').randomBytes(4).toString('hex')}`;
}

/**
 * No server runs: each call becomes one JSON line appended to .benchtop/inbox/<run id>.jsonl. The
 * run's id is chosen here, so later calls can name it. A line is one write on a file opened for
 * appending (written synchronously, nothing buffered), so a crash leaves at most a torn last line,
 * which Benchtop skips. An artifact is copied into <run id>.files/ at once: the run keeps the
 * bytes it logged even if the file changes before Benchtop takes the inbox in.
 */
class Inbox {
  constructor(projectDir) {
    this.projectDir = projectDir;
    this.dir = path.join(projectDir, INBOX_DIR);
    this.fd = null;
    this.runId = null;
    this.copies = 0;
  }

  /** Answers as the local API would; `body` is an object, or its wire text (callSync's). */
  call(method, body) {
    const input = typeof body === 'string' ? JSON.parse(body) : body;
    if (method === 'project.current') return { path: this.projectDir };
    if (method === 'runs.create') {
      const runId = newRunId();
      fs.mkdirSync(this.dir, { recursive: true });
      const file = path.join(this.dir, `${runId}.jsonl`);
      this.fd = fs.openSync(file, 'ax', 0o644);
      this.runId = runId;
      this.append(method, { ...input, id: runId, pid: process.pid, startedAt: new Date().toISOString(), gitCommit: null, gitDirty: null });
      process.stderr.write(
        `benchtop: no Benchtop server is running; run ${runId} is logged to .benchtop/inbox/${runId}.jsonl in ${this.projectDir}, and the next benchtop command there, or the app, takes it in.\n`,
      );
      return { runId };
    }
    if (method === 'runs.logArtifact') {
      const source = path.join(this.projectDir, input.path);
      if (!fs.existsSync(source) || !fs.statSync(source).isFile()) throw new BenchtopError(`benchtop: there is no file at ${input.path} to log as an artifact`);
      this.copies += 1;
      const base = path.basename(source).replace(/[^A-Za-z0-9._-]/g, '_') || 'file';
      const copy = `${this.runId}.files/${String(this.copies).padStart(6, '0')}-${base}`;
      fs.mkdirSync(path.join(this.dir, `${this.runId}.files`), { recursive: true });
      fs.copyFileSync(source, path.join(this.dir, ...copy.split('/')));
      this.append(method, input, copy);
      return { path: input.name || input.path, stage: '', role: 'artifact' };
    }
    if (method === 'runs.end') {
      this.append(method, { ...input, at: new Date().toISOString() });
      try {
        fs.fsyncSync(this.fd);
      } catch {
        // the line is written; only the flush to disk failed
      }
      fs.closeSync(this.fd);
      this.fd = null;
      return { status: input.status || 'succeeded' };
    }
    this.append(method, input);
    return {};
  }

  append(method, input, copy) {
    if (this.fd === null) throw new BenchtopError(`benchtop: run ${this.runId} has ended; start a new one to log more`);
    let data = Buffer.from(`${toWire({ v: 1, call: method, input, ...(copy ? { copy } : {}) })}\n`);
    while (data.length) data = data.subarray(fs.writeSync(this.fd, data));
  }
}

function call(server, method, body) {
  if (server instanceof Inbox) {
    try {
      return Promise.resolve(server.call(method, body));
    } catch (err) {
      return Promise.reject(err);
    }
  }
  const data = Buffer.from(toWire(body));
  const url = new URL(`${server.url}/api/${method}`);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent: false, headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json', 'Content-Length': data.length } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          let answer;
          try {
            answer = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            return reject(new BenchtopError(`benchtop: ${method} answered HTTP ${res.statusCode} with no JSON`));
          }
          if (answer && answer.ok) return resolve(answer.value);
          const error = (answer && answer.error) || {};
          reject(new BenchtopError(`benchtop: ${method} was refused: ${error.message || `HTTP ${res.statusCode}`}${error.hint ? ` ${error.hint}` : ''}`));
        });
      },
    );
    req.on('error', (err) => reject(new BenchtopError(`benchtop: cannot reach the Benchtop server at ${server.url} (${err.message}); is \`benchtop ui\` still running?`)));
    req.end(data);
  });
}

/** The same calls, made from a child process and waited for: the only way left once Node is exiting. */
function callSync(server, calls) {
  if (server instanceof Inbox) {
    for (const [method, body] of calls) server.call(method, body);
    return;
  }
  const script = `
    const http = require('http');
    const { url, token, calls } = JSON.parse(require('fs').readFileSync(0, 'utf8'));
    (async () => {
      for (const [method, body] of calls) {
        const target = new URL(url + '/api/' + method);
        await new Promise((resolve) => {
          const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent: false,
            headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' } }, (res) => { res.resume(); res.on('end', resolve); });
          req.on('error', (e) => { process.stderr.write('benchtop: ' + method + ' failed: ' + e.message + '\\n'); resolve(); });
          req.end(body);
        });
      }
    })();`;
  execFileSync(process.execPath, ['-e', script], { input: JSON.stringify({ url: server.url, token: server.token, calls }), stdio: ['pipe', 'ignore', 'inherit'], timeout: 60_000 });
}

function paramText(key, value) {
  const ok = typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
  if (!ok) throw new Error(`benchtop: param ${JSON.stringify(key)} must be a string, finite number or boolean, got ${describe(value)}`);
  return String(value);
}

class Run {
  constructor(server, id, projectDir) {
    this.server = server;
    this.id = id;
    this.projectDir = projectDir;
    this.metrics = [];
    this.params = {};
    this.tags = {};
    this.nextStep = new Map();
    this.ended = false;
    this.error = null;
    // Batches go out one after another, in the order they were logged.
    this.sending = Promise.resolve();
    this.timer = setInterval(() => this.send(), FLUSH_MS);
    this.timer.unref();
  }

  /** Records a metric value; NaN and ±Infinity are kept. Without a step, each key counts from 0. */
  logMetric(key, value, step) {
    checkKey('metric', key);
    if (typeof value !== 'number') throw new Error(`benchtop: metric ${JSON.stringify(key)} must be a number, got ${describe(value)}`);
    this.checkOpen();
    if (step === undefined || step === null) step = this.nextStep.get(key) ?? 0;
    else if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) {
      throw new Error(`benchtop: step for metric ${JSON.stringify(key)} must be an integer >= 0, got ${describe(step)}`);
    }
    this.nextStep.set(key, Math.max(step + 1, this.nextStep.get(key) ?? 0));
    this.metrics.push({ key, value, step, at: new Date().toISOString() });
    if (this.metrics.length >= FLUSH_POINTS) this.send();
  }

  /** Records params (write-once); nested objects are flattened with dots. */
  logParams(values) {
    if (!isPlainObject(values)) throw new Error(`benchtop: logParams takes an object, got ${describe(values)}`);
    this.checkOpen();
    for (const [key, value] of flatten(values, '')) {
      checkKey('param', key);
      const text = paramText(key, value);
      if (key in this.params && this.params[key] !== text) throw new Error(`benchtop: param ${JSON.stringify(key)} is already ${JSON.stringify(this.params[key])}; params are fixed once logged`);
      this.params[key] = text;
    }
  }

  setTag(key, value) {
    checkKey('tag', key);
    if (typeof value !== 'string') throw new Error(`benchtop: tag ${JSON.stringify(key)} must have a string value, got ${describe(value)}`);
    this.checkOpen();
    this.tags[key] = value;
  }

  /** Copies a file of the project into the run's artifacts, after the points logged before it. */
  async logArtifact(file, name) {
    if (typeof file !== 'string' || file === '') throw new Error(`benchtop: artifact path must be a non-empty string, got ${describe(file)}`);
    this.checkOpen();
    const rel = path.relative(this.projectDir, path.resolve(file));
    if (rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) throw new Error(`benchtop: artifact ${JSON.stringify(file)} is outside the project folder ${JSON.stringify(this.projectDir)}`);
    await this.flush();
    return call(this.server, 'runs.logArtifact', { runId: this.id, path: rel.split(path.sep).join('/'), ...(name ? { name } : {}) });
  }

  /** Takes what is waiting as batches for runs.log. */
  take() {
    const batches = [];
    while (this.metrics.length || Object.keys(this.params).length || Object.keys(this.tags).length) {
      batches.push({ runId: this.id, metrics: this.metrics.splice(0, FLUSH_POINTS), params: this.params, tags: this.tags });
      this.params = {};
      this.tags = {};
    }
    return batches;
  }

  send() {
    const batches = this.take();
    if (batches.length === 0) return this.sending;
    this.sending = this.sending.then(async () => {
      for (const batch of batches) {
        try {
          await call(this.server, 'runs.log', batch);
        } catch (err) {
          this.error ??= err;
        }
      }
    });
    return this.sending;
  }

  /** Sends everything waiting; throws the first refusal since the last flush. */
  async flush() {
    await this.send();
    if (this.error) {
      const err = this.error;
      this.error = null;
      throw err;
    }
  }

  /** Sends what is waiting and ends the run: 'succeeded', 'failed' or 'cancelled'. */
  async end(status = 'succeeded') {
    if (this.ended) return;
    let error = null;
    try {
      await this.flush();
    } catch (err) {
      error = err;
    }
    this.close();
    // Values that could not be sent make the run incomplete: it ends failed, never running.
    await call(this.server, 'runs.end', { runId: this.id, status: error ? 'failed' : status });
    if (error) throw error;
  }

  /** Ending while Node exits: no more event loop, so the calls are made synchronously. */
  endSync(status) {
    if (this.ended) return;
    const calls = this.take().map((b) => ['runs.log', toWire(b)]);
    calls.push(['runs.end', toWire({ runId: this.id, status })]);
    this.close();
    callSync(this.server, calls);
  }

  close() {
    this.ended = true;
    clearInterval(this.timer);
    if (active === this) active = null;
  }

  checkOpen() {
    if (this.ended) throw new BenchtopError(`benchtop: run ${this.id} has ended; start a new one to log more`);
  }
}

/** startRun() inside a pipeline stage or `benchtop exec`: the stage's run, reported with lines. */
class StageRun {
  constructor() {
    this.id = process.env.BENCHTOP_RUN_ID;
  }
  logMetric(key, value, step) {
    logMetric(key, value, step);
  }
  logParams(values) {
    logParams(values);
  }
  setTag(key, value) {
    setTag(key, value);
  }
  async logArtifact(file) {
    logArtifact(file);
  }
  async flush() {}
  /** The runner ends the stage's run from the process's exit code. */
  async end() {}
}

let hooksInstalled = false;

function installExitHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  let crashed = false;
  // A monitor only watches: Node still prints the error and exits as it would without it.
  process.on('uncaughtExceptionMonitor', () => {
    crashed = true;
    if (active) active.endSync('failed');
  });
  process.on('beforeExit', () => {
    if (active) active.end(process.exitCode ? 'failed' : 'succeeded').catch((err) => process.stderr.write(`${err.message}\n`));
  });
  process.on('exit', (code) => {
    if (active) active.endSync(crashed || code !== 0 ? 'failed' : 'succeeded');
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      // The script's own handler decides what a signal means; the exit hook ends the run then.
      if (process.listenerCount(signal) > 0) return;
      if (active) active.endSync('cancelled');
      process.kill(process.pid, signal);
    });
  }
}

/** Starts a run through the local Benchtop server. Resolves to the run; end it with run.end(). */
async function startRun({ name, experiment, params: runParams, tags } = {}) {
  if (process.env.BENCHTOP_RUN_ID) {
    if (runParams) logParams(runParams);
    for (const [key, value] of Object.entries(tags ?? {})) setTag(key, value);
    return new StageRun();
  }
  if (active) throw new BenchtopError(`benchtop: run ${active.id} is still active; end it before starting another`);
  const server = connect();
  const project = await call(server, 'project.current', {});
  if (!project) throw new BenchtopError('benchtop: the Benchtop server has no project open; open one in its window first');
  const body = { source: sourceOf(project.path) };
  if (name !== undefined) body.name = String(name);
  if (experiment !== undefined) body.experiment = String(experiment);
  if (runParams) body.params = Object.fromEntries([...flatten(runParams, '')].map(([k, v]) => [k, paramText(k, v)]));
  if (tags) {
    for (const [key, value] of Object.entries(tags)) if (typeof value !== 'string') throw new Error(`benchtop: tag ${JSON.stringify(key)} must have a string value, got ${describe(value)}`);
    body.tags = { ...tags };
  }
  const { runId } = await call(server, 'runs.create', body);
  active = new Run(server, runId, project.path);
  installExitHooks();
  return active;
}

function sourceOf(projectDir) {
  const script = process.argv[1];
  if (!script) return 'node';
  const rel = path.relative(projectDir, path.resolve(script));
  return rel.startsWith('..') || path.isAbsolute(rel) ? script : rel.split(path.sep).join('/');
}

/** The run started with startRun() and not yet ended, or null. */
function activeRun() {
  return active;
}

/** The served version's artifact (a verified copy: a file, or a folder), from BENCHTOP_MODEL_PATH. */
function modelPath() {
  const file = process.env.BENCHTOP_MODEL_PATH;
  if (!file) throw new BenchtopError('BENCHTOP_MODEL_PATH is not set: run this predictor through `benchtop serve`, or set it to the model file.');
  return file;
}

/**
 * Answers the predict protocol until stdin closes: one JSON line out per JSON line in, in order.
 * fn(record) returns the output (or a promise of it); a record whose fn throws is answered
 * {"$error": "message"} and the next is read as usual. console.log goes to stderr meanwhile, so a
 * stray log cannot break the protocol. Resolves when stdin ends and every answer is written.
 */
function servePredictions(fn, options = {}) {
  const input = options.stdin || process.stdin;
  const output = options.stdout || process.stdout;
  for (const level of ['log', 'info', 'debug']) console[level] = (...args) => console.error(...args);
  const answer = (line) => {
    let text;
    try {
      const out = fn(JSON.parse(line));
      if (out && typeof out.then === 'function') return out.then(safeEncode, failed);
      text = encode(out);
    } catch (err) {
      text = failed(err);
    }
    return text;
  };
  const encode = (out) => {
    const text = JSON.stringify(out === undefined ? null : out, (_k, v) => {
      if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`the output holds ${v}, which JSON cannot carry`);
      return v;
    });
    return text;
  };
  const safeEncode = (out) => {
    try {
      return encode(out);
    } catch (err) {
      return failed(err);
    }
  };
  const failed = (err) => JSON.stringify({ $error: (err && err.message) || String(err) });
  output.write('{"$ready": true}\n');
  return new Promise((resolve, reject) => {
    let buffer = '';
    // Answers are written in input order, even when some come from promises.
    let chain = Promise.resolve();
    const take = (line) => {
      if (line.trim() === '') return;
      const text = answer(line);
      if (typeof text === 'string' && chain === settled) output.write(text + '\n');
      else {
        chain = chain.then(() => text).then((t) => {
          output.write(t + '\n');
        });
        const mine = chain;
        chain.then(() => {
          if (chain === mine) chain = settled;
        });
      }
    };
    const settled = chain;
    input.setEncoding('utf8');
    input.on('data', (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        take(buffer.slice(0, nl).replace(/\r$/, ''));
        buffer = buffer.slice(nl + 1);
      }
    });
    input.on('end', () => {
      take(buffer);
      chain.then(resolve, reject);
    });
    input.on('error', reject);
  });
}

module.exports = { params, logMetric, logParams, setTag, logArtifact, startRun, activeRun, Run, BenchtopError, PREFIX, modelPath, servePredictions };
