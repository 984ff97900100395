import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SERVED_MODELS_FILE } from '../../src/lib/models/local-models';

export { SERVED_MODELS_FILE };

/**
 * The models the app itself serves: every `<owner>/<name>/` under public/models/ holding a
 * config.json (the embedded model, anything `thinkbench pull` wrote). Listed at build time into
 * models/served.json so the Models page asks the server only about models it really has,
 * instead of probing each catalog id's config.json and logging a 404 for each.
 */
function dirs(path: string): string[] {
  return readdirSync(path).filter((name) => statSync(join(path, name)).isDirectory());
}

export function listServedModels(modelsDir: string): string[] {
  if (!existsSync(modelsDir)) return [];
  const ids: string[] = [];
  for (const owner of dirs(modelsDir)) {
    for (const name of dirs(join(modelsDir, owner))) {
      if (existsSync(join(modelsDir, owner, name, 'config.json'))) ids.push(`${owner}/${name}`);
    }
  }
  return ids.sort();
}

export function servedModelsJson(modelsDir: string): string {
  return `${JSON.stringify({ models: listServedModels(modelsDir) })}\n`;
}
