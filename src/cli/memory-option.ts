/** `--max-memory <size>`, shared by `query` and `hunt`. */
import { InvalidArgumentError, Option } from 'commander';
import { parseByteSize } from '../kql/index.js';

export function maxMemoryOption(): Option {
  return new Option(
    '--max-memory <size>',
    'most that summarize, sort, join and distinct may hold together (e.g. 512M, 2G); over it the query stops with an error (default: 70% of the heap limit)',
  ).argParser((text: string) => {
    const bytes = parseByteSize(text);
    if (bytes === undefined) throw new InvalidArgumentError('expected a size such as 512M, 1.5G or a number of bytes');
    return bytes;
  });
}
