#!/usr/bin/env node
// The `thinkbench` command. The CLI is TypeScript shared with the app; tsx (a runtime
// dependency) compiles it on the fly, so `npx thinkbench …` works right after `npm install`.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('../cli/main.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2));
