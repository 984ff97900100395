/**
 * The app's one inference client, created on first use (so importing a store starts no worker).
 * Stores use it; components never do.
 */
import { createWorkerClient, type InferenceClient } from '../client/inference-client';

let client: InferenceClient | null = null;

export function inferenceClient(): InferenceClient {
  client ??= createWorkerClient();
  return client;
}
