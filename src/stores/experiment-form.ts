/**
 * The Experiments form as stored across reloads: the values a user set up (model, weights,
 * dataset slice, strategies) survive a reload or a closed tab, as the runs themselves do.
 */
import type { Dtype } from '../client/engine-types';
import { isModelDtype } from '../lib/models/dtype';
import { fieldsOf, numberField, readStored, stringField, stringListField, writeStored } from './persisted';

export const EXPERIMENT_FORM_KEY = 'thinkbench.experiment-form';

export interface ExperimentFormState {
  name: string;
  modelId: string;
  dtypeChoice: Dtype | 'auto';
  datasetId: string;
  n: number;
  seed: number;
  maxNewTokens: number;
  strategies: string[];
}

/** Parses stored form state; each unreadable field falls back to its default. */
export function parseExperimentForm(stored: unknown, defaults: ExperimentFormState): ExperimentFormState {
  const fields = fieldsOf(stored);
  const dtype = fields.dtypeChoice;
  return {
    name: stringField(fields, 'name', defaults.name),
    modelId: stringField(fields, 'modelId', defaults.modelId) || defaults.modelId,
    dtypeChoice: dtype === 'auto' || (typeof dtype === 'string' && isModelDtype(dtype)) ? dtype : defaults.dtypeChoice,
    datasetId: stringField(fields, 'datasetId', defaults.datasetId),
    n: Math.floor(numberField(fields, 'n', defaults.n, 1)),
    seed: Math.floor(numberField(fields, 'seed', defaults.seed, 0)),
    maxNewTokens: Math.floor(numberField(fields, 'maxNewTokens', defaults.maxNewTokens, 1)),
    strategies: stringListField(fields, 'strategies', defaults.strategies),
  };
}

export function loadExperimentForm(defaults: ExperimentFormState): ExperimentFormState {
  return parseExperimentForm(readStored(EXPERIMENT_FORM_KEY), defaults);
}

export function saveExperimentForm(state: ExperimentFormState): void {
  writeStored(EXPERIMENT_FORM_KEY, state);
}
