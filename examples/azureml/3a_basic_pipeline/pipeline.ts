// cli/jobs/pipelines-with-components/basics/3a_basic_pipeline: three hello-world components.
import { command, pipeline } from "@pipewright/dsl";

function helloComponent(letter: "A" | "B" | "C") {
  return command({
    name: `component_${letter.toLowerCase()}`,
    displayName: `component${letter}`,
    version: 1,
    code: `./component${letter}_src`,
    environment: { image: "docker.io/python" },
    command: "python hello.py",
  });
}

const componentA = helloComponent("A");
const componentB = helloComponent("B");
const componentC = helloComponent("C");

export const basicPipeline = pipeline(
  {
    name: "basic_pipeline",
    displayName: "3a_basic_pipeline",
    description: "Basic Pipeline Job with 3 Hello World components",
    // The corpus file also sets `default_datestore` (sic): a typo Azure ignores, not repeated here.
    settings: { defaultCompute: "azureml:cpu-cluster" },
  },
  () => {
    componentA({}, { timeout: 3600 });
    componentB();
    componentC();
  },
);

export const job = basicPipeline.job();
