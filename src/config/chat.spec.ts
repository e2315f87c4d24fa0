import { UNIT_ENV } from './testing/unit-config.js';
import { ConfigError, loadConfig } from './config.js';

const base = UNIT_ENV;

describe('context settings', () => {
  it('accepts the defaults', () => {
    expect(loadConfig(base).chat).toMatchObject({ windowMessages: 20, summarizeAfterMessages: 30, summaryUpdateInterval: 10 });
  });

  it('refuses settings that would leave uncovered messages beyond what a turn reads', () => {
    expect(() => loadConfig({ ...base, CONTEXT_SUMMARIZE_AFTER: '1001' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, CONTEXT_SUMMARIZE_AFTER: '1001' })).toThrow(/CONTEXT_SUMMARIZE_AFTER/);
    expect(() => loadConfig({ ...base, CONTEXT_WINDOW_MESSAGES: '995', CONTEXT_SUMMARY_INTERVAL: '10' })).toThrow(/CONTEXT_WINDOW_MESSAGES \+ CONTEXT_SUMMARY_INTERVAL/);
  });
});
