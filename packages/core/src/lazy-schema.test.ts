import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { lazySchema } from './lazy-schema';

describe('lazySchema', () => {
  it('builds the schema on its first use only, once', () => {
    let builds = 0;
    const Name = lazySchema(() => {
      builds += 1;
      return z.string().min(2);
    });
    const Person = lazySchema(() => z.object({ name: Name }));
    expect(builds).toBe(0);
    expect(Person.parse({ name: 'Ada' })).toEqual({ name: 'Ada' });
    expect(Person.safeParse({ name: 'A' }).success).toBe(false);
    expect(builds).toBe(1);
  });

  it('composes and answers instanceof like the schema it stands for', () => {
    const Base = lazySchema(() => z.object({ id: z.string() }));
    const Extended = Base.extend({ title: z.string() });
    expect(Base).toBeInstanceOf(z.ZodObject);
    expect(Object.keys(Extended.shape)).toEqual(['id', 'title']);
    expect(Base.shape.id).toBeInstanceOf(z.ZodString);
  });

  it('keeps its metadata, so a named schema is one shared definition in JSON Schema', () => {
    const Tag = lazySchema(() => z.object({ name: z.string() }).meta({ id: 'Tag', description: 'A tag.' }));
    const Post = lazySchema(() => z.object({ main: Tag, others: z.array(Tag) }));
    const json = z.toJSONSchema(Post) as {
      properties: Record<string, unknown>;
      $defs: Record<string, unknown>;
    };
    expect(json.properties.main).toEqual({ $ref: '#/$defs/Tag' });
    expect(json.$defs.Tag).toMatchObject({ description: 'A tag.', type: 'object' });
    expect(Tag.description).toBe('A tag.');
  });
});
