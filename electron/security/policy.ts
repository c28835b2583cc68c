// Runs in: main (Electron shell). The pure rules behind the desktop shell's locks, kept apart from
// electron's API so that tests can check them without the Electron binary.

export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://benchtop';

/** The renderer's web preferences: isolated, sandboxed, no Node, no webviews. */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const;

/** Only http(s) links may leave the app, and only to the system browser. */
export function isWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** Navigation is allowed only within the app's own origin. */
export function isAppUrl(url: string): boolean {
  try {
    // Compared by parts: outside Electron a custom scheme's URL.origin is "null".
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === 'benchtop';
  } catch {
    return false;
  }
}

/** An IPC sender is trusted only when it is our own top-level page on the app:// origin. */
export function isTrustedSender(frame: { url: string; parent: unknown } | null | undefined): boolean {
  if (!frame || frame.parent) return false;
  return isAppUrl(frame.url);
}
