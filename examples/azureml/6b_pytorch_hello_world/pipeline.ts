// cli/jobs/pipelines-with-components/basics/6b_pytorch_hello_world: a distributed PyTorch step.
import { command, pipeline } from "@pipewright/dsl";

const pyTorchHelloWorld = command({
  name: "py_torch_hello_world",
  displayName: "PyTorch-hello-world",
  description: "Prints the environment variables useful for scripts running in a PyTorch training environment.",
  version: 1,
  environment: "azureml://registries/azureml/environments/acpt-pytorch-2.8-cuda12.6/labels/latest",
  // The text the corpus's folded (`>-`) command reads as: `\n` are literal backslash-n for echo.
  command:
    'echo " RANK: $RANK \\n LOCAL_RANK: $LOCAL_RANK \\n NODE_RANK: $NODE_RANK \\n MASTER_ADDR: $MASTER_ADDR \\n MASTER_PORT: $MASTER_PORT \\n"',
  resources: { instanceCount: 2 },
  distribution: { type: "pytorch", processCountPerInstance: 2 },
});

export const pytorchPipeline = pipeline(
  {
    name: "pytorch_hello_world",
    displayName: "6b_pytorch_hello_world",
    description: "Prints the environment variables useful for scripts running in a PyTorch training environment",
  },
  () => {
    pyTorchHelloWorld(
      {},
      {
        name: "pytorch_job",
        compute: "azureml:gpu-cluster",
        resources: { instanceCount: 2 },
        distribution: { type: "pytorch", processCountPerInstance: 2 },
      },
    );
  },
);

export const job = pytorchPipeline.job();
