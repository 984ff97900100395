/**
 * Two tabs of one browser sharing thinkbench's IndexedDB: a tab whose database another tab
 * upgrades, a tab that opens after a newer version did, and a tab whose upgrade an older tab
 * blocks all show a notice with a way forward — never an empty "No experiments yet" page over an
 * uncaught rejection. The "other tab" is a plain page of the same origin holding a connection.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, openApp, startAppServer } from './harness';
import type { StaticServer } from './static-server';

let server: StaticServer;

before(async () => {
  server = await startAppServer();
});
after(async () => {
  await server.close();
});

/** A same-origin page that is not the app (the server's 404 page is enough for IndexedDB). */
async function otherTab(page: Page): Promise<void> {
  await page.goto(`${server.origin}/not-the-app`);
}

function notice(page: Page, kind: string) {
  return page.locator(`[data-database-notice="${kind}"]`);
}

describe('thinkbench open in two tabs', () => {
  it('a tab whose database is upgraded elsewhere, and a tab opened afterwards, say so and offer a reload', async () => {
    const session = await launchBrowser();
    try {
      const app = session.page;
      await openApp(app, server.origin, '#/results');
      await app.getByText('No experiments yet').waitFor();
      const other = await session.context.newPage();
      await otherTab(other);
      // A newer thinkbench in the other tab: open one version above the current one, and hold it.
      await other.evaluate(
        () =>
          new Promise<void>((resolve, reject) => {
            const probe = indexedDB.open('thinkbench');
            probe.onsuccess = () => {
              const version = probe.result.version;
              probe.result.close();
              const upgrade = indexedDB.open('thinkbench', version + 1);
              upgrade.onsuccess = () => {
                (globalThis as unknown as { held: IDBDatabase }).held = upgrade.result;
                resolve();
              };
              upgrade.onerror = () => reject(upgrade.error);
            };
            probe.onerror = () => reject(probe.error);
          }),
      );
      await notice(app, 'upgraded-elsewhere').waitFor({ timeout: 10_000 });
      assert.match((await notice(app, 'upgraded-elsewhere').textContent()) ?? '', /updated in another tab/);
      assert.equal(await app.getByRole('button', { name: 'Reload this tab' }).count(), 1);

      // This tab's code is older than the stored database now: reloading it cannot open it.
      await app.reload();
      await notice(app, 'newer-version').waitFor({ timeout: 10_000 });
      for (const hash of ['#/results', '#/experiments', '#/datasets']) {
        await openApp(app, server.origin, hash);
        await notice(app, 'newer-version').waitFor({ timeout: 10_000 });
        assert.equal(await app.getByText('No experiments yet').count(), 0, hash);
        assert.equal(await app.getByText('No datasets yet').count(), 0, hash);
      }
      assert.deepEqual(
        session.consoleErrors.filter((line) => /pageerror|Uncaught/.test(line)),
        [],
      );
    } finally {
      await session.close();
    }
  });

  it('a tab whose upgrade an older tab blocks says to close it, and carries on once it closes', async () => {
    const session = await launchBrowser();
    try {
      const other = session.page;
      await otherTab(other);
      // An older thinkbench (database version 1, the v1 stores) that ignores versionchange.
      await other.evaluate(
        () =>
          new Promise<void>((resolve, reject) => {
            const request = indexedDB.open('thinkbench', 1);
            request.onupgradeneeded = () => {
              const db = request.result;
              db.createObjectStore('datasets', { keyPath: 'id' });
              db.createObjectStore('experiments', { keyPath: 'id' });
              db.createObjectStore('units', { keyPath: ['experimentId', 'unitId'] }).createIndex('by-experiment', 'experimentId');
            };
            request.onsuccess = () => {
              (globalThis as unknown as { held: IDBDatabase }).held = request.result;
              resolve();
            };
            request.onerror = () => reject(request.error);
          }),
      );
      const app = await session.context.newPage();
      await openApp(app, server.origin, '#/results');
      await notice(app, 'blocked').waitFor({ timeout: 10_000 });
      assert.match((await notice(app, 'blocked').textContent()) ?? '', /Close \(or reload\) the other thinkbench tabs/);
      assert.equal(await app.getByText('No experiments yet').count(), 0);

      await other.evaluate(() => (globalThis as unknown as { held: IDBDatabase }).held.close());
      await notice(app, 'blocked').waitFor({ state: 'detached', timeout: 10_000 });
      await app.getByText('No experiments yet').waitFor({ timeout: 10_000 });
    } finally {
      await session.close();
    }
  });
});
