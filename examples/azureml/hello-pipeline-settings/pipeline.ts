// cli/jobs/basics/hello-pipeline-settings.yml: pipeline settings give every step its compute
// and datastore.
import { command, pipeline } from "@pipewright/dsl";

const hello = command({
  name: "hello",
  inline: true,
  environment: "azureml://registries/azureml/environments/sklearn-1.5/labels/latest",
  command: 'echo 202204190 & echo "hello"',
});

export const helloPipelineSettings = pipeline(
  {
    name: "hello_pipeline_settings",
    displayName: "hello_pipeline_settings",
    settings: { defaultDatastore: "azureml:workspaceblobstore", defaultCompute: "azureml:cpu-cluster" },
  },
  () => {
    hello({}, { name: "hello_job" });
    hello({}, { name: "world_job" });
  },
);

export const job = helloPipelineSettings.job();
