// Browser mode's events: every view's subscription shares one `/api/events` stream (a browser keeps
// at most six connections to a host, so a stream per view starved the calls), each listener hears
// every event, one that throws does not silence the others, and the stream closes with the last.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { httpTransport } from '../../../renderer/src/api/transports';
import type { BenchtopEvent } from '../../../shared/contract';

interface Opened {
  signal: AbortSignal;
  push(text: string): void;
}

function fakeEvents(): Opened[] {
  const opened: Opened[] = [];
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
    expect(url).toBe('/api/events');
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
    const signal = init.signal!;
    signal.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
    opened.push({ signal, push: (text) => controller.enqueue(new TextEncoder().encode(text)) });
    return Promise.resolve(new Response(body, { status: 200 }));
  });
  return opened;
}

const sse = (name: string, payload: unknown): string => `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('httpTransport events', () => {
  it('shares one stream among listeners and closes it when the last one leaves', async () => {
    const opened = fakeEvents();
    const transport = httpTransport('t', () => {});
    const a: BenchtopEvent[] = [];
    const b: BenchtopEvent[] = [];
    const offA = transport.subscribe((e) => a.push(e));
    const offB = transport.subscribe((e) => {
      b.push(e);
      throw new Error('a broken view');
    });
    const offC = transport.subscribe(() => {});
    await vi.waitFor(() => expect(opened).toHaveLength(1));
    const thrown: unknown[] = [];
    const onError = (err: unknown): void => void thrown.push(err);
    process.on('uncaughtException', onError);
    try {
      opened[0]!.push(sse('models.changed', { name: 'iris' }) + sse('deployments.requests', { model: 'iris', deploymentId: 'd', count: 3 }));
      await vi.waitFor(() => expect(a).toHaveLength(2));
      expect(b).toHaveLength(2);
      expect(a[1]).toEqual({ name: 'deployments.requests', payload: { model: 'iris', deploymentId: 'd', count: 3 } });
      await vi.waitFor(() => expect(thrown).toHaveLength(2));
    } finally {
      process.off('uncaughtException', onError);
    }
    offA();
    offB();
    expect(opened[0]!.signal.aborted).toBe(false);
    offC();
    expect(opened[0]!.signal.aborted).toBe(true);
    // A later view opens a fresh stream.
    const offD = transport.subscribe(() => {});
    await vi.waitFor(() => expect(opened).toHaveLength(2));
    offD();
    expect(opened).toHaveLength(2);
  });
});
