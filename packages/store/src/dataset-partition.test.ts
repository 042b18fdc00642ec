import { describe, expect, it } from 'vitest';
import { DATASET_ATTACHMENTS, keys } from './keys';

/** DynamoDB orders sort keys by their UTF-8 bytes. */
const bytes = (value: string) => Buffer.from(value, 'utf8');
const inPresented = (sortKey: string) => {
  const { first, last } = keys.datasetPresented();
  return (
    Buffer.compare(bytes(first), bytes(sortKey)) <= 0 && Buffer.compare(bytes(sortKey), bytes(last)) <= 0
  );
};

describe("a dataset's partition", () => {
  const dataset = 'a'.repeat(24);

  it('puts what the dataset GET presents inside the range its Query reads', () => {
    expect(inPresented(keys.dataset(dataset).SK)).toBe(true);
    expect(inPresented(keys.datasetQuality(dataset).SK)).toBe(true);
    expect(inPresented(keys.metrics({ kind: 'dataset', id: dataset }).SK)).toBe(true);
    expect(inPresented(keys.resource(dataset, '0f8fad5b-d9cb-469f-a165-70867728950e').SK)).toBe(true);
    expect(inPresented(keys.communityResource(dataset, 'ffffffff-ffff-4fff-bfff-ffffffffffff').SK)).toBe(
      true,
    );
  });

  it('keeps views and every reserved attachment outside it', () => {
    for (const view of [
      { kind: 'owner' },
      { kind: 'license' },
      { kind: 'tag', tag: 'a' },
      { kind: 'tag', tag: 'zzz' },
    ] as const) {
      expect(inPresented(keys.datasetView(dataset, view).SK)).toBe(false);
    }
    for (const kind of DATASET_ATTACHMENTS) {
      for (const id of ['', '0', 'a'.repeat(24), '\uffff']) {
        expect(inPresented(keys.datasetAttachment(dataset, kind, id).SK), `${kind} ${id}`).toBe(false);
      }
    }
  });
});
