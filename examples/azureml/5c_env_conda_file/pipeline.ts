// cli/jobs/pipelines-with-components/basics/5c_env_conda_file: an environment built from an
// image plus a conda file.
import { command, pipeline } from "@pipewright/dsl";

const helloPythonWorld = command({
  name: "hello_python_world",
  displayName: "Hello_Python_World",
  version: 1,
  code: "./src",
  environment: {
    condaFile: "./conda.yaml",
    image: "mcr.microsoft.com/azureml/openmpi5.0-cuda12.4-ubuntu22.04:latest",
  },
  command: "python hello.py",
});

export const condaPipeline = pipeline(
  {
    name: "env_conda_file",
    displayName: "5c_env_conda_file",
    description: "Pipeline job with component using environment defined by a conda file",
  },
  () => {
    helloPythonWorld({}, { name: "hello_python_world_job", compute: "azureml:cpu-cluster" });
  },
);

export const job = condaPipeline.job();
