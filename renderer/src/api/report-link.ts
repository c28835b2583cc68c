// Runs in: renderer (browser mode). A link that reopens an exported report in its own tab. A tab
// cannot send the token header and the token must not appear in a URL, so the link carries an
// HMAC of the report's path under the token instead (checked by electron/server/report-files.ts).
import { signedReportPath } from '../../../shared/reports/report-link';
import { storedToken } from './transports';

/** Null when this tab has no token (opened without the URL `benchtop ui` printed). */
export async function signedReportUrl(reportPath: string): Promise<string | null> {
  const token = storedToken();
  return token ? signedReportPath(token, reportPath) : null;
}
