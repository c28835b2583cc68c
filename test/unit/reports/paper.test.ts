// Runs in: tests (Node). The paper a PDF report is printed on when none is asked for: Letter where
// the locale's region uses it (the US, Canada, Mexico, the Philippines…), A4 everywhere else.
import { describe, expect, it } from 'vitest';
import { defaultPaper, paperForLocale, withPageSize } from '../../../electron/core/reports/paper';

describe('paper from a locale', () => {
  it('is Letter for the regions that use it, A4 for the rest', () => {
    for (const l of ['en_US.UTF-8', 'en-US', 'fr_CA.UTF-8', 'es_MX', 'en_PH.utf8', 'es-CL', 'es_CO', 'es_PR'])
      expect(paperForLocale(l), l).toBe('letter');
    for (const l of [
      'en_GB.UTF-8',
      'de_DE.UTF-8',
      'fr-FR',
      'en_AU',
      'en_IN',
      'ja_JP.UTF-8',
      'es_ES',
      'pt_BR',
      'sr_RS@latin',
    ])
      expect(paperForLocale(l), l).toBe('a4');
  });

  it('reads the region only, whatever the encoding or modifier, and a language alone by where it is most spoken', () => {
    expect(paperForLocale('en_US.ISO-8859-1')).toBe('letter');
    expect(paperForLocale('de_DE@euro')).toBe('a4');
    expect(paperForLocale('zh-Hant-TW')).toBe('a4');
    expect(paperForLocale('en')).toBe('letter');
    expect(paperForLocale('de')).toBe('a4');
  });

  it('is A4 for the C and POSIX locales and for nothing at all, as the C library says', () => {
    for (const l of ['C', 'C.UTF-8', 'POSIX', '', undefined]) expect(paperForLocale(l), String(l)).toBe('a4');
  });
});

describe('default paper', () => {
  it('on Linux, follows LC_ALL, then LC_PAPER, then LANG, as the C library does', () => {
    const linux = (env: NodeJS.ProcessEnv) => defaultPaper({ env, platform: 'linux', intlLocale: 'en-US' });
    expect(linux({ LANG: 'de_DE.UTF-8' })).toBe('a4');
    expect(linux({ LANG: 'de_DE.UTF-8', LC_PAPER: 'en_US.UTF-8' })).toBe('letter');
    expect(linux({ LANG: 'en_US.UTF-8', LC_PAPER: 'en_US.UTF-8', LC_ALL: 'en_GB.UTF-8' })).toBe('a4');
    expect(linux({ LANG: 'en_US.UTF-8', LC_PAPER: '' })).toBe('letter');
    // Nothing set is the C locale, whatever the JavaScript engine guesses.
    expect(linux({})).toBe('a4');
  });

  it('elsewhere, follows the locale the system gives the app', () => {
    expect(defaultPaper({ env: { LANG: 'de_DE.UTF-8' }, platform: 'darwin', intlLocale: 'en-US' })).toBe('letter');
    expect(defaultPaper({ env: {}, platform: 'win32', intlLocale: 'en-GB' })).toBe('a4');
  });
});

describe('page size in the printed HTML', () => {
  it('asks for the paper last in the head, so it wins over a size the page may set', () => {
    expect(withPageSize('<!doctype html><html><head><title>t</title></head><body></body></html>', 'a4')).toBe(
      '<!doctype html><html><head><title>t</title><style>@page{size:A4}</style></head><body></body></html>',
    );
    expect(withPageSize('<p>bare</p>', 'letter')).toBe('<style>@page{size:letter}</style><p>bare</p>');
  });
});
