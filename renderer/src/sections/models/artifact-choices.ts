// Runs in: renderer. What a run can register as a model: each logged artifact and pipeline output,
// and each folder its logged artifacts sit in (`model/` → the files under it, stored as one folder).
import type { RunArtifact } from '../../../../shared/contract';

export interface ArtifactChoice {
  /** What models.register takes as `artifact`: a path, or a folder without its trailing slash. */
  value: string;
  label: string;
  kind: 'file' | 'folder';
}

export function artifactChoices(artifacts: readonly RunArtifact[]): ArtifactChoice[] {
  const files = new Map<string, ArtifactChoice>();
  const folders = new Map<string, number>();
  for (const a of artifacts) {
    if (a.role === 'dep') continue;
    if (!files.has(a.path))
      files.set(a.path, {
        value: a.path,
        label: a.role === 'out' ? `${a.path} (output of ${a.stage || 'the pipeline'})` : a.path,
        kind: 'file',
      });
    // Only logged artifacts make up a folder: a pipeline output is registered as the path it is.
    if (a.role !== 'artifact') continue;
    const parts = a.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      folders.set(prefix, (folders.get(prefix) ?? 0) + 1);
    }
  }
  const folderChoices = [...folders.entries()]
    .filter(([p]) => !files.has(p))
    .map(
      ([p, n]): ArtifactChoice => ({
        value: p,
        label: `${p}/ (folder of ${n} file${n === 1 ? '' : 's'})`,
        kind: 'folder',
      }),
    );
  return [...folderChoices, ...files.values()].sort((a, b) => a.value.localeCompare(b.value));
}

/** The choice to start with: the first that looks like a model, else the first. */
export function defaultChoice(choices: readonly ArtifactChoice[]): string {
  return (choices.find((c) => /model/i.test(c.value)) ?? choices[0])?.value ?? '';
}
