// Runs in: main (core) and CLI. Printing a self-contained HTML report to PDF with headless Chromium
// run as a child process: the same engine that shows the report prints it, and Benchtop needs no PDF
// library. Generic (model cards, drift reports): HTML in, PDF bytes out.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BenchtopError } from '../../../shared/contract/errors';
import type { Paper } from '../../../shared/contract/reports';
import { defaultPaper, withPageSize } from './paper';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];
const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** BENCHTOP_CHROMIUM, else the usual install paths, else the usual names on PATH. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.BENCHTOP_CHROMIUM;
  if (given) {
    if (executable(given)) return given;
    throw new BenchtopError('NOT_FOUND', `BENCHTOP_CHROMIUM names ${given}, which is not an executable file.`, {
      hint: 'Point BENCHTOP_CHROMIUM at a Chromium or Chrome binary, or unset it.',
    });
  }
  for (const c of CANDIDATES) if (executable(c)) return c;
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const n of NAMES) if (executable(path.join(dir, n))) return path.join(dir, n);
  }
  throw new BenchtopError('NOT_FOUND', 'Printing to PDF needs Chromium or Google Chrome, and neither was found.', {
    hint: 'Install Chromium (Debian/Ubuntu: `sudo apt install chromium`), or set BENCHTOP_CHROMIUM to the path of a Chrome binary. The HTML report needs nothing.',
  });
}

export interface PdfOptions {
  /** Killed after this long (default 60 s). */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** The paper to print on; the locale's (read from `env`) when left out. */
  paper?: Paper;
}

/** A shell's way of printing a report (Electron's own in the desktop app), on the paper given. */
export type PrintPdf = (html: string, paper: Paper) => Promise<Buffer>;

/** Prints the HTML file `htmlFile` to PDF; returns the PDF's bytes. */
export async function printHtmlFileToPdf(htmlFile: string, options: PdfOptions = {}): Promise<Buffer> {
  const binary = findChromium(options.env);
  // A fresh profile every time: nothing from a user's browser leaks in, nothing is left behind.
  const work = mkdtempSync(path.join(os.tmpdir(), 'benchtop-pdf-'));
  const out = path.join(work, 'out.pdf');
  try {
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--no-pdf-header-footer',
      `--user-data-dir=${path.join(work, 'profile')}`,
      `--print-to-pdf=${out}`,
      pathToFileURL(path.resolve(htmlFile)).href,
    ];
    const timeoutMs = options.timeoutMs ?? 60_000;
    const { code, stderr, timedOut } = await new Promise<{ code: number | null; stderr: string; timedOut: boolean }>(
      (resolve, reject) => {
        const child = spawn(binary, args, {
          stdio: ['ignore', 'ignore', 'pipe'],
          detached: process.platform !== 'win32',
        });
        let stderr = '';
        let timedOut = false;
        child.stderr!.on('data', (d: Buffer) => {
          // Keep the tail only: Chromium is chatty about D-Bus on machines without one.
          stderr = (stderr + d.toString()).slice(-8000);
        });
        const timer = setTimeout(() => {
          timedOut = true;
          // Chromium starts helper processes; end the whole group it leads.
          try {
            if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
            else child.kill('SIGKILL');
          } catch {
            child.kill('SIGKILL');
          }
        }, timeoutMs);
        child.on('error', (err) => {
          clearTimeout(timer);
          reject(
            new BenchtopError('INTERNAL', `Could not start ${binary}: ${err.message}.`, {
              hint: 'Check the Chromium install, or set BENCHTOP_CHROMIUM to another Chrome binary.',
            }),
          );
        });
        child.on('close', (c) => {
          clearTimeout(timer);
          resolve({ code: c, stderr, timedOut });
        });
      },
    );
    if (timedOut)
      throw new BenchtopError(
        'INTERNAL',
        `Chromium did not finish printing the PDF within ${Math.round(timeoutMs / 1000)} s.`,
        { hint: 'Try again; export the HTML report instead if it keeps happening.' },
      );
    let bytes: Buffer;
    try {
      bytes = readFileSync(out);
    } catch {
      const last = stderr
        .split('\n')
        .filter((l) => l.trim() && !/dbus|D-Bus/i.test(l))
        .slice(-3)
        .join(' ');
      throw new BenchtopError(
        'INTERNAL',
        `Chromium (${binary}) exited with code ${code} without writing a PDF.${last ? ` It said: ${last.slice(0, 600)}` : ''}`,
        { hint: 'Export the HTML report instead, or set BENCHTOP_CHROMIUM to another Chrome binary.' },
      );
    }
    if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-')
      throw new BenchtopError('INTERNAL', `Chromium (${binary}) wrote something that is not a PDF.`, {
        hint: 'Export the HTML report instead.',
      });
    return bytes;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Prints an HTML document (a string) to PDF; the HTML goes through a temp file that is removed. */
export async function printHtmlToPdf(htmlText: string, options: PdfOptions = {}): Promise<Buffer> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'benchtop-html-'));
  try {
    const file = path.join(work, 'report.html');
    const paper = options.paper ?? defaultPaper(options.env ? { env: options.env } : {});
    writeFileSync(file, withPageSize(htmlText, paper), 'utf8');
    return await printHtmlFileToPdf(file, options);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The CLI's and the browser mode's printer: headless Chromium. */
export const printWithChromium: PrintPdf = (html, paper) => printHtmlToPdf(html, { paper });
