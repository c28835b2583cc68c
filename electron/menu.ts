// Runs in: main (Electron). The application menu: open a project folder, recent projects.
import { app, dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { Core } from './core/app/core';
import { listRecent } from './core/project/recent';

export async function chooseFolder(win: BrowserWindow | null, title: string): Promise<string | null> {
  const options = {
    title,
    properties: ['openDirectory', 'createDirectory'] as Array<'openDirectory' | 'createDirectory'>,
  };
  const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

async function openWithErrors(action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const hint = (err as { hint?: string }).hint;
    await dialog.showMessageBox({
      type: 'error',
      message: 'Benchtop could not open that project',
      detail: hint ? `${message}\n\n${hint}` : message,
    });
  }
}

export function buildMenu(core: Core, getWindow: () => BrowserWindow | null): void {
  const rebuild = (): void => buildMenu(core, getWindow);
  const recent = listRecent(core.options.dataDir).filter((r) => r.exists);
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        {
          label: 'Open Project Folder…',
          accelerator: 'CmdOrCtrl+O',
          click: async () => {
            const dir = await chooseFolder(getWindow(), 'Open a Benchtop project folder');
            if (dir) await openWithErrors(() => core.open(dir));
            rebuild();
          },
        },
        {
          label: 'New Project in Folder…',
          accelerator: 'CmdOrCtrl+Shift+N',
          click: async () => {
            const dir = await chooseFolder(getWindow(), 'Choose a folder for the new project');
            if (dir) await openWithErrors(() => core.init(dir, false));
            rebuild();
          },
        },
        {
          label: 'Open Recent',
          submenu: recent.length
            ? recent.map((r) => ({
                label: `${r.name} — ${r.path}`,
                click: async () => {
                  await openWithErrors(() => core.open(r.path));
                  rebuild();
                },
              }))
            : [{ label: 'No recent projects', enabled: false }],
        },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { role: 'reload' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'About Benchtop', click: () => app.showAboutPanel() }],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
