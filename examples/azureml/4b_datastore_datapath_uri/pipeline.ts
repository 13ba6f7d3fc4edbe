// cli/jobs/pipelines-with-components/basics/4b_datastore_datapath_uri: a folder on a workspace
// datastore as input, and a pipeline output written to a datastore path.
import { command, Input, Output, pipeline, uriFile, uriFolder } from "@pipewright/dsl";

const componentFolder = command({
  name: "component_folder",
  displayName: "component_folder",
  version: 1,
  inputs: {
    sample_input_data: Input.mltable(),
    sample_input_string: Input.string({ default: "component_folder" }),
  },
  outputs: { sample_output_data: Output.uriFolder() },
  code: "./src",
  environment: { image: "python" },
  command: ({ inputs, outputs }) =>
    `python component-folder.py --input_data ${inputs.sample_input_data} --input_string ${inputs.sample_input_string} ` +
    `--output_data ${outputs.sample_output_data}`,
});

const componentFile = command({
  name: "component_file",
  displayName: "component_file",
  version: 1,
  inputs: { sample_input_data_file: Input.uriFolder(), placeholder: Input.uriFolder() },
  outputs: { sample_output_data: Output.uriFolder() },
  code: "./src",
  environment: { image: "python" },
  command: ({ inputs, outputs }) =>
    `python component-file.py --input_data ${inputs.sample_input_data_file} --placeholder ${inputs.placeholder} ` +
    `--output_data ${outputs.sample_output_data}`,
});

const datastore = "azureml://datastores/workspaceblobstore/paths/azureml";

export const datastorePipeline = pipeline(
  {
    name: "datastore_datapath_uri",
    displayName: "4b_datastore_datapath_uri",
    description: "Example of using data folder from a Workspace Datastore as pipeline input",
    inputs: { pipeline_sample_input_string: Input.string() },
    outputs: { pipeline_sample_output_data: Output.uriFolder() },
    settings: { defaultCompute: "azureml:cpu-cluster" },
  },
  ({ pipeline_sample_input_string }) => {
    const folder = componentFolder({
      // A uri_folder on a datastore feeds the mltable input, as in the corpus.
      sample_input_data: uriFolder(datastore, { mode: "ro_mount" }),
      sample_input_string: pipeline_sample_input_string,
    });
    componentFile(
      {
        // A single file feeds the uri_folder input, as in the corpus (Azure accepts file data there).
        sample_input_data_file: uriFile(`${datastore}/4b_datastore_datapath_uri/hello-world.txt`, { mode: "download" }),
        placeholder: folder.outputs.sample_output_data,
      },
      { outputs: { sample_output_data: {} } },
    );
    return { pipeline_sample_output_data: folder.outputs.sample_output_data };
  },
);

export const job = datastorePipeline.job(
  { pipeline_sample_input_string: "Hello_Pipeline_World" },
  { outputs: { pipeline_sample_output_data: { path: `${datastore}/4b_datastore_datapath_uri` } } },
);
