// Type tests: what must compile and what must not. Checked by `tsc` in `npm test`.
import { command, Input, Output, pipeline, uriFile, uriFolder, mltable } from "@pipewright/dsl";

const prep = command({
  name: "prep",
  inputs: { raw: Input.uriFolder(), split: Input.number({ default: 0.2, min: 0, max: 1 }), tag: Input.string({ optional: true }) },
  outputs: { train: Output.uriFolder(), metrics: Output.mltable(), ok: Output.boolean() },
  environment: "azureml:AzureML-sklearn-1.0@latest",
  command: ({ inputs, outputs, optional }) =>
    `python prep.py --raw ${inputs.raw} --split ${inputs.split} ${optional(`--tag ${inputs.tag}`)} --train ${outputs.train}`,
});

const train = command({
  name: "train",
  inputs: { data: Input.uriFolder(), epochs: Input.integer(), lr: Input.number(), flag: Input.boolean({ default: false }) },
  outputs: { model: Output.mlflowModel() },
  environment: "azureml:AzureML-sklearn-1.0@latest",
  command: "python train.py",
});

export const taxi = pipeline(
  {
    name: "taxi",
    inputs: { raw: Input.uriFolder(), epochs: Input.integer({ default: 3 }) },
    outputs: { model: Output.mlflowModel() },
  },
  ({ raw, epochs }) => {
    const p = prep({ raw });
    const t = train({ data: p.outputs.train, epochs, lr: 0.1 });
    train({ data: p.outputs.train, epochs: 2, lr: epochs });
    // @ts-expect-error mltable output wired into a uri_folder input
    train({ data: p.outputs.metrics, epochs, lr: 0.1 });
    // @ts-expect-error missing required input 'epochs'
    train({ data: p.outputs.train, lr: 0.1 });
    // @ts-expect-error unknown input name 'dataset'
    train({ data: p.outputs.train, epochs, lr: 0.1, dataset: raw });
    // @ts-expect-error reading an output the component does not declare
    p.outputs.features;
    // @ts-expect-error a string literal into a number input
    train({ data: p.outputs.train, epochs, lr: "0.1" });
    // @ts-expect-error a number literal into a boolean input
    train({ data: p.outputs.train, epochs, lr: 0.1, flag: 1 });
    // @ts-expect-error a number pipeline input into an integer input
    prep({ raw, split: 0.5 }) && train({ data: raw, epochs: p.outputs.ok, lr: 0.1 });
    // A single file is concrete data a uri_folder input accepts (Azure does; corpus 4b, 4c).
    train({ data: uriFile("azureml://datastores/ds/paths/a.csv"), epochs, lr: 0.1 });
    const fileStep = command({ name: "f", outputs: { one: Output.uriFile() }, command: "x" });
    // @ts-expect-error a uri_file node output into a uri_folder input: node outputs must match exactly
    train({ data: fileStep().outputs.one, epochs, lr: 0.1 });
    return { model: t.outputs.model };
  },
);

pipeline({ name: "bad_out", inputs: { raw: Input.uriFolder() }, outputs: { model: Output.uriFolder() } },
  // @ts-expect-error a pipeline output bound to a pipeline input, not a node output
  ({ raw }) => ({ model: raw }),
);

pipeline({ name: "bad_out_kind", inputs: { raw: Input.uriFolder() }, outputs: { model: Output.uriFolder() } },
  // @ts-expect-error a pipeline output of kind uri_folder bound to an mltable node output
  ({ raw }) => ({ model: prep({ raw }).outputs.metrics }),
);

command({
  name: "typo",
  inputs: { a: Input.string() },
  // @ts-expect-error the typed command names an input that is not declared
  command: ({ inputs }) => `echo ${inputs.b}`,
});

// @ts-expect-error a mode that uri_folder inputs do not allow
Input.uriFolder({ mode: "upload" });

export const job = taxi.job({ raw: uriFolder("./data"), epochs: 5 });
taxi.job({ raw: "azureml:taxi_raw:1" });
// @ts-expect-error a job input of the wrong primitive type
taxi.job({ raw: uriFolder("./data"), epochs: "5" });
// @ts-expect-error an mltable asset for a uri_folder job input
taxi.job({ raw: mltable("azureml:t:1") });
// @ts-expect-error missing the required job input 'raw'
taxi.job({});
