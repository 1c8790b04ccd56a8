// The badge painter puts badgeFor's drawing on the tab (badge.test.ts tests the drawing itself).
import { describe, expect, it } from 'vitest';
import { BadgePainter } from '../../src/extension/background/badge-painter.js';
import type { BadgeDetails } from '../../src/extension/browser-api.js';
import { BADGE_COLOURS, badgeFor } from '../../src/extension/shared/badge.js';
import type { TabView } from '../../src/extension/shared/tab-view.js';
import { sampleResult } from './sample-results.js';

const site = { host: 'example.com', port: 443 };
const good: TabView = {
  state: 'result',
  site,
  result: sampleResult('stapled-good'),
  fromCache: false,
  expiresAt: null,
};

describe('BadgePainter', () => {
  it('paints the tab with badgeFor’s text, colours and title', async () => {
    const painted: [number, BadgeDetails][] = [];
    const painter = new BadgePainter((tabId, badge) => Promise.resolve(void painted.push([tabId, badge])));
    await painter.paint(7, good);
    const spec = badgeFor(good);
    expect(painted).toEqual([
      [7, { text: 'OK', background: BADGE_COLOURS.green.background, textColour: spec.textColour, title: spec.title }],
    ]);
  });

  it('repaint puts a known view back, does nothing for an unknown tab, and never fails', async () => {
    const painted: number[] = [];
    let failing = false;
    const painter = new BadgePainter((tabId) => {
      if (failing) return Promise.reject(new Error('No tab with id: 7'));
      painted.push(tabId);
      return Promise.resolve();
    });
    await painter.repaint(7, good);
    await painter.repaint(8, undefined);
    expect(painted).toEqual([7]);
    failing = true;
    await expect(painter.repaint(7, good)).resolves.toBeUndefined();
    await expect(painter.paint(7, good)).rejects.toThrow(/No tab/);
  });
});
