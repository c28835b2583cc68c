// Runs in: renderer. The two ways to reach the core: Electron IPC (via the preload) or HTTP on
// loopback (browser mode, with the per-launch token from the URL fragment).
import type { BenchtopEvent, CallResult, EventName, MethodName, Transport } from '../../../shared/contract';
import { EVENT_NAMES, fromWire, toWire } from '../../../shared/contract';
import type { DesktopBridge } from './bridge';
import { sharedStream } from './shared-stream';

export type ConnectionState = 'connected' | 'reconnecting' | 'unauthorized';

export function ipcTransport(bridge: DesktopBridge): Transport {
  return {
    call: (method, input) => bridge.methods[method](input) as Promise<CallResult<unknown>>,
    subscribe: (listener) => bridge.onEvent((e) => listener(e as BenchtopEvent)),
  };
}

const TOKEN_KEY = 'benchtop.token';

/** Takes the token out of the URL (so it is not bookmarked or shared) and keeps it for reloads. */
export function takeToken(): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, match[1]!);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return match[1]!;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/** The launch token kept for this tab (browser mode), for signing report links. */
export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

function parseSse(block: string): BenchtopEvent | null {
  let name = '';
  let data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('event: ')) name = line.slice(7);
    else if (line.startsWith('data: ')) data += line.slice(6);
  }
  if (!name || !(EVENT_NAMES as readonly string[]).includes(name)) return null;
  try {
    return { name: name as EventName, payload: fromWire(data) } as BenchtopEvent;
  } catch {
    return null;
  }
}

export function httpTransport(token: string | null, onConnection: (state: ConnectionState) => void): Transport {
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${token ?? ''}` };
  const subscribe = sharedStream<BenchtopEvent>((emit) => {
    const controller = new AbortController();
    let delay = 500;
    const loop = async (): Promise<void> => {
      while (!controller.signal.aborted) {
        try {
          const response = await fetch('/api/events', {
            headers: { Authorization: headers.Authorization },
            signal: controller.signal,
          });
          if (response.status === 401) {
            onConnection('unauthorized');
            return;
          }
          if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
          onConnection('connected');
          delay = 500;
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += value;
            let cut: number;
            while ((cut = buffer.indexOf('\n\n')) >= 0) {
              const event = parseSse(buffer.slice(0, cut));
              buffer = buffer.slice(cut + 2);
              if (event) emit(event);
            }
          }
        } catch {
          if (controller.signal.aborted) return;
        }
        onConnection('reconnecting');
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 10_000);
      }
    };
    void loop();
    return () => controller.abort();
  });
  return {
    async call(method: MethodName, input: unknown): Promise<CallResult<unknown>> {
      let response: Response;
      try {
        response = await fetch(`/api/${method}`, { method: 'POST', headers, body: toWire(input ?? {}) });
      } catch {
        onConnection('reconnecting');
        return {
          ok: false,
          error: {
            code: 'INTERNAL',
            message: 'Benchtop is not reachable.',
            hint: 'Check that `benchtop ui` is still running in your terminal.',
          },
        };
      }
      if (response.status === 401) onConnection('unauthorized');
      try {
        return fromWire(await response.text()) as CallResult<unknown>;
      } catch {
        return { ok: false, error: { code: 'INTERNAL', message: `Benchtop answered with HTTP ${response.status}.` } };
      }
    },
    subscribe,
  };
}
