// cli/jobs/pipelines-with-components/nyc_taxi_data_regression (pipeline.yml): prepare, transform,
// train, predict and score a regression model on the NYC taxi data.
import { command, Input, Output, pipeline, uriFolder } from "@pipewright/dsl";

const environment = "azureml://registries/azureml/environments/sklearn-1.5/labels/latest";

const prep = command({
  name: "prep_taxi_data",
  displayName: "PrepTaxiData",
  version: 1,
  inputs: { raw_data: Input.uriFolder() },
  outputs: { prep_data: Output.uriFolder() },
  code: "./prep_src",
  environment,
  command: ({ inputs, outputs }) => `python prep.py --raw_data ${inputs.raw_data} --prep_data ${outputs.prep_data}`,
});

const transform = command({
  name: "taxi_feature_engineering",
  displayName: "TaxiFeatureEngineering",
  version: 1,
  inputs: { clean_data: Input.uriFolder() },
  outputs: { transformed_data: Output.uriFolder() },
  code: "./transform_src",
  environment,
  command: ({ inputs, outputs }) =>
    `python transform.py --clean_data ${inputs.clean_data} --transformed_data ${outputs.transformed_data}`,
});

const train = command({
  name: "train_linear_regression_model",
  displayName: "TrainLinearRegressionModel",
  version: 1,
  inputs: { training_data: Input.uriFolder(), test_split_ratio: Input.number({ min: 0, max: 1, default: 0.2 }) },
  outputs: { model_output: Output.mlflowModel(), test_data: Output.uriFolder() },
  code: "./train_src",
  environment,
  command: ({ inputs, outputs }) =>
    `python train.py --training_data ${inputs.training_data} --test_data ${outputs.test_data} ` +
    `--model_output ${outputs.model_output} --test_split_ratio ${inputs.test_split_ratio}`,
});

const predict = command({
  name: "predict_taxi_fares",
  displayName: "PredictTaxiFares",
  version: 1,
  inputs: { model_input: Input.mlflowModel(), test_data: Input.uriFolder() },
  outputs: { predictions: Output.uriFolder() },
  code: "./predict_src",
  environment,
  command: ({ inputs, outputs }) =>
    `python predict.py --model_input ${inputs.model_input} --test_data ${inputs.test_data} --predictions ${outputs.predictions}`,
});

const score = command({
  name: "score_model",
  displayName: "ScoreModel",
  version: 1,
  inputs: { predictions: Input.uriFolder(), model: Input.mlflowModel() },
  outputs: { score_report: Output.uriFolder() },
  code: "./score_src",
  environment,
  command: ({ inputs, outputs }) =>
    `python score.py --predictions ${inputs.predictions} --model ${inputs.model} --score_report ${outputs.score_report}`,
});

export const nycTaxi = pipeline(
  {
    name: "nyc_taxi_data_regression",
    displayName: "nyc_taxi_data_regression",
    description: "Train regression model based on nyc taxi dataset",
    outputs: {
      pipeline_job_trained_model: Output.mlflowModel(),
      pipeline_job_predictions: Output.uriFolder(),
      pipeline_job_score_report: Output.uriFolder(),
    },
    settings: {
      defaultDatastore: "azureml:workspaceblobstore",
      defaultCompute: "azureml:cpu-cluster",
      continueOnStepFailure: false,
    },
  },
  () => {
    // Local data: Azure uploads it as an anonymous data asset.
    const prepJob = prep({ raw_data: uriFolder("./data") }, { name: "prep_job", outputs: { prep_data: {} } });
    const transformJob = transform(
      { clean_data: prepJob.outputs.prep_data },
      { name: "transform_job", outputs: { transformed_data: {} } },
    );
    const trainJob = train(
      { training_data: transformJob.outputs.transformed_data },
      { name: "train_job", outputs: { test_data: {} } },
    );
    const predictJob = predict(
      { model_input: trainJob.outputs.model_output, test_data: trainJob.outputs.test_data },
      { name: "predict_job" },
    );
    const scoreJob = score(
      { predictions: predictJob.outputs.predictions, model: trainJob.outputs.model_output },
      { name: "score_job" },
    );
    return {
      pipeline_job_trained_model: trainJob.outputs.model_output,
      pipeline_job_predictions: predictJob.outputs.predictions,
      pipeline_job_score_report: scoreJob.outputs.score_report,
    };
  },
);

export const job = nycTaxi.job(
  {},
  {
    outputs: {
      pipeline_job_trained_model: { mode: "rw_mount" },
      pipeline_job_predictions: { mode: "rw_mount" },
      pipeline_job_score_report: { mode: "rw_mount" },
    },
  },
);
