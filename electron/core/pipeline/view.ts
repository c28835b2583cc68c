// Runs in: main (core). A read-only view of benchtop.yaml for the Pipelines section: stages, what
// they read and write, and which stages feed them. Running the pipeline is the runner's job.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { PipelineStage, PipelineView } from '../../../shared/contract/schemas';
import { FileProblemError, readYamlFile } from '../util/yaml-file';
import { PIPELINE_FILE } from '../workspace/layout';

const pathEntry = z.union([z.string(), z.record(z.string(), z.unknown())]);
const stageSchema = z
  .object({
    cmd: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], { message: 'cmd must be a command or a list of commands' }),
    deps: z.array(z.string()).default([]),
    params: z.array(pathEntry).default([]),
    outs: z.array(pathEntry).default([]),
    metrics: z.array(pathEntry).default([]),
    plots: z.array(pathEntry).default([]),
  })
  .loose();
const pipelineSchema = z.object({
  stages: z.record(z.string().regex(/^[A-Za-z0-9_.@-]+$/, 'stage names use letters, digits, _ . @ -'), stageSchema),
}).loose();

function names(entries: readonly (string | Record<string, unknown>)[]): string[] {
  return entries.flatMap((e) => {
    if (typeof e === 'string') return [e];
    // `{path: {cache: false}}` for outs; `{file.yaml: [keys]}` for params.
    return Object.entries(e).flatMap(([k, v]) => (Array.isArray(v) ? v.map((key) => `${k}:${String(key)}`) : [k]));
  });
}

export function readPipelineView(projectDir: string): PipelineView {
  const file = path.join(projectDir, PIPELINE_FILE);
  if (!existsSync(file)) return { file: PIPELINE_FILE, exists: false, stages: [], problem: null };
  try {
    const parsed = readYamlFile(file, PIPELINE_FILE, pipelineSchema, 'Give each stage a `cmd` and list its `deps` and `outs` as paths.');
    const stages: PipelineStage[] = Object.entries(parsed.stages).map(([name, s]) => ({
      name,
      cmd: typeof s.cmd === 'string' ? [s.cmd] : s.cmd,
      deps: s.deps,
      outs: names(s.outs),
      params: names(s.params),
      metrics: names(s.metrics),
      after: [],
    }));
    const producer = new Map<string, string>();
    for (const st of stages) for (const out of st.outs) producer.set(path.posix.normalize(out), st.name);
    for (const st of stages) {
      st.after = [...new Set(st.deps.map((d) => producer.get(path.posix.normalize(d))).filter((n): n is string => !!n && n !== st.name))];
    }
    return { file: PIPELINE_FILE, exists: true, stages, problem: null };
  } catch (err) {
    if (err instanceof FileProblemError) return { file: PIPELINE_FILE, exists: true, stages: [], problem: err.problem };
    throw err;
  }
}
