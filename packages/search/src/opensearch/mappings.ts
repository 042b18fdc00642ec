import type { SearchSchema } from '@portail/core';
import { FRENCH_STOP_WORDS } from '../french';

/**
 * The index settings and mappings of a kind on OpenSearch: a French analyzer with the same steps as
 * the embedded engine (elision, lower case, stop words, ASCII folding, a light French stemmer), an exact
 * sub-field (folded, not stemmed) on every text field for acronyms and phrases, a folded keyword on the
 * title for sorting by name, keywords for filters and facets, numbers for sorts and ranges, and the
 * stored source a result page is presented from.
 */
export function indexDefinition(schema: SearchSchema) {
  assertOneFieldPerName(schema);
  const text = Object.fromEntries(
    Object.keys(schema.text).map((field) => [
      field,
      {
        type: 'text',
        analyzer: 'french_folded',
        fields: {
          exact: { type: 'text', analyzer: 'folded_exact' },
          ...(field === schema.titleField
            ? { sort: { type: 'keyword', normalizer: 'folded', ignore_above: 256 } }
            : {}),
        },
      },
    ]),
  );
  const keywords = Object.fromEntries(schema.keywords.map((field) => [field, { type: 'keyword' }]));
  const numbers = Object.fromEntries(schema.numbers.map((field) => [field, { type: 'long' }]));
  return {
    settings: {
      analysis: {
        filter: {
          french_elision: {
            type: 'elision',
            articles_case: true,
            articles: ['l', 'm', 't', 'qu', 'n', 's', 'j', 'd', 'c', 'jusqu', 'quoiqu', 'lorsqu', 'puisqu'],
          },
          french_stop: { type: 'stop', stopwords: [...FRENCH_STOP_WORDS] },
          french_stem: { type: 'stemmer', language: 'light_french' },
        },
        normalizer: { folded: { type: 'custom', filter: ['lowercase', 'asciifolding'] } },
        analyzer: {
          french_folded: {
            type: 'custom',
            tokenizer: 'standard',
            filter: ['french_elision', 'lowercase', 'asciifolding', 'french_stop', 'french_stem'],
          },
          folded_exact: {
            type: 'custom',
            tokenizer: 'standard',
            filter: ['french_elision', 'lowercase', 'asciifolding'],
          },
        },
      },
    },
    mappings: {
      dynamic: 'strict',
      properties: {
        visible: { type: 'boolean' },
        boost: { type: 'float' },
        // Read back with each hit, never searched: the object's version and what the API presents.
        version: { type: 'long', index: false },
        source: { type: 'object', enabled: false },
        ...text,
        ...keywords,
        ...numbers,
      },
    },
  };
}

/** What every document holds besides the schema's fields (see `bulkBody`). */
const RESERVED = ['visible', 'boost', 'version', 'source'];

/**
 * One name holds one field in a mapping and in a document: a name given to a text field and to a keyword
 * (or a number) would have the document's second value overwrite the first, so one of them would never
 * be searched. Refused here, before any index is created with it.
 */
export function assertOneFieldPerName(schema: SearchSchema): void {
  const seen = new Map<string, string>(RESERVED.map((name) => [name, 'reserved']));
  const groups: [string, readonly string[]][] = [
    ['text', Object.keys(schema.text)],
    ['keyword', schema.keywords],
    ['number', schema.numbers],
  ];
  for (const [group, names] of groups)
    for (const name of names) {
      const held = seen.get(name);
      if (held)
        throw new Error(
          `Search schema ${schema.kind}: "${name}" is both a ${held} field and a ${group} field.`,
        );
      seen.set(name, group);
    }
}
