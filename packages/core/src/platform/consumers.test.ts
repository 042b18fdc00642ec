import { describe, expect, it } from 'vitest';
import { type StreamSelection, selects } from './consumers';

describe('a stream selection', () => {
  const selection: StreamSelection = {
    sortKeys: ['DATASET'],
    sortKeyPrefixes: ['RESOURCE#'],
    keyed: [{ sortKey: 'COUNTER', partitionKeyPrefix: 'COUNTER#datasets:organization:' }],
  };

  it.each([
    ['a listed sort key', 'DATASET', 'DATASET#a', true],
    ['a sort key with a listed prefix', 'RESOURCE#r', 'DATASET#a', true],
    ['an unlisted sort key', 'METRICS', 'DATASET#a', false],
    ['a keyed pair', 'COUNTER', 'COUNTER#datasets:organization:o1:public', true],
    ['the keyed sort key under another partition', 'COUNTER', 'COUNTER#activity', false],
    ['the keyed partition with another sort key', 'DONE', 'COUNTER#datasets:organization:o1:public', false],
  ])('%s (%s, %s): %s', (_, sortKey, partitionKey, selected) => {
    expect(selects(selection, 'MODIFY', sortKey, partitionKey)).toBe(selected);
  });

  it('leaves out the change kinds it does not read', () => {
    const inserts: StreamSelection = { ...selection, eventNames: ['INSERT'] };
    expect(selects(inserts, 'INSERT', 'DATASET', 'DATASET#a')).toBe(true);
    expect(selects(inserts, 'REMOVE', 'DATASET', 'DATASET#a')).toBe(false);
    expect(selects(inserts, 'REMOVE', 'COUNTER', 'COUNTER#datasets:organization:o1:public')).toBe(false);
  });
});
