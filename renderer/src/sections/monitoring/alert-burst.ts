// Runs in: renderer. Alerts that arrive together for one monitor (a check of many batches raises them
// one event each, in one burst) are gathered into one toast: five stacked toasts covered the view.
import type { EventPayload } from '../../../../shared/contract';

export type AlertEvent = EventPayload<'monitors.alert'>;

/** Alerts of one monitor that came within BURST_MS of each other. */
export interface AlertBurst {
  monitor: string;
  alerts: AlertEvent[];
  /** When the burst's newest alert arrived (ms). */
  last: number;
}

/**
 * A check emits its alerts in one loop once it has finished, so they arrive within milliseconds; two
 * seconds also gathers alerts a slow transport spreads out, and stays short of the next check.
 */
export const BURST_MS = 2_000;

/** Lines a toast lists before the rest are counted as "and N more". */
export const MAX_LINES = 3;

/**
 * The burst `alert` belongs to at `now`: `current` grown by it when `current` is the same monitor's
 * and its last alert came at most `windowMs` before; else a new burst of that alert alone.
 */
export function addToBurst(
  current: AlertBurst | undefined,
  alert: AlertEvent,
  now: number,
  windowMs = BURST_MS,
): AlertBurst {
  if (current && current.monitor === alert.monitor && now >= current.last && now - current.last <= windowMs) {
    return { monitor: current.monitor, alerts: [...current.alerts, alert], last: now };
  }
  return { monitor: alert.monitor, alerts: [alert], last: now };
}

export interface AlertToastContent {
  title: string;
  message: string;
  hint?: string;
  /** One short line per alert shown (batch and rule), when the toast stands for several. */
  lines?: string[];
  /** "and N more" under the lines, when there were more alerts than lines. */
  more?: string;
}

/** One alert's compact line: the batch it fired on, then the rule. */
export function alertLine(alert: AlertEvent): string {
  return alert.batch ? `${alert.batch}: ${alert.rule}` : alert.rule;
}

function retraining(alerts: readonly AlertEvent[]): string | null {
  const runs = [...new Set(alerts.map((a) => a.runId).filter((r): r is string => r !== null))];
  if (runs.length === 0) return null;
  return runs.length === 1 ? `Retraining started: run ${runs[0]}.` : `Retraining started: runs ${runs.join(', ')}.`;
}

/**
 * What the toast of a burst says. One alert reads as it always has (its message, then the retraining
 * run or the rule); several get a count, a line each up to MAX_LINES (all of them when only one would
 * be left over), and the retraining run.
 */
export function alertToastContent(burst: Pick<AlertBurst, 'monitor' | 'alerts'>): AlertToastContent {
  const { monitor, alerts } = burst;
  if (alerts.length === 0) throw new Error('a burst has at least one alert');
  const run = retraining(alerts);
  if (alerts.length === 1) {
    const alert = alerts[0]!;
    return { title: `Monitor ${monitor}: alert`, message: alert.message, hint: run ?? `Rule: ${alert.rule}` };
  }
  // "and 1 more" would take the line the alert itself needs.
  const shown = alerts.length <= MAX_LINES + 1 ? alerts : alerts.slice(0, MAX_LINES);
  const content: AlertToastContent = {
    title: `Monitor ${monitor}: ${alerts.length} alerts`,
    message: '',
    lines: shown.map(alertLine),
  };
  if (shown.length < alerts.length) content.more = `and ${alerts.length - shown.length} more`;
  if (run) content.hint = run;
  return content;
}
