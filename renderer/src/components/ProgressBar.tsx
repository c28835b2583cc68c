// Runs in: renderer. A labelled progress bar: determinate when the total is known, indeterminate otherwise.
export function ProgressBar({ label, percent, detail }: { label: string; percent: number | null; detail?: string }) {
  return (
    <div className="progress">
      <div className="progress-text">
        <span>{label}</span>
        <span className="muted">{detail ?? (percent === null ? '' : `${percent}%`)}</span>
      </div>
      <div
        className={`progress-track${percent === null ? ' indeterminate' : ''}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
      >
        <div className="progress-fill" style={percent === null ? undefined : { width: `${percent}%` }} />
      </div>
    </div>
  );
}
