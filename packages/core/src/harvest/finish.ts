import { MAX_DESCRIPTION_LENGTH, MAX_TAGS, MAX_TITLE_LENGTH } from '../dataset/dataset';
import { MAX_FORMAT_LENGTH, MAX_URL_LENGTH } from '../dataset/resource';
import { truncate } from '../excerpt';
import { normalizeTag } from '../tags';
import { type MappedDataset, type MappedItem, type MappedResource, mappedItem } from './mapped-dataset';

/**
 * The last step of every backend's mapping: bounds every field to what Portail stores, normalizes
 * tags, and says in `warnings` what had to be cut or dropped, so the same limits apply to CKAN, DCAT
 * and Opendatasoft records alike.
 */

export const MAX_HARVESTED_RESOURCES = 500;
export const MAX_EXTRA_VALUE_LENGTH = 2000;
export const MAX_EXTRAS_PER_BACKEND = 60;
export const MAX_HARVEST_EXTRAS_BYTES = 40_000;

/** A remote date or date-time as an ISO timestamp; naive values are UTC; null when unreadable. */
export function remoteDateTime(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const text = raw.trim();
  const match =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(
      text,
    );
  if (!match) return null;
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = match;
  const milliseconds = fraction.padEnd(3, '0').slice(0, 3);
  const offset =
    zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}.${milliseconds}${offset}`);
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  if (Number.isNaN(date.getTime()) || Number(month) > 12 || Number(day) < 1 || Number(day) > daysInMonth)
    return null;
  return date.toISOString();
}

/** Unmapped remote values, bounded, under one extras key per backend (`dcat`, `ckan`, `ods`). */
export class ExtrasCollector {
  private readonly values = new Map<string, string | string[]>();
  constructor(readonly warnings: string[]) {}

  add(key: string, value: string | readonly string[] | null | undefined): void {
    if (value === null || value === undefined) return;
    const list = (typeof value === 'string' ? [value] : [...value])
      .map((item) => item.trim())
      .filter(Boolean);
    if (!list.length) return;
    const name = truncate(key, 120);
    if (!this.values.has(name) && this.values.size >= MAX_EXTRAS_PER_BACKEND) {
      this.warnings.push(`Extra value "${name}" dropped: more than ${MAX_EXTRAS_PER_BACKEND} extra values.`);
      return;
    }
    const bounded = list.slice(0, 20).map((item) => {
      if (item.length <= MAX_EXTRA_VALUE_LENGTH) return item;
      this.warnings.push(`Extra value "${name}" cut to ${MAX_EXTRA_VALUE_LENGTH} characters.`);
      return truncate(item, MAX_EXTRA_VALUE_LENGTH);
    });
    const previous = this.values.get(name);
    const merged =
      previous === undefined
        ? bounded
        : [...(typeof previous === 'string' ? [previous] : previous), ...bounded];
    const unique = [...new Set(merged)];
    this.values.set(name, unique.length === 1 ? (unique[0] as string) : unique);
  }

  /** The collected values, dropping the largest ones past the byte budget. */
  toJson(): Record<string, string | string[]> {
    const entries = [...this.values.entries()];
    let size = JSON.stringify(Object.fromEntries(entries)).length;
    while (size > MAX_HARVEST_EXTRAS_BYTES && entries.length) {
      let largest = 0;
      entries.forEach(([, value], index) => {
        if (JSON.stringify(value).length > JSON.stringify(entries[largest]?.[1]).length) largest = index;
      });
      const [removed] = entries.splice(largest, 1);
      this.warnings.push(
        `Extra value "${removed?.[0]}" dropped: the extras exceed ${MAX_HARVEST_EXTRAS_BYTES} bytes.`,
      );
      size = JSON.stringify(Object.fromEntries(entries)).length;
    }
    return Object.fromEntries(entries);
  }
}

export type DatasetDraft = Omit<MappedDataset, 'tags' | 'warnings'> & {
  /** Raw keywords and themes, normalized here. */
  rawTags: readonly string[];
  warnings: string[];
};

function finishResource(resource: MappedResource, warnings: string[]): MappedResource | null {
  if (resource.url.length > MAX_URL_LENGTH) {
    warnings.push(
      `Resource "${truncate(resource.title, 60)}" dropped: its URL is longer than ${MAX_URL_LENGTH} characters.`,
    );
    return null;
  }
  return {
    ...resource,
    title: truncate(resource.title, MAX_TITLE_LENGTH - 1),
    description: resource.description ? truncate(resource.description, MAX_DESCRIPTION_LENGTH - 1) : null,
    format: resource.format ? resource.format.slice(0, MAX_FORMAT_LENGTH) : null,
  };
}

/** Bounds and normalizes a draft; returns the mapped item. */
export function finishDataset(draft: DatasetDraft, now: Date = new Date()): MappedItem {
  const warnings = draft.warnings;
  const { rawTags, ...rest } = draft;
  let title = rest.title;
  if (title.length > MAX_TITLE_LENGTH) {
    warnings.push(`Title cut to ${MAX_TITLE_LENGTH} characters.`);
    title = truncate(title, MAX_TITLE_LENGTH - 1);
  }
  let description = rest.description;
  if (description.length > MAX_DESCRIPTION_LENGTH) {
    warnings.push(`Description cut to ${MAX_DESCRIPTION_LENGTH} characters.`);
    description = truncate(description, MAX_DESCRIPTION_LENGTH - 1);
  }
  const tags = new Set<string>();
  for (const raw of rawTags) {
    const normalized = normalizeTag(raw);
    if ('tag' in normalized) tags.add(normalized.tag);
    else warnings.push(normalized.error);
  }
  let sortedTags = [...tags].sort();
  if (sortedTags.length > MAX_TAGS) {
    warnings.push(`Only the first ${MAX_TAGS} of ${sortedTags.length} tags are kept.`);
    sortedTags = sortedTags.slice(0, MAX_TAGS);
  }
  let modified = rest.modified_at;
  if (modified && Date.parse(modified) > now.getTime() + 24 * 3600 * 1000) {
    warnings.push(`Modification date ${modified} is in the future: ignored.`);
    modified = null;
  }
  const seen = new Set<string>();
  const resources: MappedResource[] = [];
  for (const resource of rest.resources) {
    const finished = finishResource(resource, warnings);
    if (!finished) continue;
    const identity = `${finished.remote_id ?? ''}\u0000${finished.url}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    if (resources.length >= MAX_HARVESTED_RESOURCES) {
      warnings.push(`Only the first ${MAX_HARVESTED_RESOURCES} resources are kept.`);
      break;
    }
    resources.push(finished);
  }
  // Built from bounded, already-checked values: the schema is asserted by the backends' tests rather
  // than re-run here on every record (it was a fifth of the mapping time).
  const dataset: MappedDataset = {
    ...rest,
    title,
    description,
    tags: sortedTags,
    modified_at: modified,
    resources,
    warnings: [...new Set(warnings)],
  };
  return mappedItem(dataset);
}
