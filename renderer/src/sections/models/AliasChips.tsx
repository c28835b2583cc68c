// Runs in: renderer. Aliases as chips (champion → v3), the same look in every Models view.
export function AliasChips({ aliases, label }: { aliases: { alias: string; version?: number }[]; label: string }) {
  if (aliases.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="alias-chips" aria-label={label}>
      {aliases.map((a) => (
        <li key={a.alias} className={`alias-chip alias-${a.alias}`}>
          {a.alias}
          {a.version !== undefined ? <span className="alias-target"> → v{a.version}</span> : null}
        </li>
      ))}
    </ul>
  );
}
