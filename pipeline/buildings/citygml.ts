/**
 * CityGML for the pipeline: a file path or any Node Readable read in chunks through the streaming reader
 * (core/formats/citygml), its buildings handed out one at a time by an async iterator. The stream is pulled only
 * as fast as the buildings are taken, so a folder of 2 × 2 km tiles reads in the memory of one chunk's buildings.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { CityGmlReader, type CityGmlBuilding, type CityGmlReport } from '../../core/formats/citygml/reader';

export { CityGmlError, CityGmlReader, type CityGmlBuilding, type CityGmlReport } from '../../core/formats/citygml/reader';
export { crsLabel, crsOfSrsName, type GmlCrs } from '../../core/formats/citygml/crs';

/** Bytes read from a file at a time: large enough that the parser, not the reads, sets the pace. */
const CHUNK_BYTES = 1 << 20;

export interface ReadCityGmlOptions {
  /** The name messages use; a path's base name, or "stream", by default. */
  readonly name?: string;
  /** A building left out for broken geometry, named by its gml:id. */
  readonly onWarning?: (message: string) => void;
  /** The bytes read so far, after each chunk. */
  readonly onProgress?: (bytesRead: number) => void;
}

/** One pass over a CityGML document: iterate it once; `report` is complete when the iteration ends. */
export interface CityGmlReading extends AsyncIterable<CityGmlBuilding> {
  readonly report: CityGmlReport;
  readonly bytesRead: number;
}

/**
 * The text encoding the document's first bytes announce: a byte-order mark, or the XML declaration's
 * `encoding`. UTF-8 unless told otherwise; ISO-8859-1 occurs in older German deliveries.
 */
function encodingOf(head: Buffer): { encoding: 'utf8' | 'latin1' | 'utf16le'; bom: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf8', bom: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', bom: 2 };
  const decl = /^<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(head.subarray(0, 200).toString('latin1'));
  const declared = decl?.[1]?.toLowerCase() ?? 'utf-8';
  return { encoding: /^(iso-8859-1|latin-?1|iso-8859-15|windows-1252)$/.test(declared) ? 'latin1' : 'utf8', bom: 0 };
}

/**
 * A stream's chunks, one at a time: the stream flows for one chunk and pauses until that chunk is taken, so it is
 * read only as fast as its buildings are. Not `for await` over the stream: on Node 20 its paused-mode `read()`
 * loop keeps about 150 bytes per chunk (measured: 45 MB after 300,000 small chunks), which a long stream of small
 * chunks would pile up; flowing with `pause()` keeps nothing.
 */
async function* chunksOf(stream: Readable): AsyncGenerator<Buffer | string> {
  const pending: (Buffer | string)[] = [];
  let wake: (() => void) | null = null;
  let ended = false;
  let error: unknown = null;
  const poke = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const onData = (c: Buffer | string): void => {
    pending.push(c);
    stream.pause();
    poke();
  };
  const onEnd = (): void => { ended = true; poke(); };
  const onError = (e: unknown): void => { error = e; poke(); };
  const onClose = (): void => { if (!ended) error ??= new Error('the stream closed before its end'); poke(); };
  stream.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  try {
    for (;;) {
      const c = pending.shift();
      if (c !== undefined) yield c;
      else if (error) throw error;
      else if (ended) return;
      else {
        const next = new Promise<void>((r) => { wake = r; });
        stream.resume();
        await next;
      }
    }
  } finally {
    stream.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    stream.destroy();
  }
}

/** Runs `fn`; what it threw, or null. */
function attempt(fn: () => void): unknown {
  try {
    fn();
    return null;
  } catch (e) {
    return e;
  }
}

/** Read a CityGML document (a file path, or a Readable of Buffers or strings), building by building. */
export function readCityGml(source: Readable | string, options: ReadCityGmlOptions = {}): CityGmlReading {
  const name = options.name ?? (typeof source === 'string' ? path.basename(source) : 'stream');
  const queue: CityGmlBuilding[] = [];
  const reader = new CityGmlReader({ name, onBuilding: (b) => queue.push(b), ...(options.onWarning ? { onWarning: options.onWarning } : {}) });
  let bytesRead = 0;

  async function* buildings(): AsyncGenerator<CityGmlBuilding> {
    const stream = typeof source === 'string' ? createReadStream(source, { highWaterMark: CHUNK_BYTES }) : source;
    let decoder: StringDecoder | null = null;
    let failure: unknown;
    try {
      for await (const chunk of chunksOf(stream)) {
        let text: string;
        if (typeof chunk === 'string') {
          text = chunk;
          bytesRead += Buffer.byteLength(chunk);
        } else {
          bytesRead += chunk.length;
          let body = chunk;
          if (!decoder) {
            const { encoding, bom } = encodingOf(chunk);
            decoder = new StringDecoder(encoding);
            body = chunk.subarray(bom);
          }
          text = decoder.write(body);
        }
        failure = attempt(() => reader.write(text));
        // Buildings completed before an error are handed out first: they are good, and the error says how many.
        yield* queue.splice(0);
        if (failure) throw failure;
        // After the chunk's buildings are taken, so a progress line counts them with their bytes.
        options.onProgress?.(bytesRead);
      }
      failure = attempt(() => {
        if (decoder) reader.write(decoder.end());
        reader.end();
      });
      yield* queue.splice(0);
      if (failure) throw failure;
    } finally {
      // Taken early (a `break`, an error): the file or stream is closed all the same.
      stream.destroy();
    }
  }

  return {
    [Symbol.asyncIterator]: buildings,
    get report() {
      return reader.report;
    },
    get bytesRead() {
      return bytesRead;
    },
  };
}
