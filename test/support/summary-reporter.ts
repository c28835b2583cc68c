// A closing line any CI can read: "N passed, N failed, N skipped" alone on a line, plus the
// reason each skipped test gave.
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const notes: string[] = [];
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const r = t.result();
        if (r.state === 'passed') passed++;
        else if (r.state === 'failed') failed++;
        else {
          skipped++;
          if (r.state === 'skipped' && r.note) notes.push(`skipped: ${t.fullName}: ${r.note}`);
        }
      }
    }
    for (const n of notes) process.stdout.write(`${n}\n`);
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
