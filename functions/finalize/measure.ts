import { createHash } from 'node:crypto';
import { MarkupHead, SNIFF_BYTES } from '@portail/core';

export interface Measured {
  /** Bytes read (when `truncated`, the object holds more). */
  size: number;
  /** True when reading stopped at `maxBytes`. */
  truncated: boolean;
  sha1: string;
  sha256: string;
  /** The first SNIFF_BYTES bytes, for telling the type. */
  head: Uint8Array;
  /** The markup view of the file (MarkupHead): past leading whitespace however long, NUL bytes dropped. */
  markup: Uint8Array;
}

/**
 * Reads a stream once: size, SHA-1 (udata's checksum) and SHA-256 together, and the first bytes. Stops as
 * soon as more than `maxBytes` arrived: a file over the limit is refused without reading the rest.
 */
export async function measure(stream: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Measured> {
  const sha1 = createHash('sha1');
  const sha256 = createHash('sha256');
  const head = new Uint8Array(SNIFF_BYTES);
  let headLength = 0;
  const markup = new MarkupHead();
  let size = 0;
  for await (const chunk of stream) {
    if (!markup.full) markup.push(chunk);
    if (headLength < SNIFF_BYTES) {
      const taken = chunk.subarray(0, SNIFF_BYTES - headLength);
      head.set(taken, headLength);
      headLength += taken.length;
    }
    size += chunk.length;
    if (size > maxBytes) {
      return {
        size,
        truncated: true,
        sha1: '',
        sha256: '',
        head: head.subarray(0, headLength),
        markup: markup.view(),
      };
    }
    sha1.update(chunk);
    sha256.update(chunk);
  }
  return {
    size,
    truncated: false,
    sha1: sha1.digest('hex'),
    sha256: sha256.digest('hex'),
    head: head.subarray(0, headLength),
    markup: markup.view(),
  };
}
