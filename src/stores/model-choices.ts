/**
 * The models the Playground offers: the catalog's (the embedded model first), plus any other
 * model folder served under /models/, named by id.
 */
import { CATALOG, EMBEDDED_MODEL_ID, type CatalogEntry } from '../lib/models/catalog';
import { MODEL_DTYPES } from '../lib/models/dtype';
import { THINK_TAGS } from '../lib/formats/reasoning-format';

/** What the Playground needs to know about a model. */
export type ModelChoice = Pick<CatalogEntry, 'id' | 'label' | 'dtypes' | 'reasoning'>;

export const catalogChoices: readonly ModelChoice[] = CATALOG;

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
