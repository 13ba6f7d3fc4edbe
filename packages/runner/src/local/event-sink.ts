/** Where a run's events go: the workspace (so other processes can follow) and live listeners. */
import type { RunEvent } from "../events/run-events.js";
import type { WorkspaceStore } from "../workspace/store.js";

export type RunEventListener = (event: RunEvent) => void;

export class EventSink {
  private seq: number;
  private readonly listeners = new Set<RunEventListener>();

  constructor(
    private readonly store: WorkspaceStore,
    private readonly job: string,
  ) {
    this.seq = store.nextEventSeq(job);
  }

  /**
   * Records the event with the next group commit of the workspace, and tells the live listeners
   * once it is committed: nothing is announced that a killed runner could still lose.
   */
  emit(event: RunEvent): void {
    const seq = this.seq++;
    this.store.deferEvent(this.job, seq, event, () => {
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch {
          // A broken reporter must not stop the run.
        }
      }
    });
  }

  /** Subscribes; returns the function that unsubscribes. */
  subscribe(listener: RunEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The sequence number the next event will get (to resume a replay without gaps). */
  get nextSeq(): number {
    return this.seq;
  }
}
