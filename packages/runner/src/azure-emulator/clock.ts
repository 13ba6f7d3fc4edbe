// The emulator's notion of "now". Job lifecycles, SAS expiry and timestamps in responses all read
// it, so tests drive a pipeline from NotStarted to Completed by advancing a manual clock instead of
// sleeping.

export interface EmulatorClock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** A clock that only moves when told to. */
export class ManualClock implements EmulatorClock {
  #now: number;

  /** @param start epoch milliseconds; @default 2025-01-01T00:00:00Z, so timestamps are reproducible */
  constructor(start: number = Date.UTC(2025, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`ManualClock.advance: expected a non-negative number of milliseconds, got ${ms}`);
    }
    this.#now += ms;
  }
}

/** Wall-clock time, for `pipewright emulator` sessions where jobs should progress on their own. */
export const systemClock: EmulatorClock = { now: () => Date.now() };

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
