import { ValidationError } from '@portail/core';
import { describe, expect, it } from 'vitest';
import { applyFieldMask, type FieldMask, parseFieldMask } from './field-mask';

describe('parseFieldMask', () => {
  it.each<[string | undefined, FieldMask | undefined]>([
    [undefined, undefined],
    ['', undefined],
    ['   ', undefined],
    ['id', { id: true }],
    ['id,title', { id: true, title: true }],
    [' id , title ', { id: true, title: true }],
    ['{id,title}', { id: true, title: true }],
    [
      'data{id,title,resources{id,url}},total',
      { data: { id: true, title: true, resources: { id: true, url: true } }, total: true },
    ],
    ['{data{id}}', { data: { id: true } }],
    ['*', { '*': true }],
    ['*,resources{id}', { '*': true, resources: { id: true } }],
    ['data{*,organization{id}}', { data: { '*': true, organization: { id: true } } }],
    ['geop:source,some-field', { 'geop:source': true, 'some-field': true }],
    ['id,\nslug', { id: true, slug: true }],
    ['id,', undefined],
  ])('reads %j', (raw, expected) => {
    if (raw === 'id,') {
      expect(() => parseFieldMask(raw)).toThrow(/missing field name/);
      return;
    }
    expect(parseFieldMask(raw)).toEqual(expected);
  });

  it.each([
    ['{id', /missing closing bracket/],
    ['data{id', /missing closing bracket/],
    ['id}', /unexpected closing bracket/],
    ['{id}}', /unexpected closing bracket/],
    ['{id', /missing closing bracket/],
    ['{', /missing closing bracket/],
    ['{}', undefined],
    ['data{}', /missing field name/],
    ['data{id,}', /missing field name/],
    [',id', /unexpected comma/],
    ['id,,title', /unexpected comma/],
    ['data{,id}', /unexpected comma/],
    ['{data}{id}', /unexpected closing bracket/],
    ['data{id}{x}', /unexpected opening bracket/],
    ['data{{id}}', /unexpected opening bracket/],
    ['id title', /missing comma/],
    ['data{id}title', /missing comma/],
    ['data.id', /unexpected character "\."/],
    ['id;drop', /unexpected character ";"/],
    [`${'a{'.repeat(17)}b${'}'.repeat(17)}`, /nested deeper/],
    [`${'a,'.repeat(1001)}a`, /longer than/],
  ])('refuses %j', (raw, reason) => {
    if (reason === undefined) {
      expect(parseFieldMask(raw)).toEqual({});
      return;
    }
    let caught: unknown;
    try {
      parseFieldMask(raw);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).status).toBe(400);
    expect((caught as ValidationError).message).toMatch(reason);
    expect((caught as ValidationError).errors['X-Fields']?.[0]).toMatch(/^Mask parse error/);
  });
});

describe('applyFieldMask', () => {
  const dataset = {
    id: 'd1',
    title: 'Trees',
    organization: { id: 'o1', name: 'City', logo: null },
    resources: [
      { id: 'r1', url: 'https://a/1.csv', title: 'one' },
      { id: 'r2', url: 'https://a/2.csv', title: 'two' },
    ],
    owner: null,
    extras: { a: 1 },
  };
  const page = { data: [dataset], page: 1, page_size: 20, total: 1, next_page: null, previous_page: null };

  it.each<[string, unknown, unknown]>([
    ['id,title', dataset, { id: 'd1', title: 'Trees' }],
    ['id,missing', dataset, { id: 'd1', missing: null }],
    ['resources{id}', dataset, { resources: [{ id: 'r1' }, { id: 'r2' }] }],
    ['organization{name}', dataset, { organization: { name: 'City' } }],
    ['owner{id}', dataset, { owner: null }],
    ['title{id}', dataset, { title: 'Trees' }],
    ['*', dataset, dataset],
    ['*,resources{id}', dataset, { ...dataset, resources: [{ id: 'r1' }, { id: 'r2' }] }],
    [
      'data{id,resources{url}},total',
      page,
      { data: [{ id: 'd1', resources: [{ url: 'https://a/1.csv' }, { url: 'https://a/2.csv' }] }], total: 1 },
    ],
    ['id', [{ id: 1, x: 2 }, { id: 3 }], [{ id: 1 }, { id: 3 }]],
    ['id', 'a string', 'a string'],
  ])('%s', (raw, data, expected) => {
    const mask = parseFieldMask(raw);
    if (!mask) throw new Error('no mask');
    expect(applyFieldMask(data, mask)).toEqual(expected);
  });

  it('keeps the order the mask names fields in, and never reads inherited keys', () => {
    const mask = parseFieldMask('title,id,constructor,__proto__') as FieldMask;
    const out = applyFieldMask(dataset, mask) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['title', 'id', 'constructor', '__proto__']);
    expect(out.constructor).toBeNull();
  });
});
