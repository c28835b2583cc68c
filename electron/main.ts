// Runs in: main (Electron). Window, menu, security and lifecycle; everything else is the core.
import { app, BrowserWindow, session, shell } from 'electron';
import path from 'node:path';
import { BenchtopError } from '../shared/contract/errors';
import { Core } from './core/app/core';
import { requireReportFile } from './core/reports/list';
import { packageRoot } from './core/util/package-root';
import { listRecent } from './core/project/recent';
import { forwardEvents, registerIpc } from './ipc';
import { buildMenu, chooseFolder } from './menu';
import { printPdfInElectron } from './print-pdf';
import { registerSchemePrivileges, serveRenderer } from './protocol';
import { APP_ORIGIN, isAppUrl, isWebUrl, SECURE_WEB_PREFERENCES } from './security/policy';

/** Navigation and new windows are denied; web links go to the system browser. */
function lockDown(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      if (isWebUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (isAppUrl(url)) return;
      event.preventDefault();
      if (isWebUrl(url)) void shell.openExternal(url);
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

let mainWindow: BrowserWindow | null = null;

function createWindow(core: Core): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 880,
    minHeight: 560,
    title: 'Benchtop',
    show: false,
    webPreferences: {
      ...SECURE_WEB_PREFERENCES,
      preload: path.join(__dirname, 'preload.cjs'),
    },
  });
  win.once('ready-to-show', () => win.show());
  forwardEvents(core, win);
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

async function start(): Promise<void> {
  app.enableSandbox();
  registerSchemePrivileges();
  lockDown();
  await app.whenReady();

  // Deny every permission request (camera, notifications, geolocation…): Benchtop needs none.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  serveRenderer(path.join(packageRoot(), 'dist', 'renderer'));

  const dataDir = process.env.BENCHTOP_DATA_DIR ? path.resolve(process.env.BENCHTOP_DATA_DIR) : app.getPath('userData');
  const core = new Core({
    dataDir,
    mode: 'desktop',
    scheduler: (e) => console.log(`benchtop: ${e.message}`),
    printPdf: printPdfInElectron,
    overrides: {
      'project.chooseFolder': async () => ({
        supported: true,
        path: await chooseFolder(mainWindow, 'Choose a project folder'),
      }),
      'reports.open': async ({ path: reportPath }) => {
        const dir = core.project?.dir;
        if (!dir) throw new BenchtopError('NO_PROJECT', 'No project is open.', { hint: 'Open a project first.' });
        const file = requireReportFile(dir, reportPath);
        // The system's viewer (a browser for .html, offline via file://): the report's own CSP keeps it script-free there too.
        const problem = await shell.openPath(file);
        if (problem)
          throw new BenchtopError('INTERNAL', `Could not open ${reportPath}: ${problem}`, {
            hint: "Open the file from the project's reports/ folder.",
          });
        return { opened: true, file };
      },
    },
  });
  registerIpc(core);

  // Open the most recent project that still exists; with none, the demo project.
  const last = listRecent(dataDir).find((r) => r.exists);
  try {
    if (last) await core.open(last.path);
    else await core.openDefault();
  } catch (err) {
    console.error('benchtop: could not open the last project:', err);
    await core.openDefault().catch((e: unknown) => console.error('benchtop: could not open the demo project:', e));
  }

  const getWindow = (): BrowserWindow | null => mainWindow;
  core.events.subscribe((e) => {
    if (e.name === 'project.changed') buildMenu(core, getWindow);
  });
  buildMenu(core, getWindow);
  mainWindow = createWindow(core);
  mainWindow.on('closed', () => (mainWindow = null));

  app.on('activate', () => {
    if (!mainWindow) mainWindow = createWindow(core);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // A running pipeline is cancelled (its process trees ended) and recorded before the app exits.
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    void core.shutdown().finally(() => app.quit());
  });
}

start().catch((err: unknown) => {
  console.error('benchtop: failed to start:', err);
  app.exit(1);
});
