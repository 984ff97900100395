/** Layout checks for end-to-end tests: is every cell inside its card, and is anything scrolled out of view? */
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';

/** Cells (or any elements) whose right edge is past `container`'s or the viewport's. */
export async function outside(container: Locator, viewportWidth: number, cells: Locator): Promise<string[]> {
  const box = await container.boundingBox();
  assert.ok(box, 'the container is laid out');
  const right = Math.min(box.x + box.width, viewportWidth);
  const out: string[] = [];
  for (const cell of await cells.all()) {
    const cellBox = await cell.boundingBox();
    assert.ok(cellBox, 'the cell is laid out');
    if (cellBox.x + cellBox.width > right + 0.5) out.push(`${((await cell.textContent()) ?? '').trim()} ends at ${Math.round(cellBox.x + cellBox.width)} > ${Math.round(right)}`);
  }
  return out;
}

/** How far any ancestor of `table`, the page included, could scroll sideways: 0 when every column is in view. */
export async function hiddenSideways(table: Locator): Promise<number> {
  return table.evaluate((element) => {
    let hidden = 0;
    for (let node: HTMLElement | null = element.parentElement; node; node = node.parentElement) {
      hidden = Math.max(hidden, node.scrollWidth - node.clientWidth);
    }
    return hidden;
  });
}

