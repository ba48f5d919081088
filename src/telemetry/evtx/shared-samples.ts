/** Test support: the real EVTX files under ../shared/data and their python-evtx JSONL conversions. */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from '../../testing/repo.js';

export const SAMPLE_FOLDERS = ['benign', 'evtx_attack_samples', 'mdecrevoisier'];

/** Every .evtx under the sample folders, or undefined when ../shared/data is absent. */
export function sharedEvtxFiles(): string[] | undefined {
  const root = sharedPath('data');
  if (!root) return undefined;
  const files: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && depth < 4) walk(path, depth + 1);
      else if (entry.isFile() && entry.name.endsWith('.evtx')) files.push(path);
    }
  };
  for (const folder of SAMPLE_FOLDERS) if (existsSync(join(root, folder))) walk(join(root, folder), 0);
  return files.sort();
}

export type ReferenceEvent = Record<string, string | null>;

export function referenceEvents(evtxPath: string): ReferenceEvent[] {
  const text = readFileSync(evtxPath.replace(/\.evtx$/, '.jsonl'), 'utf8');
  return text.split('\n').filter(line => line.trim() !== '').map(line => JSON.parse(line) as ReferenceEvent);
}

/** Chunk-relative layout facts read straight from the file bytes (format offsets, not the reader). */
export interface ChunkLayout {
  index: number;
  fileOffset: number;
  firstRecordId: number;
  lastRecordId: number;
  freeSpace: number;
}

export function chunkLayouts(bytes: Buffer): ChunkLayout[] {
  const layouts: ChunkLayout[] = [];
  for (let index = 0; 4096 + (index + 1) * 65536 <= bytes.length; index++) {
    const fileOffset = 4096 + index * 65536;
    if (bytes.toString('latin1', fileOffset, fileOffset + 8) !== 'ElfChnk\0') continue;
    layouts.push({
      index,
      fileOffset,
      firstRecordId: Number(bytes.readBigUInt64LE(fileOffset + 24)),
      lastRecordId: Number(bytes.readBigUInt64LE(fileOffset + 32)),
      freeSpace: bytes.readUInt32LE(fileOffset + 48),
    });
  }
  return layouts;
}
