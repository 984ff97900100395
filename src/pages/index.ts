/**
 * The app's pages, in navigation order: one line each. The id is the URL hash (`#/playground`).
 */
import type { Component } from 'svelte';
import Playground from './Playground.svelte';
import Models from './Models.svelte';
import Datasets from './Datasets.svelte';
import Experiments from './Experiments.svelte';
import Results from './Results.svelte';

export interface PageEntry {
  label: string;
  component: Component;
}

export const pages = {
  playground: { label: 'Playground', component: Playground },
  models: { label: 'Models', component: Models },
  datasets: { label: 'Datasets', component: Datasets },
  experiments: { label: 'Experiments', component: Experiments },
  results: { label: 'Results', component: Results },
} satisfies Record<string, PageEntry>;

export type PageId = keyof typeof pages;

export const defaultPageId: PageId = 'playground';

export function pageIdFromHash(hash: string): PageId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/, 1)[0] ?? '';
  return id in pages ? (id as PageId) : defaultPageId;
}
