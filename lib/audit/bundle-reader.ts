// Hands the verifier each file of a bundle as a stream of chunks: from a .tar.gz as it is read
// and decompressed (nothing is written to disk), or from a directory holding the files. Only the
// bundle's own names, as regular files, are read (docs/AUDIT_FORMAT.md §5); events.csv and the
// README are never verified, so they are skipped.
import { createReadStream } from "node:fs";
import { access, open } from "node:fs/promises";
import path from "node:path";
import { createGunzip, type ZlibOptions } from "node:zlib";
import * as tar from "tar";
import { fail, Failed } from "@/lib/audit/bundle-checks";
import { BUNDLE_FILES, BUNDLE_FILE_NAMES } from "@/lib/audit/bundle-format";

export type OnFile = (name: string, chunks: AsyncIterable<Buffer>) => Promise<void>;

const READ = { highWaterMark: 1 << 20 };
const SKIPPED: readonly string[] = [BUNDLE_FILES.csv, BUNDLE_FILES.readme];
const WANTED = BUNDLE_FILE_NAMES.filter((n) => !SKIPPED.includes(n));

/** Calls `onFile` for each bundle file, one after the other; `onFile` must read its chunks to the end. */
export async function readBundle(bundle: string, isDir: boolean, onFile: OnFile): Promise<void> {
  if (isDir) {
    for (const name of WANTED) {
      const file = path.join(bundle, name);
      if (await access(file).then(() => true, () => false)) await onFile(name, createReadStream(file, READ));
    }
    return;
  }
  await readArchive(bundle, onFile);
}

async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file);
  try {
    const head = Buffer.alloc(2);
    await fh.read(head, 0, 2, 0);
    return head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

function readArchive(file: string, onFile: OnFile): Promise<void> {
  return isGzip(file).then(
    (gzip) =>
      new Promise<void>((resolve, reject) => {
        const input = createReadStream(file, READ);
        // node:zlib inflates on libuv's thread pool, beside the verifier's own thread; node-tar's
        // built-in gunzip would run on it.
        // 1 MiB pieces: each one is a round trip to the pool, and 16 KiB ones cost the main thread
        // a third of a second per 300,000 events. Up to 8 MiB inflated ahead, so that the pool
        // thread works on the next pieces while this one checks the last (with the default 16 KiB
        // it waited for each piece to be read, and the two took turns).
        const gunzip = gzip ? createGunzip({ chunkSize: 1 << 20, readableHighWaterMark: 8 << 20 } as ZlibOptions) : null;
        const parser = new tar.Parser({ strict: true });
        let chain: Promise<void> = Promise.resolve();
        let stopped = false;
        const stop = (e: unknown) => {
          if (stopped) return;
          stopped = true;
          input.destroy();
          gunzip?.destroy();
          reject(e);
        };
        const unreadable = (e: Error) => {
          try {
            fail("modified", null, `the archive cannot be read as .tar.gz: ${e.message}`);
          } catch (f) {
            stop(f as Failed);
          }
        };
        parser.on("entry", (entry: tar.ReadEntry) => {
          const name = entry.path.replace(/^\.\//, "");
          if (entry.type !== "File" || !WANTED.includes(name)) return void entry.resume();
          // The parser emits the next entry only once this one is read, so they run in order.
          chain = chain.then(() => (stopped ? void entry.resume() : onFile(name, entry))).catch((e) => {
            entry.resume();
            stop(e);
          });
        });
        parser.on("error", unreadable);
        input.on("error", unreadable);
        gunzip?.on("error", unreadable);
        parser.on("end", () => void chain.then(() => (stopped ? undefined : resolve())));
        (gunzip ? input.pipe(gunzip) : input).pipe(parser as unknown as NodeJS.WritableStream);
      }),
  );
}
