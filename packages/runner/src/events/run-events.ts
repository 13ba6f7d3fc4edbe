/**
 * The one event stream every backend emits and every reporter reads. Local and Azure runs
 * produce the same events, so reporters and `jobs.stream` do not care where a pipeline runs.
 */

export interface IgnoredSettingEvent {
  readonly step: string;
  readonly setting: string;
  readonly value: string;
}

interface EventBase {
  readonly job: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
}

export type RunEvent =
  | (EventBase & {
      readonly type: "job_started";
      readonly pipeline: string;
      readonly steps: readonly { readonly id: string; readonly displayName?: string }[];
      readonly folder: string;
      readonly resumed: boolean;
    })
  | (EventBase & { readonly type: "step_started"; readonly step: string; readonly attempt: number })
  | (EventBase & { readonly type: "step_reused"; readonly step: string; readonly from: { readonly job: string; readonly step: string } })
  | (EventBase & {
      readonly type: "step_retrying";
      readonly step: string;
      readonly attempt: number;
      readonly delayMs: number;
      readonly reason: string;
    })
  | (EventBase & { readonly type: "step_completed"; readonly step: string; readonly attempt: number; readonly durationMs: number })
  | (EventBase & {
      readonly type: "step_failed";
      readonly step: string;
      readonly attempt: number;
      readonly durationMs: number;
      readonly exitCode?: number;
      readonly signal?: string;
      readonly reason: string;
      readonly logPath: string;
      /** The last lines of the step's log. */
      readonly logTail: string;
    })
  | (EventBase & { readonly type: "step_canceled"; readonly step: string; readonly reason: string })
  /** New complete lines of a step's log (remote runs stream logs as they grow). */
  | (EventBase & { readonly type: "step_log"; readonly step: string; readonly lines: readonly string[] })
  | (EventBase & { readonly type: "step_skipped"; readonly step: string; readonly reason: string })
  | (EventBase & {
      readonly type: "job_finished";
      readonly status: "completed" | "failed" | "canceled";
      readonly durationMs: number;
      /** Job outputs and where they are. */
      readonly outputs: Readonly<Record<string, string>>;
      readonly ignored: readonly IgnoredSettingEvent[];
      readonly counts: Readonly<Record<string, number>>;
      readonly error?: string;
    });

export type RunEventType = RunEvent["type"];

export function isTerminalEvent(event: RunEvent): boolean {
  return event.type === "job_finished";
}
