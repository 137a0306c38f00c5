import type { Item } from './model.js';

/**
 * Every item of a tree in document order (depth-first, parents before children).
 *
 * @see SCORM 2004 4th Ed SN 1.2 (activity tree), CAM 3.4.1.12 (`<item>`)
 */
export function flattenItems(items: readonly Item[]): Item[] {
  const out: Item[] = [];
  const walk = (list: readonly Item[]) => {
    for (const item of list) {
      out.push(item);
      walk(item.children);
    }
  };
  walk(items);
  return out;
}

/**
 * The items a learner can launch (they reference a resource with a launch URL), in document order.
 * The first one is what an LMS opens for a single-SCO course.
 *
 * @see SCORM 2004 4th Ed CAM 3.4.1.12 (identifierref), SCORM 1.2 CAM 2.3.5
 */
export function launchableItems(items: readonly Item[]): Item[] {
  return flattenItems(items).filter((item) => item.launchUrl !== null);
}
