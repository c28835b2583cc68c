// A closing line any CI can read: "N passed, N failed, N skipped" alone on a line, plus the
// reason each skipped test gave, and how many of the safety suite's cases were tried and held.
import type { Reporter, TestCase, TestModule } from 'vitest/node';

/** The safety suite's tests are titled `case N: …`, one or more per case of the issue they guard. */
const SAFETY_FILE = /[\\/]test[\\/]integration[\\/]safety[\\/]/;
const CASE_TITLE = /^case (\d+):/;

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const notes: string[] = [];
    // Case number → whether every test of it passed (a skipped test does not hold a case).
    const cases = new Map<number, boolean>();
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const r = t.result();
        if (r.state === 'passed') passed++;
        else if (r.state === 'failed') failed++;
        else {
          skipped++;
          if (r.state === 'skipped' && r.note) notes.push(`skipped: ${t.fullName}: ${r.note}`);
        }
        const n = safetyCase(m, t);
        if (n !== null) cases.set(n, (cases.get(n) ?? true) && r.state === 'passed');
      }
    }
    for (const n of notes) process.stdout.write(`${n}\n`);
    if (cases.size) {
      const broken = [...cases]
        .filter(([, held]) => !held)
        .map(([n]) => n)
        .sort((a, b) => a - b);
      const tail = broken.length ? ` (not held: case ${broken.join(', ')})` : '';
      process.stdout.write(`\nsafety suite: ${cases.size} cases tried, ${cases.size - broken.length} held${tail}\n`);
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}

function safetyCase(m: TestModule, t: TestCase): number | null {
  if (!SAFETY_FILE.test(m.moduleId)) return null;
  const hit = CASE_TITLE.exec(t.name);
  return hit ? Number(hit[1]) : null;
}
