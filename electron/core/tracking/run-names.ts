// Runs in: main (core). Readable names for runs started without one ("brisk-otter-3"): ids such
// as run-20261207-130246-bf13d3 all look alike in a table, a legend or under a bar, where they get
// cut to their common prefix. A name is derived from the id, so it is stable, and made unique in
// the project, so two runs never read the same by default.
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';

// Short, plain, inoffensive words, so every pairing reads well and fits a narrow column.
// biome-ignore format: a word list reads best packed
const ADJECTIVES = [
  'amber', 'bold', 'brave', 'breezy', 'bright', 'brisk', 'calm', 'clever', 'cosy', 'crisp',
  'curious', 'dapper', 'eager', 'early', 'fancy', 'fleet', 'fresh', 'gentle', 'glad', 'golden',
  'grand', 'happy', 'hardy', 'honest', 'jolly', 'keen', 'kind', 'lively', 'lucky', 'mellow',
  'merry', 'mighty', 'misty', 'nimble', 'noble', 'patient', 'plucky', 'polite', 'proud', 'quick',
  'quiet', 'rapid', 'rosy', 'rustic', 'sandy', 'shiny', 'silent', 'silver', 'sleek', 'snowy',
  'solid', 'spry', 'steady', 'sturdy', 'sunny', 'swift', 'tidy', 'upbeat', 'vivid', 'warm',
  'wise', 'witty', 'young', 'zesty',
];

// biome-ignore format: a word list reads best packed
const NOUNS = [
  'otter', 'falcon', 'badger', 'heron', 'lynx', 'panda', 'robin', 'salmon', 'tiger', 'walrus',
  'beaver', 'bison', 'crane', 'dolphin', 'eagle', 'ferret', 'gecko', 'hare', 'ibis', 'jaguar',
  'koala', 'lemur', 'marten', 'newt', 'ocelot', 'owl', 'pelican', 'quail', 'raven', 'seal',
  'swan', 'toucan', 'turtle', 'viper', 'wombat', 'yak', 'zebra', 'maple', 'cedar', 'willow',
  'birch', 'aspen', 'fern', 'meadow', 'river', 'harbor', 'canyon', 'summit', 'comet', 'nebula',
  'pebble', 'quartz', 'ember', 'breeze', 'glacier', 'lagoon', 'prairie', 'delta', 'island', 'forest',
  'orchid', 'thistle', 'acorn', 'lantern',
];

/** 64 × 64 × 99 ≈ 400,000 names: collisions are rare, and `uniqueRunName` steps past them. */
const NUMBERS = 99;

/** The readable name of a run id; `attempt` picks another one for the same id when it is taken. */
export function readableRunName(id: string, attempt = 0): string {
  const digest = createHash('sha256')
    .update(attempt === 0 ? id : `${id}#${attempt}`)
    .digest();
  const adjective = ADJECTIVES[digest.readUInt16BE(0) % ADJECTIVES.length]!;
  const noun = NOUNS[digest.readUInt16BE(2) % NOUNS.length]!;
  return `${adjective}-${noun}-${(digest.readUInt16BE(4) % NUMBERS) + 1}`;
}

/**
 * A readable name for the run `id` that no other run of the project has. Call it inside the
 * transaction that inserts the run, so two writers cannot pick the same one.
 */
export function uniqueRunName(db: Database, id: string): string {
  const taken = db.prepare('SELECT 1 FROM runs WHERE name = ? LIMIT 1');
  for (let attempt = 0; attempt < 50; attempt++) {
    const name = readableRunName(id, attempt);
    if (!taken.get(name)) return name;
  }
  // Only a project with hundreds of thousands of generated names gets here: a longer number.
  return `${readableRunName(id)}${id.slice(-4).replace(/[^A-Za-z0-9]/g, '')}`;
}
