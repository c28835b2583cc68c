// Runs in: main (core), CLI and browser-mode server. Binding a server to its port, with one clear
// error for every server Benchtop starts (`benchtop ui`, `benchtop serve`, the app's endpoints):
// a port another program holds, or an address that is not this machine's.
import type { Server } from 'node:net';
import { BenchtopError } from '../../../shared/contract/errors';

/** Listens on `host:port`; a failure is a BenchtopError naming the address and what to do. */
export async function listenOn(server: Server, port: number, host: string): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const inUse = e.code === 'EADDRINUSE';
    throw new BenchtopError(
      inUse ? 'CONFLICT' : 'INVALID_INPUT',
      `Could not listen on ${host}:${port} (${e.code ?? e.message}).`,
      {
        field: inUse ? 'port' : 'host',
        hint: inUse
          ? 'Another program uses that port: pick another, or 0 for a free one.'
          : 'Give an address of this machine, such as 127.0.0.1 or 0.0.0.0.',
      },
    );
  }
}
