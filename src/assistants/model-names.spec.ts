import { editDistance, nearestNames } from './model-names.js';

describe('nearest model names', () => {
  it('measures edits, ignoring case', () => {
    expect(editDistance('gpto', 'gpt-4o')).toBe(2);
    expect(editDistance('GPT-4o', 'gpt-4o')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('names the nearest first, ties by name, at most five', () => {
    const list = ['gpt-5', 'gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-5-mini'];
    expect(nearestNames('gpto', list)[0]).toBe('gpt-4o');
    expect(nearestNames('gpt-4o-mni', list)[0]).toBe('gpt-4o-mini');
    expect(nearestNames('x', list)).toHaveLength(5);
    expect(nearestNames('x', [])).toEqual([]);
  });
});
