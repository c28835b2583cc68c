// Runs in: main (core) and CLI. Reading a bundle's zip without trusting it: the central directory is
// read from the file (never the whole archive into memory), every name is checked before anything is
// extracted, and each entry is inflated with fflate in slices, stopped as soon as it grows past the
// size it declares — a zip bomb costs one slice, not the disk.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Inflate } from 'fflate';
import { BenchtopError } from '../../../shared/contract/errors';
import { normalizeProjectPath } from '../util/path-policy';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate. */
  method: number;
  compressedSize: number;
  size: number;
  /** Where the entry's local header starts. */
  localOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_ENTRIES = 100_000;
/** Deflate cannot expand data more than ~1032 times; an entry claiming more is lying about its sizes. */
const MAX_RATIO = 1100;

function bad(file: string, what: string, entry?: string): BenchtopError {
  return new BenchtopError(
    'BAD_FILE',
    `${file} is refused: ${what}${entry ? ` (entry ${entry})` : ''}. Nothing was imported.`,
    {
      field: 'file',
      hint: 'Export the bundle again with `benchtop models export`; a file changed after export is refused on purpose.',
    },
  );
}

/** Names a bundle may hold: relative, `/`-separated, no `..`, no empty or `.` parts, no drive letters or control characters. */
export function safeEntryName(name: string): boolean {
  if (name === '' || name.length > 1024) return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: entry names with control characters are refused on purpose.
  if (name.includes('\\') || /[\u0000-\u001f]/.test(name)) return false;
  // Relative with no empty, `.` or `..` parts is exactly what the path policy normalises to itself.
  return name !== '.' && normalizeProjectPath(name) === name;
}

export class ZipReader {
  private readonly fd: number;
  readonly size: number;

  constructor(
    readonly file: string,
    readonly label = file,
  ) {
    try {
      this.fd = openSync(file, 'r');
    } catch {
      throw new BenchtopError('NOT_FOUND', `There is no file at ${label}.`, {
        field: 'file',
        hint: 'Give the path of a .zip written by `benchtop models export`.',
      });
    }
    const st = fstatSync(this.fd);
    if (!st.isFile()) {
      closeSync(this.fd);
      throw new BenchtopError('INVALID_INPUT', `${label} is not a file.`, {
        field: 'file',
        hint: 'Give the path of a .zip written by `benchtop models export`.',
      });
    }
    this.size = st.size;
  }

  close(): void {
    closeSync(this.fd);
  }

