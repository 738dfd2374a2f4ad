// The local-directory adapter of the export storage port (Node only: the embedded default). The
// Workers build never imports this file (server/worker.ts wires no local storage).
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { isSafeStorageKey, type ExportStorage } from './export-storage';

export function localExportStorage(directory: string): ExportStorage {
  const root = path.resolve(directory);
  const staging = path.join(root, '.staging');
  const fileOf = (key: string) => {
    if (!isSafeStorageKey(key)) throw new Error(`export storage: refused key ${JSON.stringify(key.slice(0, 80))}`);
    return path.join(root, ...key.split('/'));
  };
  return {
    kind: 'local',
    stagingDir: () => staging,
    async commitFile(localPath, key) {
      const target = fileOf(key);
      await mkdir(path.dirname(target), { recursive: true });
      // rename(2) on one file system is atomic: the key shows the whole file or nothing.
      await rename(localPath, target);
      return { size: (await stat(target)).size };
    },
    async read(key) {
      const file = fileOf(key);
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) return null;
      return { body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>, size: info.size };
    },
    async remove(key) {
      const file = fileOf(key);
      await rm(file, { force: true });
      await rm(path.dirname(file), { recursive: false, force: true }).catch(() => undefined);
    },
    async exists(key) {
      return Boolean((await stat(fileOf(key)).catch(() => null))?.isFile());
    },
  };
}
