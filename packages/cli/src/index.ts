export { main } from "./main.js";
export type { MainOptions } from "./main.js";
export { EXIT } from "./exit-codes.js";
export { UsageError, stringOption, booleanOption } from "./command.js";
export type {
  CommandContext,
  CommandDefinition,
  CommandEntry,
  OptionSpecs,
  OptionValues,
  ParsedCommandLine,
  TextSink,
} from "./command.js";
export { compileEntry } from "./compile-entry.js";
export type { CompileEntryOptions, CompiledJob, EntryCompilation } from "./compile-entry.js";
export { loadEntry } from "./entry/load-entry.js";
export type { EntryJob, LoadedEntry } from "./entry/load-entry.js";
export { typeCheckEntry, findTsconfig } from "./entry/type-check.js";
export { writeOutputFolder, OutputFolderError, OUTPUT_MARKER } from "./output/write-output.js";
export { defaultOutDir } from "./output/default-out-dir.js";
