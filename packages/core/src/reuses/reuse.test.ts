import { describe, expect, it } from 'vitest';
import { announceReuse, type LinkedDataset, type Reuse } from './reuse';

const linked = (id: string, fields: Partial<LinkedDataset> = {}): LinkedDataset => ({
  id,
  title: `Jeu ${id}`,
  slug: `jeu-${id}`,
  public: true,
  ...fields,
});

const reuse = (fields: Partial<Reuse>): Reuse =>
  ({
    id: 'r1',
    private: false,
    deleted: null,
    datasets: [linked('a')],
    ...fields,
  }) as Reuse;

describe('what a reuse announces, once', () => {
  it('created public: every dataset, and its publication', () => {
    const {
      reuse: next,
      announced,
      published,
    } = announceReuse(reuse({ datasets: [linked('a'), linked('b')] }), null);
    expect(announced).toEqual(['a', 'b']);
    expect(published).toBe(true);
    expect(next.datasets.every((dataset) => dataset.announced)).toBe(true);
  });

  it('created private: nothing, until it is made public', () => {
    const created = announceReuse(reuse({ private: true }), null);
    expect(created).toMatchObject({ announced: [], published: false });
    const made = announceReuse({ ...created.reuse, private: false }, created.reuse);
    expect(made).toMatchObject({ announced: ['a'], published: true });
  });

  it('never twice: made private and public again, or the same datasets listed again by a PUT', () => {
    const first = announceReuse(reuse({}), null).reuse;
    const hidden = announceReuse({ ...first, private: true }, first).reuse;
    expect(announceReuse({ ...hidden, private: false }, hidden)).toMatchObject({
      announced: [],
      published: false,
    });
    const relisted = announceReuse({ ...first, datasets: [linked('a'), linked('b')] }, first);
    expect(relisted).toMatchObject({ announced: ['b'], published: false });
  });

  it('a dataset linked while private is announced when the reuse is made public again', () => {
    const first = announceReuse(reuse({}), null).reuse;
    const hidden = announceReuse(
      { ...first, private: true, datasets: [...first.datasets, linked('c')] },
      first,
    );
    expect(hidden.announced).toEqual([]);
    expect(announceReuse({ ...hidden.reuse, private: false }, hidden.reuse)).toMatchObject({
      announced: ['c'],
      published: false,
    });
  });
});
