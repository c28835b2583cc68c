// Runs in: renderer (browser mode). A link that reopens an exported report in its own tab. A tab
// cannot send the token header and the token must not appear in a URL, so the link carries an
// HMAC of the report's path under the token instead (checked by electron/server/report-files.ts).
import { storedToken } from './transports';

const hex = (bytes: ArrayBuffer): string => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

/** `/reports/<name>?sig=…` for a path from reports.list (`reports/<name>`); null without a token. */
export async function signedReportUrl(reportPath: string): Promise<string | null> {
  const token = storedToken();
  if (!token) return null;
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(token), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const sig = hex(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(reportPath)));
  const name = reportPath.replace(/^reports\//, '');
  return `/reports/${encodeURIComponent(name)}?sig=${sig}`;
}
