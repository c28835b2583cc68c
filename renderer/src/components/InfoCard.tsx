// Runs in: renderer. A titled card of the run page and the model version page (params, metrics, lineage…).
import type { ReactNode } from 'react';

export function InfoCard({ title, children, wide }: { title: string; children: ReactNode; wide?: boolean }) {
  return (
    <section className={`run-card${wide ? ' wide' : ''}`} aria-label={title}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}
