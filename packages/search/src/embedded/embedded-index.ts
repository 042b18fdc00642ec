import {
  appendFileSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type {
  FacetCount,
  SearchDocument,
  SearchKind,
  SearchQuery,
  SearchResult,
  SearchSchema,
} from '@portail/core';
import { SEARCH_SCHEMAS } from '../schemas';
import type { IndexOutcome, SearchIndex } from '../search-index';
import { KindIndex, type KindSnapshot } from './kind-index';

export interface EmbeddedOptions {
  /** Folder the indexes are saved to (`.data/search` locally); none: memory only. */
  dir?: string;
  /** How long a rebuilt index waits before being saved whole. */
  saveDelayMs?: number;
  /** Journal lines after which the whole index is saved again and the journal emptied (default 20,000). */
  compactAfter?: number;
}

/**
 * The embedded engine behind the search port: one in-memory index per kind, saved to `dir` as a whole
 * (`<kind>.json`, written to a temporary file, then renamed, so a crash never leaves half a file) and a
 * journal of the documents stored since (`<kind>.journal`, one line appended per document, so a change
 * costs what it writes, not the size of the index). Loading reads the whole index, then replays the
 * journal (versions make a replay harmless). The whole index is saved again at shutdown, after a
 * rebuild and when the journal grows long, and the journal then emptied.
 */
export class EmbeddedSearchIndex implements SearchIndex {
  /** A stored document is in the next search. */
  readonly searchableAfterMs = 0;
  private readonly kinds = new Map<SearchKind, KindIndex>();
  /** Rebuilds under way: documents indexed meanwhile reach them too. */
  private readonly next = new Map<SearchKind, KindIndex>();
  private readonly dirty = new Set<SearchKind>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: EmbeddedOptions = {}) {}

  private schema(kind: SearchKind): SearchSchema {
    const schema = SEARCH_SCHEMAS[kind];
    if (!schema) throw new Error(`No search schema for ${kind}`);
    return schema;
  }

  private readonly journaled = new Map<SearchKind, number>();
  /** Kinds whose saved index was set aside on loading (older text fields, or unreadable). */
  private readonly outdated = new Set<SearchKind>();

  /**
   * Loads every kind's saved index and answers those set aside, which start empty and must be rebuilt from
   * the table (the local platform does it at start, as `npm run reindex` would).
   */
  outdatedKinds(): SearchKind[] {
    for (const kind of Object.keys(SEARCH_SCHEMAS) as SearchKind[]) this.kind(kind);
    return [...this.outdated];
  }

  private file(kind: SearchKind): string | undefined {
    return this.options.dir ? path.join(this.options.dir, `${kind}.json`) : undefined;
  }

  private journal(kind: SearchKind): string | undefined {
    return this.options.dir ? path.join(this.options.dir, `${kind}.journal`) : undefined;
  }

  private kind(kind: SearchKind): KindIndex {
    let index = this.kinds.get(kind);
    if (!index) {
      index = new KindIndex(this.schema(kind), this.load(kind));
      this.kinds.set(kind, index);
      this.journaled.set(kind, this.replay(kind, index));
    }
    return index;
  }

  /** Stores again what the journal holds (a line cut by a crash is skipped); answers its length. */
  private replay(kind: SearchKind, index: KindIndex): number {
    const journal = this.journal(kind);
    if (!journal) return 0;
    let text: string;
    try {
      text = readFileSync(journal, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    let lines = 0;
    for (const line of text.split('\n')) {
      if (!line) continue;
      lines += 1;
      try {
        index.put(JSON.parse(line) as SearchDocument);
      } catch {
        // A line half written when the process stopped: the document is indexed again by `npm run reindex`.
      }
    }
    return lines;
  }

  private load(kind: SearchKind): KindSnapshot | undefined {
    const file = this.file(kind);
    if (!file) return undefined;
    try {
      const snapshot = readSnapshot(readFileSync(file));
      const saved = savedTextFields(snapshot);
      const wanted = Object.keys(this.schema(kind).text);
      if (snapshot && saved.join() !== [...wanted].sort().join()) {
        // Saved before a text field was added or renamed: its documents lack the field, so it is
        // rebuilt from the table (`npm run reindex`); searching starts empty meanwhile.
        console.error(
          `search: ${file} holds the text fields ${saved.join(', ')}, not ${wanted.join(', ')}; it is rebuilt from the table`,
        );
        this.outdated.add(kind);
        return undefined;
      }
      return snapshot;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      // An unreadable file is rebuilt by `npm run reindex`; searching starts empty meanwhile.
      console.error(
        `search: ${file} could not be read (${(error as Error).message}); it is rebuilt from the table`,
      );
      this.outdated.add(kind);
      return undefined;
    }
  }

  async index(kind: SearchKind, documents: readonly SearchDocument[]): Promise<IndexOutcome> {
    const index = this.kind(kind);
    const pending = this.next.get(kind);
    let applied = 0;
    const stored: string[] = [];
    for (const document of documents) {
      pending?.put(document);
      if (index.put(document)) {
        applied += 1;
        stored.push(`${JSON.stringify(document)}\n`);
      }
    }
    const journal = this.journal(kind);
    if (journal && stored.length > 0) {
      mkdirSync(path.dirname(journal), { recursive: true });
      appendFileSync(journal, stored.join(''));
      const lines = (this.journaled.get(kind) ?? 0) + stored.length;
      this.journaled.set(kind, lines);
      if (lines >= (this.options.compactAfter ?? 20_000)) this.changed(kind);
    }
    return { applied, stale: documents.length - applied };
  }

  async search(kind: SearchKind, query: SearchQuery): Promise<SearchResult> {
    return this.kind(kind).search(query);
  }

  /** The same search, synchronously: what the engine itself costs, for the benchmark. */
  searchNow(kind: SearchKind, query: SearchQuery): SearchResult {
    return this.kind(kind).search(query);
  }

  async terms(kind: SearchKind, field: string, prefix: string, size: number): Promise<FacetCount[]> {
    return this.kind(kind).terms(field, prefix, size);
  }

  async rebuild(
    kind: SearchKind,
    batches: AsyncIterable<readonly SearchDocument[]>,
  ): Promise<{ indexed: number }> {
    const fresh = new KindIndex(this.schema(kind));
    this.next.set(kind, fresh);
    let indexed = 0;
    try {
      for await (const batch of batches) {
        for (const document of batch) if (fresh.put(document)) indexed += 1;
      }
      this.kinds.set(kind, fresh);
    } finally {
      this.next.delete(kind);
    }
    this.changed(kind);
    await this.flush();
    return { indexed };
  }

  /** Documents held (visible ones), for tests and the benchmark. */
  size(kind: SearchKind): number {
    return this.kind(kind).size;
  }

  private changed(kind: SearchKind) {
    if (!this.options.dir) return;
    this.dirty.add(kind);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.save();
    }, this.options.saveDelayMs ?? 1000);
    this.timer.unref();
  }

  /** Saves whole every kind changed since it was last saved, emptying its journal (at shutdown, after a rebuild). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    for (const [kind, lines] of this.journaled) if (lines > 0) this.dirty.add(kind);
    this.save();
  }

  private save() {
    const dir = this.options.dir;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    for (const kind of this.dirty) {
      const file = this.file(kind) as string;
      const temporary = `${file}.${process.pid}.tmp`;
      const fd = openSync(temporary, 'w');
      try {
        let chunk = '';
        for (const line of this.kind(kind).snapshotLines()) {
          chunk += `${line}\n`;
          if (chunk.length > 1 << 20) {
            writeSync(fd, chunk);
            chunk = '';
          }
        }
        writeSync(fd, chunk);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, file);
      // What the journal held is in the saved index now.
      rmSync(this.journal(kind) as string, { force: true });
      this.journaled.set(kind, 0);
    }
    this.dirty.clear();
  }
}

/** The text fields a saved MiniSearch index was built with, sorted. */
function savedTextFields(snapshot: KindSnapshot | undefined): string[] {
  const fieldIds = (snapshot?.mini as { fieldIds?: Record<string, number> } | undefined)?.fieldIds;
  return Object.keys(fieldIds ?? {}).sort();
}

/**
 * A saved index: lines of JSON (a header with the text index, then `["doc", id, stored]` and
 * `["version", id, version]` lines), or the single JSON object of the first format.
 */
function readSnapshot(bytes: Buffer): KindSnapshot | undefined {
  const lines: string[] = [];
  for (let start = 0; start < bytes.length; ) {
    let end = bytes.indexOf(10, start);
    if (end === -1) end = bytes.length;
    if (end > start) lines.push(bytes.toString('utf8', start, end));
    start = end + 1;
  }
  const header = JSON.parse(lines[0] ?? '{}') as {
    format?: number;
    mini?: unknown;
    docs?: [string, never][];
    versions?: [string, number][];
  };
  if (header.format === 1)
    return { mini: header.mini, docs: header.docs ?? [], versions: header.versions ?? [] };
  if (header.format !== 2) return undefined;
  const docs: [string, never][] = [];
  const versions: [string, number][] = [];
  for (const line of lines.slice(1)) {
    const [tag, id, value] = JSON.parse(line) as [string, string, never];
    if (tag === 'doc') docs.push([id, value]);
    else if (tag === 'version') versions.push([id, value]);
  }
  return { mini: header.mini, docs, versions };
}
