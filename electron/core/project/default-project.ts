// Runs in: main (core). Started with no project, Benchtop opens a demo project that it creates once
// in the user data folder.
import { initProject } from './init';
import { defaultProjectDir } from '../workspace/user-data';
import { isProject, Workspace } from '../workspace/workspace';

export async function openDefaultProject(dataDir: string): Promise<Workspace> {
  const dir = defaultProjectDir(dataDir);
  if (isProject(dir)) return Workspace.open(dir);
  // initProject refuses to write over anything already there.
  return (await initProject(dir, { demo: true })).workspace;
}
