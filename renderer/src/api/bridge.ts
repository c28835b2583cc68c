// Runs in: renderer. What the Electron preload exposes on window.benchtop (absent in browser mode).
import type { CallResult, MethodName } from '../../../shared/contract';

export interface DesktopBridge {
  methods: Record<MethodName, (input: unknown) => Promise<CallResult<unknown>>>;
  onEvent(listener: (event: unknown) => void): () => void;
  /** The on-disk path of a dropped file (desktop only; the browser never reveals it). */
  pathForFile?(file: File): string;
}

export function desktopBridge(): DesktopBridge | undefined {
  return (window as unknown as { benchtop?: DesktopBridge }).benchtop;
}
