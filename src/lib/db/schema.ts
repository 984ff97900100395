import type { DBSchema } from 'idb';
import type {
  DatasetRecord,
  ExperimentRecord,
  GenerationRecord,
  SampleRow,
  ServerRecord,
  UnitRecord,
} from './records';

/**
 * The thinkbench IndexedDB schema, as of the latest migration (see migrations.ts for the
 * version each store appeared in).
 */
export interface ThinkbenchSchema extends DBSchema {
  datasets: { key: string; value: DatasetRecord };
  experiments: { key: string; value: ExperimentRecord };
  /** A finished unit (one strategy on one question); written in one transaction with its run's counters. */
  units: { key: [string, string]; value: UnitRecord; indexes: { 'by-experiment': string } };
  /** Generated samples by request identity; shared by every experiment. */
  generations: { key: string; value: GenerationRecord; indexes: { 'by-model': string } };
  /** Every sample as it finished, including those of a unit that is not done yet. */
  samples: { key: [string, string, number]; value: SampleRow; indexes: { 'by-experiment': string } };
  /** Servers whose API key the user asked to remember. */
  servers: { key: string; value: ServerRecord };
}
