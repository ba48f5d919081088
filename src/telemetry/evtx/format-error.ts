/** A structural problem in EVTX bytes, with the offset (chunk-relative inside a chunk) where it was found. */
export class EvtxFormatError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'EvtxFormatError';
  }
}
