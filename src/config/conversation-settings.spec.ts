import { UNIT_ENV } from './testing/unit-config.js';
import { ConfigError, loadConfig } from './config.js';

describe('search, feedback and share settings', () => {
  it('have bounded defaults', () => {
    const config = loadConfig(UNIT_ENV);
    expect(config.search).toEqual({ language: 'simple', maxQueryChars: 200, maxCandidates: 200 });
    expect(config.feedback).toEqual({ maxCommentChars: 2_000 });
    expect(config.shares).toEqual({ maxPerUser: 100, maxMessages: 1_000, maxChars: 1_000_000, readsPerMinute: 60 });
  });

  it('take a language PostgreSQL ships, and refuse any other', () => {
    expect(loadConfig({ ...UNIT_ENV, SEARCH_LANGUAGE: 'german' }).search.language).toBe('german');
    expect(() => loadConfig({ ...UNIT_ENV, SEARCH_LANGUAGE: "english'; DROP TABLE messages; --" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...UNIT_ENV, SEARCH_LANGUAGE: 'English' })).toThrow(/SEARCH_LANGUAGE must be one of/);
  });

  it('refuse values past their bounds', () => {
    for (const [name, value] of [
      ['SEARCH_MAX_QUERY_CHARS', '1001'],
      ['SEARCH_MAX_QUERY_CHARS', '0'],
      ['SEARCH_MAX_CANDIDATES', '9'],
      ['SEARCH_MAX_CANDIDATES', '50001'],
      ['FEEDBACK_MAX_COMMENT_CHARS', '100001'],
      ['SHARE_MAX_PER_USER', '0'],
      ['SHARE_MAX_MESSAGES', '100001'],
      ['SHARE_MAX_CHARS', '999'],
      ['SHARE_READS_PER_MINUTE', '0'],
    ]) {
      expect(() => loadConfig({ ...UNIT_ENV, [name]: value })).toThrow(new RegExp(name));
    }
  });
});
