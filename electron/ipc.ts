// Runs in: main (Electron). The contract over IPC: every message's sender is checked, then the
// shared dispatcher validates the method and input before a handler runs.
import { ipcMain, type BrowserWindow } from 'electron';
import { dispatch } from '../shared/contract/dispatch';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../shared/contract/names';
import type { Core } from './core/app/core';
import { isTrustedSender } from './security/policy';

export function registerIpc(core: Core): void {
  ipcMain.handle(IPC_CALL_CHANNEL, async (event, method: unknown, input: unknown) => {
    if (!isTrustedSender(event.senderFrame)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'This page may not call Benchtop.' } };
    }
    return dispatch(core.handlers, method, input, {
      onInternalError: (m, err) => console.error(`benchtop: internal error in ${m}:`, err),
    });
  });
}

/** Forwards core events to a window until it closes. */
export function forwardEvents(core: Core, win: BrowserWindow): void {
  const unsubscribe = core.events.subscribe((event) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, event);
  });
  win.on('closed', unsubscribe);
}
