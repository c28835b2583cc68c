// Runs in: CLI (Node). Bundled to dist/cli.cjs; bin/benchtop.cjs loads it.
import { runCli } from './main';

// `ui` keeps serving (its server holds the event loop open) until it is stopped.
runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`benchtop: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
