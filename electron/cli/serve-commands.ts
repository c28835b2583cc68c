// Runs in: CLI (Node). `benchtop serve NAME@ALIAS|NAME/N`: a local HTTP endpoint for a registered
// model version until Ctrl+C or SIGTERM, which stop it cleanly (requests in flight answered, the
// prediction log flushed, the deployment marked stopped). The endpoint runs in this process through
// `deployments.serve`, whose `serve.event`s this prints as they come; the signal calls
// `deployments.serveStop` with the reason the deployment records.
import type { Command } from 'commander';
import { BenchtopError } from '../../shared/contract/errors';
import type { ServeEvent } from '../../shared/contract/schemas';
import type { GlobalOptions } from './project';
import { withProject } from './core-client';
import { printJson, UsageError } from './output';

interface ServeOptions {
  port?: string;
  host?: string;
  workers?: string;
  timeout?: string;
  token?: string;
  idField?: string;
  trust?: boolean;
}

function wholeNumber(flag: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max)
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not "${text}".`);
  return n;
}

function describeEvent(e: ServeEvent): string {
  switch (e.kind) {
    case 'switched':
      return `the alias moved: now serving version ${e.to} (version ${e.from} finishes its requests and stops)`;
    case 'switch-failed':
      return `the alias moved to version ${e.to}, which could not be served, so version ${e.from} keeps answering: ${e.reason}`;
    case 'worker-restarted':
      return `restarted a predict process of version ${e.version}: ${e.reason}`;
    case 'warning':
      return e.message;
    case 'health':
      return e.healthy
        ? `version ${e.version} recovered: a predict process stayed up, /health answers 200 again`
        : `unhealthy, /health answers 503: ${e.reason ?? `the predict processes of version ${e.version} keep crashing`}`;
    case 'stopped':
      return `stopped (${e.reason})`;
    case 'log':
      return `[v${e.version}] ${e.line}`;
  }
}

export async function serveCommand(ref: string, o: GlobalOptions & ServeOptions): Promise<void> {
  const port = wholeNumber('--port', o.port, 0, 65535);
  const workers = wholeNumber('--workers', o.workers, 1, 64);
  const timeoutMs = wholeNumber('--timeout', o.timeout, 1, 24 * 3600 * 1000);
  await withProject(o, async (call, core) => {
    // Subscribed before the call: a predict process may write on stderr while the endpoint starts.
    const unsubscribe = core.events.subscribe((e) => {
      if (e.name !== 'serve.event') return;
      const event = e.payload.event;
      process.stderr.write(
        event.kind === 'log' ? `${describeEvent(event)}\n` : `benchtop serve: ${describeEvent(event)}\n`,
      );
    });
    try {
      const s = await call('deployments.serve', {
        ref,
        ...(o.host !== undefined ? { host: o.host } : {}),
        ...(port !== undefined ? { port } : {}),
        ...(workers !== undefined ? { workers } : {}),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        ...(o.token !== undefined ? { token: o.token } : {}),
        ...(o.idField !== undefined ? { idField: o.idField } : {}),
        ...(o.trust ? { trust: true } : {}),
      });
      if (o.json) printJson(s);
      else {
        console.log(
          `Serving ${s.model} version ${s.version}${s.ref.includes('@') ? ` (${s.ref}, following the alias)` : ''} with ${s.workers} predict process${s.workers === 1 ? '' : 'es'} at`,
        );
        console.log(s.url);
        console.log(
          'POST /predict with a record or {"inputs": [records]}; GET /health; GET /metrics. Ctrl+C stops it.',
        );
        if (s.token) console.log(`Requests need the header: Authorization: Bearer ${s.token}`);
      }
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals): void => {
          process.off('SIGINT', onInt);
          process.off('SIGTERM', onTerm);
          call('deployments.serveStop', {
            deploymentId: s.deploymentId,
            reason: signal === 'SIGINT' ? 'stopped with Ctrl+C' : 'stopped by SIGTERM',
          })
            .catch((err: unknown) =>
              process.stderr.write(`benchtop serve: ${err instanceof Error ? err.message : String(err)}\n`),
            )
            .finally(resolve);
        };
        const onInt = (): void => stop('SIGINT');
        const onTerm = (): void => stop('SIGTERM');
        process.on('SIGINT', onInt);
        process.on('SIGTERM', onTerm);
      });
    } finally {
      unsubscribe();
    }
  });
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'serve a registered model version over HTTP (POST /predict, GET /health, GET /metrics) until Ctrl+C; NAME@ALIAS follows the alias as it moves',
    )
    .argument('<ref>', 'NAME@ALIAS, NAME/N, NAME (its latest version) or models:/…')
    .option('-p, --port <port>', 'port to listen on; 0 picks a free one', '0')
    .option('--host <host>', 'address to bind; anything but loopback requires a token', '127.0.0.1')
    .option('--workers <n>', 'warm predict processes (default: 1)')
    .option('--timeout <ms>', 'a request not answered this long gets 504 and its process is replaced (default: 30000)')
    .option('--token <token>', 'the bearer token requests must send (generated for a non-loopback host when absent)')
    .option(
      '--id-field <field>',
      'the input field naming each record in the prediction log, for joining labels later (default: id)',
    )
    .option(
      '--trust',
      'run the predict command an imported bundle brought (review it first: `benchtop models import` prints it); asked once per version',
    )
    .exitOverride()
    .action(async (ref: string, opts: ServeOptions, cmd: Command) => {
      if (ref.trim() === '')
        throw new BenchtopError('INVALID_INPUT', 'Name the model to serve.', {
          field: 'ref',
          hint: 'benchtop serve NAME@ALIAS (churn@champion) or NAME/N.',
        });
      await serveCommand(ref, { ...cmd.optsWithGlobals<GlobalOptions>(), ...opts });
    });
}
