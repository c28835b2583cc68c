// Runs in: main (core) and CLI. The paper a PDF report is printed on: asked for (`--paper a4|letter`),
// else the one the user's locale uses. Letter is used in a handful of regions of the Americas and the
// Philippines; A4 everywhere else, which is also what the C library's own C/POSIX locale says.
import type { Paper } from '../../../shared/contract/reports';

/** The regions that print on Letter (Unicode CLDR's paper size data). */
const LETTER_REGIONS = new Set(['BZ', 'CA', 'CL', 'CO', 'CR', 'GT', 'MX', 'NI', 'PA', 'PH', 'PR', 'SV', 'US', 'VE']);

/** The region of a POSIX (en_US.UTF-8@euro) or BCP 47 (en-US) locale; a language alone gets its likeliest region. */
function regionOf(locale: string): string | null {
  const bare = locale.replace(/[.@].*$/, '');
  if (bare === '' || bare === 'C' || bare === 'POSIX') return null;
  try {
    return new Intl.Locale(bare.replace(/_/g, '-')).maximize().region ?? null;
  } catch {
    // Not a locale Intl knows: the region is the last two-letter part, if any.
    return /[-_]([A-Za-z]{2})$/.exec(bare)?.[1]?.toUpperCase() ?? null;
  }
}

export function paperForLocale(locale: string | null | undefined): Paper {
  const region = locale ? regionOf(locale) : null;
  return region !== null && LETTER_REGIONS.has(region) ? 'letter' : 'a4';
}

export interface PaperContext {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** The locale the system gives the app (Intl's default when left out). */
  intlLocale?: string;
}

/**
 * The locale's paper. On Linux and the other Unixes, the C library's order: LC_ALL, then LC_PAPER,
 * then LANG (empty ones skipped); none set is the C locale. On macOS and Windows, where those are
 * rarely set, the locale the system gives the app.
 */
export function defaultPaper(context: PaperContext = {}): Paper {
  const env = context.env ?? process.env;
  const platform = context.platform ?? process.platform;
  if (platform !== 'darwin' && platform !== 'win32') {
    const set = [env.LC_ALL, env.LC_PAPER, env.LANG].find((v) => v !== undefined && v !== '');
    return paperForLocale(set);
  }
  return paperForLocale(context.intlLocale ?? Intl.DateTimeFormat().resolvedOptions().locale);
}

/** CSS's name of each paper size. */
const PAGE_SIZE: Record<Paper, string> = { a4: 'A4', letter: 'letter' };

/**
 * The HTML with the paper asked for in an @page rule, last in the head so that it wins: headless
 * Chromium prints on Letter unless the page says otherwise, and has no switch for it.
 */
export function withPageSize(html: string, paper: Paper): string {
  const rule = `<style>@page{size:${PAGE_SIZE[paper]}}</style>`;
  const head = html.search(/<\/head>/i);
  return head === -1 ? rule + html : html.slice(0, head) + rule + html.slice(head);
}
