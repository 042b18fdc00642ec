import { beforeEach, describe, expect, it } from 'vitest';
import { FileUpload, RESUMABLE_FROM_BYTES, resumable, type SavedUpload, savedUploads } from './upload';

const store = new Map<string, string>();
globalThis.localStorage = {
  getItem: (key: string) => store.get(key) ?? null,
  setItem: (key: string, value: string) => void store.set(key, value),
  removeItem: (key: string) => void store.delete(key),
  clear: () => store.clear(),
  key: () => null,
  length: 0,
} as Storage;

const MiB = 1024 * 1024;

describe('which uploads resume after a reload', () => {
  beforeEach(() => store.clear());

  it('sends files from 16 MiB in parts, whatever the API’s single-POST limit', () => {
    expect(RESUMABLE_FROM_BYTES).toBe(16 * MiB);
    expect(resumable(16 * MiB - 1)).toBe(false);
    expect(resumable(16 * MiB)).toBe(true);
    expect(resumable(90 * MiB)).toBe(true);
  });

  it('declares again a file that was sent in one POST, and forgets the interrupted one', () => {
    const saved: SavedUpload = {
      dataset: 'd1',
      rid: 'r1',
      replaces: null,
      upload: { kind: 'post', id: 'u1' },
      name: 'communes.csv',
      size: 3,
      lastModified: 1,
    };
    store.set('portail.uploads', JSON.stringify([saved]));
    expect(savedUploads('d1')).toHaveLength(1);
    const upload = FileUpload.resume(saved, new File(['a,b'], 'communes.csv'), () => undefined);
    expect(upload.state.phase).toBe('declaring');
    expect(savedUploads('d1')).toEqual([]);
  });
});
