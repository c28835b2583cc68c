// Runs in: main (Electron). PDF reports in the desktop app: the report's HTML is printed by
// Electron's own Chromium (webContents.printToPDF) in a hidden window with JavaScript off and every
// request other than the report file itself refused, so a packaged app needs no separate browser.
import { BrowserWindow, session } from 'electron';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultPaper } from './core/reports/paper';
import type { Paper } from '../shared/contract/reports';

const PARTITION = 'benchtop-pdf';

export async function printPdfInElectron(html: string, paper: Paper = defaultPaper()): Promise<Buffer> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'benchtop-print-'));
  const file = path.join(work, 'report.html');
  writeFileSync(file, html);
  const allowed = pathToFileURL(file).href;
  const ses = session.fromPartition(PARTITION);
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: details.url !== allowed }));
  const win = new BrowserWindow({
    show: false,
    webPreferences: {
      partition: PARTITION,
      javascript: false,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  try {
    await win.loadFile(file);
    return await win.webContents.printToPDF({ printBackground: true, pageSize: paper === 'letter' ? 'Letter' : 'A4' });
  } finally {
    win.destroy();
    rmSync(work, { recursive: true, force: true });
  }
}
