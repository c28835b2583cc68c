// Runs in: main (core). The windows a prediction-log monitor cuts the log into: a UTC hour, day or ISO
// week by the prediction's time, or a run of N records in the order they were logged.

export interface Window {
  label: string;
  /** ISO bounds of the requests that count for it: [start, end), or [start, end] for record windows. */
  start: string;
  end: string;
  endInclusive: boolean;
  closed: boolean;
}

/** One logged prediction, as a window file is made of it. */
export interface LogRow {
  id: number;
  at: string;
  input_json: string;
  output_json: string | null;
  label_json: string | null;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The calendar window an ISO time falls in (UTC; weeks start on Monday, as ISO 8601 has them). */
export function timeWindow(at: string, window: 'hour' | 'day' | 'week', now: Date): Window {
  const t = Date.parse(at);
  let start: number;
  let length: number;
  let label: string;
  if (window === 'hour') {
    start = Math.floor(t / HOUR) * HOUR;
    length = HOUR;
    label = new Date(start).toISOString().slice(0, 13);
  } else if (window === 'day') {
    start = Math.floor(t / DAY) * DAY;
    length = DAY;
    label = new Date(start).toISOString().slice(0, 10);
  } else {
    const day = Math.floor(t / DAY) * DAY;
    // 1970-01-01 was a Thursday: (weekday + 6) % 7 days back is the Monday.
    const weekday = new Date(day).getUTCDay();
    start = day - ((weekday + 6) % 7) * DAY;
    length = 7 * DAY;
    label = `week-${new Date(start).toISOString().slice(0, 10)}`;
  }
  const end = start + length;
  return {
    label,
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    endInclusive: false,
    closed: end <= now.getTime(),
  };
}

/**
 * Records first..first+size-1 of the log (0-based `first`, `rows` the ones logged so far, in order):
 * closed once it holds `size`. Its requests are those between its first and last prediction.
 */
export function recordWindow(first: number, size: number, rows: readonly Pick<LogRow, 'at'>[]): Window {
  return {
    label: `records-${first + 1}-${first + size}`,
    start: rows[0]!.at,
    end: rows[rows.length - 1]!.at,
    endInclusive: true,
    closed: rows.length === size,
  };
}

/**
 * Times as the endpoint writes them (`Date#toISOString`, UTC): for these, text order is time order, so a
 * calendar window is exactly a range of the (model_name, at) index. Other forms (offsets, no
 * milliseconds) sort apart as text and are grouped by their parsed time instead.
 */
export function isCanonicalTime(at: string): boolean {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(at);
}
