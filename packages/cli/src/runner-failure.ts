/** How the verbs that use the runner end on a runner error. */
import type * as Runner from "@pipewright/runner";
import type { CommandContext } from "./command.js";
import { EXIT } from "./exit-codes.js";

/**
 * A runner error (coded and located: a definition's diagnostics, an unknown job, a bad workspace)
 * becomes its rendering on stderr and exit code 1; anything else is rethrown.
 */
export function runnerFailure(runner: typeof Runner, error: unknown, context: CommandContext): number {
  if (runner.isRunnerError(error)) {
    context.stderr.write(`${error.render()}\n`);
    return EXIT.failed;
  }
  throw error;
}
