// Type tests for what imported Azure ML YAML needs: registered components by reference, boolean
// text, any scalar into a string input, per-node output kinds and services, the undeclared-input
// escape hatch, and a uri_file pipeline output over a uri_folder node output. Checked by `tsc`.
import { command, componentRef, Input, Output, pipeline } from "@pipewright/dsl";

const registered = componentRef("azureml:train:1", {
  inputs: { data: Input.uriFolder(), epochs: Input.integer() },
  outputs: { model: Output.mlflowModel() },
});
const bare = componentRef("azureml://registries/azureml/components/noop/versions/1");

const flags = command({
  name: "flags",
  inputs: { resize: Input.boolean(), crop: Input.string({ default: true, enum: ["True", "False"] }) },
  outputs: { out: Output.uriFolder() },
  command: "x",
});

export const interop = pipeline(
  { name: "interop", inputs: { raw: Input.uriFolder(), table: Input.mltable() }, outputs: { model: Output.mlflowModel(), file: Output.uriFile() } },
  ({ raw, table }) => {
    const trained = registered({ data: raw, epochs: 3 }, { name: "train", services: { board: { type: "tensor_board", logDir: "outputs/tb" } } });
    bare();
    // @ts-expect-error a registered component's declared input takes its declared kind
    registered({ data: table, epochs: 3 });
    // @ts-expect-error an integer input of a registered component does not take text
    registered({ data: raw, epochs: "3" });
    // @ts-expect-error an input the reference does not declare, outside the escape hatch
    registered({ data: raw, epochs: 3, seed: 1 });
    // @ts-expect-error reading an output the reference does not declare
    trained.outputs.metrics;
    registered({ data: raw, epochs: 3 }, { undeclaredInputs: { seed: 1, source: raw } });
    // @ts-expect-error the escape hatch takes port values, not objects
    registered({ data: raw, epochs: 3 }, { undeclaredInputs: { seed: { a: 1 } } });
    const f = flags({ resize: "False", crop: 224 }, { outputs: { out: { type: "uri_folder", mode: "upload" } } });
    flags({ resize: true, crop: false });
    // @ts-expect-error a boolean input takes true/false or their text, not other words
    flags({ resize: "no" });
    // @ts-expect-error a node output's kind is a data kind
    flags({ resize: true }, { outputs: { out: { type: "string" } } });
    // @ts-expect-error a service has one of Azure's service types
    flags({ resize: true }, { services: { s: { type: "notebook" } } });
    return { model: trained.outputs.model, file: f.outputs.out };
  },
);

pipeline({ name: "bad_file_out", outputs: { file: Output.uriFile() } },
  // @ts-expect-error a uri_file pipeline output takes a file or folder node output, not an mlflow model
  () => ({ file: registered({ data: "x" as never, epochs: 1 }).outputs.model }),
);
