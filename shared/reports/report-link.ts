// Runs in: renderer (browser mode) and tests. The signed link that reopens an exported report in a
// tab: an HMAC-SHA-256 of `reports/<name>` under the launch token, in hex, computed with Web Crypto
// (present in browsers and in Node). electron/server/report-files.ts checks it with node:crypto.

const hex = (bytes: ArrayBuffer): string =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

/** `/reports/<name>?sig=…` for a path from reports.list (`reports/<name>`). */
export async function signedReportPath(token: string, reportPath: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(token), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const sig = hex(await crypto.subtle.sign('HMAC', key, encoder.encode(reportPath)));
  return `/reports/${encodeURIComponent(reportPath.replace(/^reports\//, ''))}?sig=${sig}`;
}
