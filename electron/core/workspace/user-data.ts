// Runs in: main (core). The per-user folder for Benchtop's own state (recent projects, the default
// demo project). Electron passes app.getPath('userData'); Node shells use the same folder.
import os from 'node:os';
import path from 'node:path';

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.BENCHTOP_DATA_DIR) return path.resolve(env.BENCHTOP_DATA_DIR);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Benchtop');
  if (platform === 'win32') return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), 'Benchtop');
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'Benchtop');
}

export function defaultProjectDir(dataDir: string): string {
  return path.join(dataDir, 'projects', 'demo');
}
