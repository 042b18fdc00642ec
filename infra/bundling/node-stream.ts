/**
 * `readable-stream` in a deployed function: Node's own streams, which that package republishes for
 * browsers (the RDF parsers each bring a copy, about 75 KiB apiece).
 */
export { Duplex, finished, PassThrough, pipeline, Readable, Stream, Transform, Writable } from 'node:stream';
