/**
 * Reading an audio file's tags in a few large reads. music-metadata's own `parseFile` goes through
 * strtok3's FileTokenizer, which asks the file system once per field (tens of reads per file, each
 * a round trip through libuv's thread pool). Here the file's head, where tags, stream info and the
 * first audio frames sit, comes in one read, and any other place (tags at the end, frames counted
 * for a duration) through one moving block, so a typical file costs open, one read, close. Reads
 * larger than a block go straight to the file. Buffers are pooled: memory stays a few blocks per
 * file being read, however many files a scan reads.
 */
import { close, open, read } from 'node:fs';
import { promisify } from 'node:util';
import { type IAudioMetadata, type IOptions, parseFromTokenizer } from 'music-metadata';
import {
  AbstractTokenizer,
  EndOfStreamError,
  type IRandomAccessFileInfo,
  type IReadChunkOptions,
} from 'strtok3';

const openFile = promisify(open);
const closeFile = promisify(close);
const readFile = promisify(read);

/** Covers the tags and first frames of most files (an embedded cover may be larger). */
export const HEAD_BYTES = 128 * 1024;
const BLOCK_BYTES = 64 * 1024;

const pools = new Map<number, Buffer[]>([
  [HEAD_BYTES, []],
  [BLOCK_BYTES, []],
]);
const POOL_LIMIT = 16;
const take = (bytes: number): Buffer => pools.get(bytes)?.pop() ?? Buffer.allocUnsafe(bytes);
const give = (buffer: Buffer) => {
  const pool = pools.get(buffer.length);
  if (pool && pool.length < POOL_LIMIT) pool.push(buffer);
};

/** A window of the file held in memory: `bytes` valid bytes of `buffer` from `start`. */
interface Window {
  start: number;
  bytes: number;
  buffer: Buffer;
}

export class BlockFileTokenizer extends AbstractTokenizer {
  readonly fileInfo: IRandomAccessFileInfo;
  readonly #fd: number;
  readonly #size: number;
  readonly #head: Window;
  #block: Window | undefined;

  private constructor(fd: number, path: string, size: number, head: Window) {
    super();
    this.fileInfo = { path, size };
    this.#fd = fd;
    this.#size = size;
    this.#head = head;
  }

  /** Opens `path` (`size` bytes, as the caller's stat found) and reads its head. */
  static async open(path: string, size: number): Promise<BlockFileTokenizer> {
    const fd = await openFile(path, 'r');
    try {
      const buffer = take(HEAD_BYTES);
      const bytes = await readFully(fd, buffer, 0, Math.min(size, HEAD_BYTES), 0);
      return new BlockFileTokenizer(fd, path, size, { start: 0, bytes, buffer });
    } catch (error) {
      await closeFile(fd);
      throw error;
    }
  }

  async readBuffer(target: Uint8Array, options?: IReadChunkOptions): Promise<number> {
    const normalized = this.normalizeOptions(target, options);
    const bytes = await this.#copy(target, normalized);
    this.position = normalized.position + bytes;
    return bytes;
  }

  peekBuffer(target: Uint8Array, options?: IReadChunkOptions): Promise<number> {
    return this.#copy(target, this.normalizeOptions(target, options));
  }

  async #copy(
    target: Uint8Array,
    { position, length, mayBeLess }: { position: number; length: number; mayBeLess?: boolean },
  ): Promise<number> {
    const wanted = Math.max(0, Math.min(length, this.#size - position));
    if (!mayBeLess && wanted < length) throw new EndOfStreamError();
    if (wanted === 0) return 0;
    const window = this.#windowFor(position, wanted);
    if (window) {
      const from = position - window.start;
      target.set(window.buffer.subarray(from, from + wanted));
      return wanted;
    }
    if (wanted > BLOCK_BYTES)
      return this.#checked(await readFully(this.#fd, target, 0, wanted, position), length, mayBeLess);
    this.#block ??= { start: 0, bytes: 0, buffer: take(BLOCK_BYTES) };
    this.#block.start = position;
    this.#block.bytes = await readFully(
      this.#fd,
      this.#block.buffer,
      0,
      Math.min(BLOCK_BYTES, this.#size - position),
      position,
    );
    const bytes = Math.min(wanted, this.#block.bytes);
    target.set(this.#block.buffer.subarray(0, bytes));
    return this.#checked(bytes, length, mayBeLess);
  }

  /** A file that shrank since its stat ends early: the same error as reading past its end. */
  #checked(bytes: number, length: number, mayBeLess: boolean | undefined): number {
    if (!mayBeLess && bytes < length) throw new EndOfStreamError();
    return bytes;
  }

  #windowFor(position: number, length: number): Window | undefined {
    for (const window of [this.#head, this.#block])
      if (window && position >= window.start && position + length <= window.start + window.bytes)
        return window;
    return undefined;
  }

  setPosition(position: number): void {
    this.validateLength(position, 'position');
    this.position = position;
  }

  supportsRandomAccess(): boolean {
    return true;
  }

  override async closeOnce(): Promise<void> {
    give(this.#head.buffer);
    if (this.#block) give(this.#block.buffer);
    await closeFile(this.#fd);
    await super.closeOnce();
  }
}

/** Reads until `length` bytes are in or the file ends (a short read is not the end). */
async function readFully(
  fd: number,
  target: Uint8Array,
  offset: number,
  length: number,
  position: number,
): Promise<number> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await readFile(fd, target, offset + done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

/** music-metadata's `parseFile`, through a BlockFileTokenizer; `size` from the scan's own stat. */
export async function parseAudioFile(path: string, size: number, options: IOptions): Promise<IAudioMetadata> {
  const tokenizer = await BlockFileTokenizer.open(path, size);
  try {
    return await parseFromTokenizer(tokenizer, options);
  } finally {
    await tokenizer.close();
  }
}
