import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../electron/security/csp';
import { isAppUrl, isTrustedSender, isWebUrl, SECURE_WEB_PREFERENCES } from '../../../electron/security/policy';

describe('desktop shell policy', () => {
  it('locks the renderer down', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
  });

  it('opens only http(s) links externally', () => {
    expect(isWebUrl('https://example.org/x')).toBe(true);
    expect(isWebUrl('http://example.org')).toBe(true);
    for (const u of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'app://benchtop/', 'not a url'])
      expect(isWebUrl(u)).toBe(false);
  });

  it('allows navigation only inside app://benchtop', () => {
    expect(isAppUrl('app://benchtop/index.html')).toBe(true);
    for (const u of ['app://evil/index.html', 'https://benchtop', 'file:///index.html', ''])
      expect(isAppUrl(u)).toBe(false);
  });

  it('trusts IPC only from our top-level app page', () => {
    expect(isTrustedSender({ url: 'app://benchtop/index.html', parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'app://benchtop/index.html', parent: {} })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });

  it('has a strict CSP: no inline or remote scripts, no framing, no plugins', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });
});
