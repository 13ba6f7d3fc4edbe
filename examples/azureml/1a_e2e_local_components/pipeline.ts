// cli/jobs/pipelines-with-components/basics/1a_e2e_local_components: train, score and evaluate
// with three local command components.
import { command, Input, Output, pipeline, uriFolder } from "@pipewright/dsl";

const environment = "azureml://registries/azureml/environments/sklearn-1.5/labels/latest";

export const train = command({
  name: "train",
  displayName: "Train",
  version: 10,
  inputs: {
    training_data: Input.uriFolder(),
    max_epocs: Input.integer(),
    learning_rate: Input.number({ default: 0.01 }),
    learning_rate_schedule: Input.string({ default: "time-based" }),
  },
  outputs: { model_output: Output.uriFolder() },
  code: "./train_src",
  environment,
  command: ({ inputs, outputs }) =>
    `python train.py --training_data ${inputs.training_data} --max_epocs ${inputs.max_epocs} ` +
    `--learning_rate ${inputs.learning_rate} --learning_rate_schedule ${inputs.learning_rate_schedule} ` +
    `--model_output ${outputs.model_output}`,
});

export const score = command({
  name: "score",
  displayName: "Score",
  version: 10,
  inputs: { model_input: Input.uriFolder(), test_data: Input.uriFolder() },
  outputs: { score_output: Output.uriFolder() },
  code: "./score_src",
  environment,
  command: ({ inputs, outputs }) =>
    `python score.py --model_input ${inputs.model_input} --test_data ${inputs.test_data} --score_output ${outputs.score_output}`,
});

export const evaluate = command({
  name: "eval",
  displayName: "Eval",
  version: 10,
  inputs: { scoring_result: Input.uriFolder() },
  outputs: { eval_output: Output.uriFolder() },
  code: "./eval_src",
  environment,
  command: ({ inputs, outputs }) =>
    `python eval.py --scoring_result ${inputs.scoring_result} --eval_output ${outputs.eval_output}`,
});

const compute = "azureml:cpu-cluster";

export const trainScoreEval = pipeline(
  {
    name: "e2e_local_components",
    displayName: "1a_e2e_local_components",
    description: "Dummy train-score-eval pipeline with local components",
    inputs: {
      pipeline_job_training_max_epocs: Input.integer(),
      pipeline_job_training_learning_rate: Input.number(),
      pipeline_job_learning_rate_schedule: Input.string(),
    },
    outputs: { pipeline_job_trained_model: Output.uriFolder(), pipeline_job_evaluation_report: Output.uriFolder() },
  },
  (inputs) => {
    const trained = train(
      {
        training_data: uriFolder("./data"),
        max_epocs: inputs.pipeline_job_training_max_epocs,
        learning_rate: inputs.pipeline_job_training_learning_rate,
        learning_rate_schedule: inputs.pipeline_job_learning_rate_schedule,
      },
      { name: "train_job", compute },
    );
    const scored = score(
      { model_input: trained.outputs.model_output, test_data: uriFolder("./data") },
      { name: "score_job", compute, outputs: { score_output: { mode: "upload" } } },
    );
    const evaluated = evaluate({ scoring_result: scored.outputs.score_output }, { name: "evaluate_job", compute });
    return {
      pipeline_job_trained_model: trained.outputs.model_output,
      pipeline_job_evaluation_report: evaluated.outputs.eval_output,
    };
  },
);

export const job = trainScoreEval.job(
  {
    pipeline_job_training_max_epocs: 20,
    pipeline_job_training_learning_rate: 1.8,
    pipeline_job_learning_rate_schedule: "time-based",
  },
  { outputs: { pipeline_job_trained_model: { mode: "upload" }, pipeline_job_evaluation_report: { mode: "upload" } } },
);
