/**
 * What every exporter produces: files named by a path relative to the output folder, so the CLI can
 * print a single one or write them all under `--out DIR`.
 */
export interface ExportedFile {
  /** Relative path, `/`-separated: `<target>/<rule>.<ext>`. */
  path: string;
  content: string;
}

/** A rule cannot be expressed in a target at all (as opposed to partly: that is a lossy note in the file). */
export class ExportError extends Error {
  override name = 'ExportError';
}
