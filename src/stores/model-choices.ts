/**
 * The models the Playground and Experiments pickers offer: the catalog's (the embedded model
 * first) and the hub ids added by hand on the Models page, plus any other model folder served
 * under /models/, named by id.
 */
import { CATALOG, EMBEDDED_MODEL_ID, type CatalogEntry } from '../lib/models/catalog';
import { MODEL_DTYPES } from '../lib/models/dtype';
import { THINK_TAGS } from '../lib/formats/reasoning-format';
import { modelsStore } from './models.svelte';

/** What a picker needs to know about a model. */
export type ModelChoice = Pick<CatalogEntry, 'id' | 'label' | 'dtypes' | 'reasoning' | 'skills'>;

/** Reactive where it is read in a component or `$derived`: adding a hub id updates the pickers. */
export function modelChoices(): readonly ModelChoice[] {
  return modelsStore.entries;
}

/** Offline and not downloaded: a picker shows the model disabled, with this note (reactive). */
export function offlineNote(id: string): string | null {
  return modelsStore.unavailableOffline(id) ? 'not downloaded (offline mode)' : null;
}

/** Learns which listed models are served or cached, so pickers can mark the ones that are not. */
export function checkModelAvailability(): Promise<void> {
  return modelsStore.refresh();
}

/** The listed model with this id, else a model folder under /models/. */
export function modelChoice(id: string): ModelChoice {
  return modelChoices().find((choice) => choice.id === id) ?? localModelChoice(id);
}

function embedded(): ModelChoice {
  const entry = CATALOG.find((candidate) => candidate.id === EMBEDDED_MODEL_ID);
  if (!entry) throw new Error(`the catalog has no entry for the embedded model ${EMBEDDED_MODEL_ID}`);
  return entry;
}

export const EMBEDDED_MODEL: ModelChoice = embedded();

/**
 * A model folder under /models/ that the catalog does not know: every dtype may be tried, and
 * think tags are assumed (the chat template decides what the model actually sees).
 */
export function localModelChoice(id: string): ModelChoice {
  return { id, label: `${id} (local)`, dtypes: MODEL_DTYPES, reasoning: THINK_TAGS };
}
