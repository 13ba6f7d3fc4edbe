// cli/jobs/basics/hello-pipeline-io.yml: two command job nodes passing a folder.
import { command, Input, Output, pipeline } from "@pipewright/dsl";

const environment = "azureml://registries/azureml/environments/sklearn-1.5/labels/latest";

// `inline: true`: written as command job nodes (command and environment on the node), as in the corpus.
const hello = command({
  name: "hello_job",
  inline: true,
  outputs: { world_output: Output.uriFolder() },
  environment,
  command: ({ outputs }) => `echo "hello" && echo "world" > ${outputs.world_output}/world.txt`,
});

const world = command({
  name: "world_job",
  inline: true,
  inputs: { world_input: Input.uriFolder() },
  environment,
  command: ({ inputs }) => `cat ${inputs.world_input}/world.txt`,
});

export const helloPipelineIo = pipeline({ name: "hello_pipeline_io", displayName: "hello_pipeline_io" }, () => {
  const helloJob = hello({}, { compute: "azureml:cpu-cluster" });
  world({ world_input: helloJob.outputs.world_output }, { compute: "azureml:cpu-cluster" });
});

export const job = helloPipelineIo.job();
