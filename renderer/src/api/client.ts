// Runs in: renderer. The one client the UI uses, over whichever transport this window has.
import { createClient, type Client } from '../../../shared/contract';
import { desktopBridge } from './bridge';
import { httpTransport, ipcTransport, takeToken, type ConnectionState } from './transports';

const connectionListeners = new Set<(state: ConnectionState) => void>();

export function onConnectionChange(listener: (state: ConnectionState) => void): () => void {
  connectionListeners.add(listener);
  return () => connectionListeners.delete(listener);
}

const bridge = desktopBridge();
export const isDesktop = bridge !== undefined;

export const api: Client = createClient(
  bridge ? ipcTransport(bridge) : httpTransport(takeToken(), (s) => connectionListeners.forEach((l) => l(s))),
);
