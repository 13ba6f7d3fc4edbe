// cli/jobs/pipelines-with-components/pipeline_with_pipeline_component/
// pipeline_with_train_eval_pipeline_component: a train-score-eval pipeline used twice as a
// pipeline component, then the better of the two models picked.
import { command, Input, Output, pipeline, uriFolder } from "@pipewright/dsl";

const environment = "azureml://registries/azureml/environments/sklearn-1.5/labels/latest";

const trainModel = command({
  name: "train_model",
  displayName: "Train Model",
  description: "A dummy training component",
  inputs: {
    training_data: Input.uriFolder(),
    max_epochs: Input.integer(),
    learning_rate: Input.number({ default: 0.01 }),
    learning_rate_schedule: Input.string({ default: "time-based" }),
  },
  outputs: { model_output: Output.uriFolder() },
  code: "./components/train",
  environment,
  command: ({ inputs, outputs }) =>
    `python train.py --training_data ${inputs.training_data} --max_epochs ${inputs.max_epochs} ` +
    `--learning_rate ${inputs.learning_rate} --learning_rate_schedule ${inputs.learning_rate_schedule} ` +
    `--model_output ${outputs.model_output}`,
});

const scoreData = command({
  name: "score_data",
  displayName: "Score Data",
  description: "A dummy scoring component",
  inputs: { model_input: Input.uriFolder(), test_data: Input.uriFolder() },
  outputs: { score_output: Output.uriFolder() },
  code: "./components/score",
  environment,
  command: ({ inputs, outputs }) =>
    `python score.py --model_input ${inputs.model_input} --test_data ${inputs.test_data} --score_output ${outputs.score_output}`,
});

const evalModel = command({
  name: "eval_model",
  displayName: "Eval Model",
  description: "A dummy evaluate component",
  inputs: { scoring_result: Input.uriFolder() },
  outputs: { eval_output: Output.uriFolder() },
  code: "./components/eval",
  environment,
  command: ({ inputs, outputs }) =>
    `python eval.py --scoring_result ${inputs.scoring_result} --eval_output ${outputs.eval_output}`,
});

const compareModels = command({
  name: "compare_2_models",
  displayName: "Compare 2 Models",
  description: "A dummy comparison module takes two models as input and outputs the better one",
  inputs: {
    model1: Input.uriFolder(),
    eval_result1: Input.uriFolder(),
    model2: Input.uriFolder(),
    eval_result2: Input.uriFolder(),
  },
  outputs: { best_model: Output.uriFolder(), best_result: Output.uriFolder() },
  code: "./components/compare2",
  environment,
  command: ({ inputs, outputs }) =>
    `python compare2.py --model1 ${inputs.model1} --eval_result1 ${inputs.eval_result1} ` +
    `--model2 ${inputs.model2} --eval_result2 ${inputs.eval_result2} ` +
    `--best_model ${outputs.best_model} --best_result ${outputs.best_result}`,
});

export const trainPipelineComponent = pipeline(
  {
    name: "train_pipeline_component",
    displayName: "train_pipeline_component",
    description: "Dummy train-score-eval pipeline component with local components",
    inputs: {
      training_data: Input.uriFolder(),
      test_data: Input.uriFolder(),
      training_max_epochs: Input.integer(),
      training_learning_rate: Input.number(),
      learning_rate_schedule: Input.string({ default: "time-based" }),
      // Compute promoted to an input: nodes take it as `${{parent.inputs.train_node_compute}}`.
      train_node_compute: Input.string(),
    },
    outputs: { trained_model: Output.uriFolder(), evaluation_report: Output.uriFolder() },
  },
  (inputs) => {
    const trainJob = trainModel(
      {
        training_data: inputs.training_data,
        max_epochs: inputs.training_max_epochs,
        learning_rate: inputs.training_learning_rate,
        learning_rate_schedule: inputs.learning_rate_schedule,
      },
      { name: "train_job", compute: "${{parent.inputs.train_node_compute}}" },
    );
    const scoreJob = scoreData(
      { model_input: trainJob.outputs.model_output, test_data: inputs.test_data },
      { name: "score_job", outputs: { score_output: { mode: "upload" } } },
    );
    const evaluateJob = evalModel({ scoring_result: scoreJob.outputs.score_output }, { name: "evaluate_job" });
    return { trained_model: trainJob.outputs.model_output, evaluation_report: evaluateJob.outputs.eval_output };
  },
);

export const selectBestModel = pipeline(
  {
    name: "pipeline_with_pipeline_component",
    displayName: "pipeline_with_pipeline_component",
    experimentName: "pipeline_with_pipeline_component",
    description: "Select best model trained with different learning rate",
    inputs: {
      pipeline_job_training_data: Input.uriFolder(),
      pipeline_job_test_data: Input.uriFolder(),
      pipeline_job_training_learning_rate1: Input.number(),
      pipeline_job_training_learning_rate2: Input.number(),
      compute_train_node: Input.string(),
      compute_compare_node: Input.string(),
    },
    outputs: { pipeline_job_best_model: Output.uriFolder(), pipeline_job_best_result: Output.uriFolder() },
    settings: {
      defaultDatastore: "azureml:workspaceblobstore",
      defaultCompute: "azureml:cpu-cluster",
      continueOnStepFailure: false,
    },
  },
  (inputs) => {
    const model1 = trainPipelineComponent(
      {
        training_data: inputs.pipeline_job_training_data,
        test_data: inputs.pipeline_job_test_data,
        training_max_epochs: 20,
        training_learning_rate: inputs.pipeline_job_training_learning_rate1,
        train_node_compute: inputs.compute_train_node,
      },
      { name: "train_and_evaluate_model1" },
    );
    const model2 = trainPipelineComponent(
      {
        training_data: inputs.pipeline_job_training_data,
        test_data: inputs.pipeline_job_test_data,
        training_max_epochs: 20,
        training_learning_rate: inputs.pipeline_job_training_learning_rate2,
        train_node_compute: inputs.compute_train_node,
      },
      { name: "train_and_evaluate_model2" },
    );
    const compare = compareModels(
      {
        model1: model1.outputs.trained_model,
        eval_result1: model1.outputs.evaluation_report,
        model2: model2.outputs.trained_model,
        eval_result2: model2.outputs.evaluation_report,
      },
      { name: "compare", compute: "${{parent.inputs.compute_compare_node}}" },
    );
    return { pipeline_job_best_model: compare.outputs.best_model, pipeline_job_best_result: compare.outputs.best_result };
  },
);

export const job = selectBestModel.job(
  {
    pipeline_job_training_data: uriFolder("./data"),
    pipeline_job_test_data: uriFolder("./data"),
    pipeline_job_training_learning_rate1: 0.1,
    pipeline_job_training_learning_rate2: 0.01,
    compute_train_node: "cpu-cluster",
    compute_compare_node: "cpu-cluster",
  },
  { outputs: { pipeline_job_best_model: { mode: "upload" }, pipeline_job_best_result: { mode: "upload" } } },
);
