// Runs in: main (core) and CLI (Node). The little a shell needs from the core besides the handler
// map: where the user's data lives, whether a folder is a project, and the project lock a writing
// command holds for its whole length (a CLI command spans many contract calls). Shells import
// these from here, never from the domain folders, so the core's inside can change freely.
export { defaultDataDir } from '../workspace/user-data';
export { isProject } from '../workspace/workspace';
export { acquireProjectLock, describeHolder, processAlive, type ReleaseLock } from '../workspace/project-lock';
// `benchtop ui` writes its address and token to .benchtop/server.json: the project's .gitignore must
// keep that secret out of commits before the file exists.
export { ensureGitignore } from '../workspace/gitignore';
