/** `pipewright datastore create|list|show`: local datastores, named folders `azureml://datastores/<name>/paths/<p>` resolves in. */
import type { DatastoreModel } from "@pipewright/dsl";
import { booleanOption, stringOption, UsageError, type CommandContext, type CommandDefinition, type ParsedCommandLine } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { runnerFailure } from "../runner-failure.js";
import { one, openClient } from "../assets/asset-command.js";
import { loadDefinitions } from "../assets/load-definitions.js";
import { AZURE_HELP, AZURE_OPTIONS } from "../assets/azure-assets.js";

export const command: CommandDefinition = {
  name: "datastore",
  help: `Usage: pipewright datastore create --name N --path DIR
       pipewright datastore create <file.yml | definitions.ts[#export]> [--path DIR]
       pipewright datastore list
       pipewright datastore show <name>
  (each also takes --json and --workspace DIR)

create  Names a folder on this machine: jobs reading or writing
        azureml://datastores/<name>/paths/<p> use <folder>/<p>. An Azure datastore definition
        (YAML or TypeScript) is checked as Azure would check it (secrets must be references),
        and stands for --path, or .pipewright/datastores/<name> by default.
list    Every datastore: the ones created here and those every Azure ML workspace has.
show    One datastore's folder.

With --azure: create takes an Azure datastore definition (YAML or TypeScript) and creates it in
the Azure ML workspace, reading secret references (secret.env("NAME"), <secret:env:NAME> in YAML)
from the environment only then; list and show the workspace's datastores (never their secrets).
${AZURE_HELP}

Exit codes: 0 done, 1 bad definition or unknown datastore, 2 wrong command line.`,
  options: {
    name: { type: "string" },
    path: { type: "string" },
    json: { type: "boolean" },
    workspace: { type: "string" },
    ...AZURE_OPTIONS,
  },
  run: runDatastore,
};

async function runDatastore(args: ParsedCommandLine, context: CommandContext): Promise<number> {
  const [sub, ...rest] = args.positionals;
  if (sub !== "create" && sub !== "list" && sub !== "show") throw new UsageError("expected 'datastore create', 'datastore list' or 'datastore show <name>'");
  if (booleanOption(args.values, "azure")) {
    const { runAzureDatastoreVerb } = await import("../assets/azure-assets.js");
    return runAzureDatastoreVerb(sub, rest, args, context);
  }
  const runner = await import("@pipewright/runner");
  const client = openClient(runner, args, context);
  const json = booleanOption(args.values, "json");
  try {
    if (sub === "list") {
      if (rest.length) throw new UsageError("'datastore list' takes no arguments");
      const stores = await client.datastores.list();
      if (json) for (const store of stores) context.stdout.write(`${JSON.stringify(store)}\n`);
      else for (const store of stores) context.stdout.write(`${store.name.padEnd(28)}${store.path}${store.builtin ? "  (built in)" : ""}\n`);
      return EXIT.ok;
    }
    if (sub === "show") {
      const store = await client.datastores.get(one(rest, "'datastore show' takes one name"));
      context.stdout.write(json ? `${JSON.stringify(store)}\n` : `name:    ${store.name}\npath:    ${store.path}\n${store.builtin ? "built in: yes\n" : ""}`);
      return EXIT.ok;
    }
    const path = stringOption(args.values, "path");
    const created = [];
    if (rest.length) {
      const loaded = await loadDefinitions(one(rest, "'datastore create' takes one definition file"), "datastore", context.cwd);
      if (!loaded.ok) {
        if (loaded.diagnostics.length) {
          const { renderDiagnostics } = await import("@pipewright/compiler");
          context.stderr.write(`${renderDiagnostics(loaded.diagnostics, { cwd: context.cwd })}\n`);
        }
        if (loaded.message) context.stderr.write(`pipewright datastore create: ${loaded.message}\n`);
        return EXIT.failed;
      }
      for (const definition of loaded.definitions) {
        created.push(await client.datastores.createOrUpdate(definition as DatastoreModel, path !== undefined ? { path } : {}));
      }
    } else {
      const name = stringOption(args.values, "name");
      if (name === undefined || path === undefined) throw new UsageError("'datastore create' needs --name and --path, or a definition file");
      created.push(await client.datastores.createOrUpdate({ name, path }));
    }
    for (const store of created) context.stdout.write(json ? `${JSON.stringify(store)}\n` : `Datastore ${store.name} -> ${store.path}\n`);
    return EXIT.ok;
  } catch (error) {
    return runnerFailure(runner, error, context);
  } finally {
    client.close();
  }
}
