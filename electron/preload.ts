// Runs in: preload (sandboxed renderer, before the page). Exposes one function per contract method
// and one event subscription, plus the path of a dropped file; nothing else: no ipcRenderer, no Node.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, METHOD_NAMES } from '../shared/contract/names';

const methods: Record<string, (input: unknown) => Promise<unknown>> = {};
for (const name of METHOD_NAMES) {
  methods[name] = (input: unknown) => ipcRenderer.invoke(IPC_CALL_CHANNEL, name, input);
}

contextBridge.exposeInMainWorld('benchtop', {
  methods,
  onEvent(listener: (event: unknown) => void): () => void {
    const wrapped = (_e: IpcRendererEvent, event: unknown): void => listener(event);
    ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped);
  },
  /** Where a dropped file is on disk (the page itself only gets its name and bytes). */
  pathForFile(file: File): string {
    return webUtils.getPathForFile(file);
  },
});
