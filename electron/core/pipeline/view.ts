// Runs in: main (core). A read-only view of benchtop.yaml for the Pipelines section: stages, what
// they read and write, which stages feed them, or every problem in the file.
import { BenchtopError } from '../../../shared/contract/errors';
import type { PipelineView } from '../../../shared/contract/schemas';
import { FileProblemError } from '../util/yaml-file';
import { PIPELINE_FILE } from '../util/layout';
import { buildDag, topoOrder } from './graph';
import { loadPipeline } from './load';

export function readPipelineView(projectDir: string): PipelineView {
  try {
    const pipeline = loadPipeline(projectDir);
    if (!pipeline)
      return { file: PIPELINE_FILE, exists: false, stages: [], problem: null, problems: [], slurmExecutors: [] };
    const dag = buildDag(pipeline.stages);
    const stages = topoOrder(pipeline.stages, dag).map((s) => ({
      name: s.name,
      cmd: s.cmd,
      // Model references are listed as written; they are never looked up as files.
      deps: [...s.deps, ...s.models.map((m) => m.ref)],
      outs: s.outs.filter((o) => o.kind === 'out').map((o) => o.path),
      params: s.params.map((p) => (p.file === 'params.yaml' ? p.key : `${p.file}:${p.key}`)),
      metrics: s.outs.filter((o) => o.kind === 'metric').map((o) => o.path),
      after: pipeline.stages.filter((u) => dag.upstream.get(s.name)!.has(u.name)).map((u) => u.name),
    }));
    const slurmExecutors = Object.entries(pipeline.executors ?? {})
      .filter(([, e]) => e.type === 'slurm')
      .map(([name]) => name);
    return { file: PIPELINE_FILE, exists: true, stages, problem: null, problems: [], slurmExecutors };
  } catch (err) {
    if (err instanceof FileProblemError)
      return {
        file: PIPELINE_FILE,
        exists: true,
        stages: [],
        problem: err.problem,
        problems: err.problems,
        slurmExecutors: [],
      };
    throw err;
  }
}

/** The graph `benchtop dag` prints: stages in run order, edges listed in the same order on every machine. */
export function pipelineDag(projectDir: string): { stages: string[]; edges: { from: string; to: string }[] } {
  const pipeline = loadPipeline(projectDir);
  if (!pipeline) throw new BenchtopError('NOT_FOUND', `${projectDir} has no benchtop.yaml.`);
  const dag = buildDag(pipeline.stages);
  const order = topoOrder(pipeline.stages, dag);
  // Upstream stages listed in run order, so the output is the same on every machine.
  const ups = (name: string): string[] => order.filter((o) => dag.upstream.get(name)!.has(o.name)).map((o) => o.name);
  return {
    stages: order.map((s) => s.name),
    edges: order.flatMap((s) => ups(s.name).map((from) => ({ from, to: s.name }))),
  };
}
