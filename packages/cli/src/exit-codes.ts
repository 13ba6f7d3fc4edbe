/** The process exit codes of every verb. */
export const EXIT = {
  /** The verb did what was asked. */
  ok: 0,
  /** The input had errors (diagnostics, an entry that cannot load), or the work failed. */
  failed: 1,
  /** The command line itself was wrong: unknown verb or option, missing argument. */
  usage: 2,
} as const;

export type ExitCode = number;
