import { describe, expect, it } from 'vitest';
import { withRelated } from './related';

/** An object read that answers when told to, and the lists read by id, recorded in order. */
function reads(id: string) {
  const events: string[] = [];
  let answer!: (value: { id: string }) => void;
  const object = new Promise<{ id: string }>((resolve) => {
    answer = resolve;
  });
  const related = async (forId: string) => {
    events.push(`lists of ${forId}`);
    return [`discussion of ${forId}`];
  };
  const settle = () => {
    events.push('object read');
    answer({ id });
  };
  return { events, object, related, settle };
}

const ID = '65f0a1b2c3d4e5f601234567';
const OTHER = '65f0a1b2c3d4e5f6ffffffff';

describe('a page’s lists read beside its object', () => {
  it('are read after the object on a slug’s first visit, beside it on the next, with the same result', async () => {
    const first = reads(ID);
    const pending = withRelated('dataset', 'air-first', first.object, (found) => found.id, first.related);
    await Promise.resolve();
    first.settle();
    expect(await pending).toEqual([{ id: ID }, [`discussion of ${ID}`]]);
    expect(first.events).toEqual(['object read', `lists of ${ID}`]);

    const next = reads(ID);
    const again = withRelated('dataset', 'air-first', next.object, (found) => found.id, next.related);
    next.settle();
    expect(await again).toEqual([{ id: ID }, [`discussion of ${ID}`]]);
    expect(next.events).toEqual([`lists of ${ID}`, 'object read']);
  });

  it('are read beside the object when the path is its id, and again when the guess was wrong', async () => {
    const byId = reads(ID);
    const pending = withRelated('dataset', ID, byId.object, (found) => found.id, byId.related);
    byId.settle();
    expect(await pending).toEqual([{ id: ID }, [`discussion of ${ID}`]]);
    expect(byId.events).toEqual([`lists of ${ID}`, 'object read']);

    // A slug made of 24 hexadecimal characters names another object: its lists are read again.
    const slug = reads(OTHER);
    const misled = withRelated('dataset', ID, slug.object, (found) => found.id, slug.related);
    slug.settle();
    expect(await misled).toEqual([{ id: OTHER }, [`discussion of ${OTHER}`]]);
    expect(slug.events).toEqual([`lists of ${ID}`, 'object read', `lists of ${OTHER}`]);
  });

  it('answer the object’s failure (a private or deleted object), whatever the lists did', async () => {
    const seen = reads(ID);
    const shown = withRelated('dataset', 'air-gone', seen.object, (found) => found.id, seen.related);
    seen.settle();
    await shown;
    const gone = new Error('API answered 410');
    await expect(
      withRelated(
        'dataset',
        'air-gone',
        Promise.reject(gone),
        () => ID,
        async () => {
          throw new Error('lists unavailable');
        },
      ),
    ).rejects.toBe(gone);
  });
});
