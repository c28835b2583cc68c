// Runs in: renderer. How the run page shows a dependency's recorded hash: a file's sha256, a folder's
// `dir:<sha>:<files>`, or a model dependency's `model:NAME/N:<sha>` (the version it resolved to).
export function depHashLabel(hash: string): string {
  const model = /^model:(.+):([0-9a-f]{64})$/.exec(hash);
  if (model) return `${model[1]} · ${model[2]!.slice(0, 12)}`;
  const dir = /^dir:([0-9a-f]{64}):(\d+)$/.exec(hash);
  if (dir) return `${dir[1]!.slice(0, 12)} · ${Number(dir[2]).toLocaleString('en-US')} files`;
  return hash.slice(0, 12);
}
