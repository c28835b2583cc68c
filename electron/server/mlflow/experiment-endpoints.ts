// Runs in: main (browser-mode server). MLflow's experiment endpoints: create, get by id or name, and
// search with the name filters MLflow clients use.
import type { MethodInput } from '../../../shared/contract/methods';
import { tokenize } from '../../../shared/query/parse';
import { invalid } from './errors';
import { type Fields, optString, reqString, stringList } from './request';
import { experimentJson, NOTE_TAG, pageToken } from './shapes';
import {
  viewTypeOf,
  MAX_SEARCH_RESULTS,
  project,
  call,
  experimentOf,
  pairsOf,
  maxResults,
  offsetOf,
  type Endpoint,
  GET,
  POST,
  READ,
} from './context';

type NameCondition = NonNullable<MethodInput<'experiments.search'>['names']>[number];

function experimentFilter(filter: string): NameCondition[] {
  let tokens: ReturnType<typeof tokenize>;
  try {
    tokens = tokenize(filter);
  } catch (err) {
    throw invalid(`The experiment filter has a mistake: ${(err as Error).message}.`);
  }
  const out: NameCondition[] = [];
  let i = 0;
  const unsupported = (): never => {
    throw invalid(
      `Benchtop filters experiments by name only: name = 'x', name != 'x', name LIKE 'x%' or name ILIKE 'x%', joined with AND. "${filter}" is not one of those.`,
    );
  };
  while (tokens[i]!.kind !== 'end') {
    if (out.length > 0) {
      const and = tokens[i++]!;
      if (and.kind !== 'word' || and.text.toLowerCase() !== 'and') unsupported();
    }
    let t = tokens[i++]!;
    if (
      t.kind === 'word' &&
      ['attribute', 'attributes'].includes(t.text.toLowerCase()) &&
      tokens[i]?.kind === 'punct'
    ) {
      i++;
      t = tokens[i++]!;
    }
    if (t.kind !== 'word' || t.text.toLowerCase() !== 'name') unsupported();
    let op = tokens[i++]!;
    let not = false;
    if (op.kind === 'word' && op.text.toLowerCase() === 'not') {
      not = true;
      op = tokens[i++]!;
    }
    const v = tokens[i++]!;
    if (v.kind !== 'string') unsupported();
    const value = (v as { text: string }).text;
    if (op.kind === 'op' && !not && (op.text === '=' || op.text === '!=')) out.push({ op: op.text, value });
    else if (op.kind === 'word' && ['like', 'ilike'].includes(op.text.toLowerCase()))
      out.push({ op: not ? 'not like' : 'like', value });
    else unsupported();
  }
  return out;
}

function experimentOrder(f: Fields): { orderBy: 'name' | 'created' | 'updated' | 'id'; ascending: boolean } {
  const clauses = stringList(f, 'order_by');
  if (clauses.length === 0) return { orderBy: 'updated', ascending: false };
  if (clauses.length > 1) throw invalid('Benchtop sorts experiments by one field; give one order_by clause.');
  const m = /^\s*(?:attributes?\.)?(name|creation_time|last_update_time|experiment_id)(?:\s+(asc|desc))?\s*$/i.exec(
    clauses[0]!,
  );
  if (!m)
    throw invalid(
      `Cannot sort experiments by "${clauses[0]}"; use name, creation_time, last_update_time or experiment_id, with ASC or DESC.`,
    );
  const orderBy = (
    { name: 'name', creation_time: 'created', last_update_time: 'updated', experiment_id: 'id' } as const
  )[m[1]!.toLowerCase() as 'name'];
  return { orderBy, ascending: (m[2] ?? 'asc').toLowerCase() === 'asc' };
}

export const EXPERIMENT_ENDPOINTS: Record<string, Endpoint> = {
  'experiments/create': {
    methods: POST,
    handle: async (ctx, f) => {
      project(ctx);
      const name = reqString(f, 'name');
      const note = pairsOf(f, 'tags').find(([k]) => k === NOTE_TAG)?.[1] ?? '';
      const { id } = await call(ctx, 'experiments.create', { name, description: note });
      return { experiment_id: String(id) };
    },
  },
  'experiments/get': {
    methods: GET,
    handle: async (ctx, f) => {
      project(ctx);
      return { experiment: experimentJson(await experimentOf(ctx, reqString(f, 'experiment_id'))) };
    },
  },
  'experiments/get-by-name': {
    methods: GET,
    handle: async (ctx, f) => {
      project(ctx);
      const name = reqString(f, 'experiment_name');
      return { experiment: experimentJson(await call(ctx, 'experiments.get', { name })) };
    },
  },
  'experiments/search': {
    methods: READ,
    handle: async (ctx, f) => {
      project(ctx);
      const view = viewTypeOf(f, 'view_type');
      const limit = maxResults(f, 1000, MAX_SEARCH_RESULTS);
      const offset = offsetOf(f);
      // Benchtop does not delete experiments, so none is ever in the deleted view.
      if (view === 'DELETED_ONLY') return { experiments: [] };
      const { experiments: found } = await call(ctx, 'experiments.search', {
        names: experimentFilter(optString(f, 'filter') ?? ''),
        ...experimentOrder(f),
        offset,
        limit: limit + 1,
      });
      const answer: Record<string, unknown> = { experiments: found.slice(0, limit).map(experimentJson) };
      if (found.length > limit) answer.next_page_token = pageToken(offset + limit);
      return answer;
    },
  },
};