  private read(position: number, length: number): Buffer {
    const buf = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buf, done, length - done, position + done);
      if (n === 0) throw bad(this.label, 'it ends early');
      done += n;
    }
    return buf;
  }

  /** The entries of the central directory, checked for unsafe names, duplicates and impossible sizes. */
  entries(): ZipEntry[] {
    if (this.size < 22) throw bad(this.label, 'it is too short to be a zip file');
    const tailLength = Math.min(this.size, 22 + 0xffff);
    const tail = this.read(this.size - tailLength, tailLength);
    let at = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        at = i;
        break;
      }
    }
    if (at < 0) throw bad(this.label, 'it is not a zip file (no end of central directory)');
    const count = tail.readUInt16LE(at + 10);
    const cdSize = tail.readUInt32LE(at + 12);
    const cdOffset = tail.readUInt32LE(at + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff)
      throw bad(this.label, 'it is a ZIP64 archive, which bundles never are');
    if (count > MAX_ENTRIES) throw bad(this.label, `it has ${count} entries`);
    if (cdOffset + cdSize > this.size) throw bad(this.label, 'its central directory lies past the end of the file');
    const cd = this.read(cdOffset, cdSize);
    const out: ZipEntry[] = [];
    const names = new Set<string>();
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL)
        throw bad(this.label, 'its central directory is damaged');
      const flags = cd.readUInt16LE(p + 8);
      const method = cd.readUInt16LE(p + 10);
      const compressedSize = cd.readUInt32LE(p + 20);
      const size = cd.readUInt32LE(p + 24);
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const commentLength = cd.readUInt16LE(p + 32);
      const localOffset = cd.readUInt32LE(p + 42);
      if (p + 46 + nameLength > cd.length) throw bad(this.label, 'its central directory is damaged');
      const name = cd.subarray(p + 46, p + 46 + nameLength).toString('utf8');
      p += 46 + nameLength + extraLength + commentLength;
      if (name.endsWith('/')) continue; // a folder entry holds no bytes; its files are checked one by one
      if (!safeEntryName(name))
        throw bad(this.label, `an entry's name would write outside the bundle: "${name.slice(0, 200)}"`);
      if (names.has(name)) throw bad(this.label, 'a name appears twice', name);
      names.add(name);
      if (flags & 1) throw bad(this.label, 'an entry is encrypted', name);
      if (method !== 0 && method !== 8) throw bad(this.label, `an entry uses compression method ${method}`, name);
      if (method === 0 && compressedSize !== size)
        throw bad(this.label, 'a stored entry has two different sizes', name);
      if (size === 0xffffffff || compressedSize === 0xffffffff) throw bad(this.label, 'an entry is too large', name);
      if (method === 8 && size > Math.max(1024, compressedSize * MAX_RATIO))
        throw bad(this.label, `an entry claims to expand from ${compressedSize} to ${size} bytes`, name);
      if (localOffset + 30 + compressedSize > this.size)
        throw bad(this.label, 'an entry lies past the end of the file', name);
      out.push({ name, method, compressedSize, size, localOffset });
    }
    return out;
  }

  /**
   * Streams an entry's bytes to `sink` in slices; refuses an entry that inflates to more, or fewer,
   * bytes than it declares.
   */
  extract(entry: ZipEntry, sink: (chunk: Uint8Array) => void): void {
    const header = this.read(entry.localOffset, 30);
    if (header.readUInt32LE(0) !== LOCAL) throw bad(this.label, 'a local header is damaged', entry.name);
    let pos = entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    const end = pos + entry.compressedSize;
    if (end > this.size) throw bad(this.label, 'an entry lies past the end of the file', entry.name);
    let produced = 0;
    const take = (chunk: Uint8Array): void => {
      produced += chunk.length;
      if (produced > entry.size)
        throw bad(this.label, `an entry holds more than the ${entry.size} bytes it declares`, entry.name);
      if (chunk.length) sink(chunk);
    };
    const SLICE = 1 << 20;
    if (entry.method === 0) {
      while (pos < end) {
        const n = Math.min(SLICE, end - pos);
        take(this.read(pos, n));
        pos += n;
      }
    } else {
      const inflate = new Inflate((chunk) => take(chunk));
      // 64 KiB of deflate inflates to at most ~66 MiB; take() stops anything past the declared size.
      const SMALL = 64 * 1024;
      try {
        if (entry.compressedSize === 0) inflate.push(new Uint8Array(0), true);
        while (pos < end) {
          const n = Math.min(SMALL, end - pos);
          inflate.push(this.read(pos, n), pos + n >= end);
          pos += n;
        }
      } catch (err) {
        if (err instanceof BenchtopError) throw err;
        throw bad(
          this.label,
          `an entry does not inflate (${err instanceof Error ? err.message : String(err)})`,
          entry.name,
        );
      }
    }
    if (produced !== entry.size)
      throw bad(this.label, `an entry holds ${produced} bytes, not the ${entry.size} it declares`, entry.name);
  }

  /** A small entry's bytes (bundle.json, the card). */
  readEntry(entry: ZipEntry, max: number): Buffer {
    if (entry.size > max)
      throw bad(this.label, `an entry is ${entry.size} bytes, more than the ${max} it may be`, entry.name);
    const parts: Uint8Array[] = [];
    this.extract(entry, (c) => parts.push(Uint8Array.from(c)));
    return Buffer.concat(parts);
  }
}
