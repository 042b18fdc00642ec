import { describe, expect, it } from 'vitest';
import {
  ChunkFieldsSchema,
  checkChunk,
  chunksOfGroup,
  chunksPerPart,
  completeGroups,
  isChunkedForm,
  missingChunks,
} from './chunked-upload';

const MiB = 1024 * 1024;

describe("udata's chunked protocol", () => {
  it('is spoken by forms with more than one part, as udata decides', () => {
    expect(isChunkedForm({ totalparts: '2' })).toBe(true);
    expect(isChunkedForm({ totalparts: '1' })).toBe(false);
    expect(isChunkedForm({ uuid: 'x' })).toBe(false);
    expect(isChunkedForm({ totalparts: 'two' })).toBe(false);
  });

  it('groups chunks into parts of at least 5 MiB and at most 10,000 parts', () => {
    expect(chunksPerPart(MiB, 10)).toBe(5);
    expect(chunksPerPart(4 * MiB, 3)).toBe(2);
    expect(chunksPerPart(8 * MiB, 3)).toBe(1);
    expect(chunksPerPart(4 * MiB, 25_600)).toBe(3);
    expect(() => chunksPerPart(1, 100_000)).not.toThrow();
    expect(chunksOfGroup(1, 5, 12)).toEqual([5, 6, 7, 8, 9]);
    expect(chunksOfGroup(2, 5, 12)).toEqual([10, 11]);
    expect(completeGroups(new Set([0, 1, 2, 3, 4, 10, 11]), 5, 12)).toEqual([0, 2]);
    expect(missingChunks(new Set([0, 2]), 4)).toEqual([1, 3]);
  });

  it('checks each chunk against what its form says', () => {
    const fields = ChunkFieldsSchema.parse({
      uuid: 'a3b2c1d0-0000',
      filename: 'f.csv',
      partindex: '1',
      totalparts: '3',
      chunksize: '4',
      totalfilesize: '10',
    });
    expect(checkChunk(fields, 4)).toEqual({ index: 1 });
    expect(() => checkChunk(fields, 3)).toThrow(/Chunk size mismatch/);
    expect(() => checkChunk({ ...fields, partindex: 3 }, 4)).toThrow(/no chunk 3/);
    expect(() => checkChunk({ ...fields, totalfilesize: undefined }, 4)).toThrow(/totalfilesize/);
    expect(ChunkFieldsSchema.safeParse({ uuid: 'a b', filename: 'f', totalparts: '2' }).success).toBe(false);
    expect(
      ChunkFieldsSchema.safeParse({ uuid: 'abcdefgh', filename: 'f\u0000.csv', totalparts: '2' }).error
        ?.issues[0]?.message,
    ).toBe('A file name may not hold control characters (NUL, line breaks, tabs…).');
    expect(ChunkFieldsSchema.safeParse({ uuid: 'abcdefgh', filename: 'f', totalparts: '-2' }).success).toBe(
      false,
    );
  });
});
