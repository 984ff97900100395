/**
 * Screenshots of the Playground, the Experiments page and the Models page's settings in headless Chromium, for checking
 * the look by eye (not a test): `npx tsx tests/e2e/screenshots.ts [out dir]` after a build.
 */
import { launchBrowser, openApp, startAppServer } from './harness';

const outDir = process.argv[2] ?? 'screenshots';
const server = await startAppServer();
const session = await launchBrowser();
try {
  const { page } = session;
  await openApp(page, server.origin, '#/datasets');
  await page.getByLabel('Questions', { exact: true }).fill('20');
  await page.getByRole('button', { name: 'Generate dataset' }).click();
  await page.getByRole('cell', { name: /built-in arithmetic/ }).first().waitFor();
  await openApp(page, server.origin, '#/playground');
  await page.getByTestId('device-reason').waitFor();
  await page.screenshot({ path: `${outDir}/playground.png`, fullPage: true });
  await openApp(page, server.origin, '#/experiments');
  await page.getByTestId('matrix-preview').getByText('units').waitFor();
  await page.screenshot({ path: `${outDir}/experiments.png`, fullPage: true });
  await openApp(page, server.origin, '#/models');
  await page.getByRole('region', { name: 'Hub settings' }).waitFor();
  await page.screenshot({ path: `${outDir}/models.png`, fullPage: true });
  console.log(`wrote playground.png, experiments.png and models.png to ${outDir}`);
} finally {
  await session.close();
  await server.close();
}
