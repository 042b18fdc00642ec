/**
 * Lighthouse-style metrics of a page, measured offline in Debian's Chromium: first and largest
 * contentful paint, cumulative layout shift, total blocking time (long tasks past 50 ms after the first
 * paint), load, and the requests and bytes a first visit fetches. "Mobile" applies Lighthouse's mobile
 * defaults through the DevTools protocol: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, CPU slowed 4×.
 * Each run uses a fresh context, so nothing comes from a cache.
 */
import type { Browser } from 'playwright-core';

export interface PageMetrics {
  fcp: number;
  lcp: number;
  cls: number;
  tbt: number;
  load: number;
  requests: number;
  transferBytes: number;
}

export type Profile = 'desktop' | 'mobile';

/** Observers set before the page's first byte, read once it has loaded. */
const OBSERVE = `
  window.__metrics = { lcp: 0, cls: 0, longTasks: [] };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__metrics.lcp = entry.startTime;
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__metrics.cls += entry.value;
  }).observe({ type: 'layout-shift', buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__metrics.longTasks.push([entry.startTime, entry.duration]);
  }).observe({ type: 'longtask', buffered: true });
`;

/** Reads the observers and the timings (plain JavaScript: it runs in the page). */
const READ = `(() => {
  const metrics = window.__metrics;
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const fcp = paint ? paint.startTime : 0;
  const navigation = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  const tbt = metrics.longTasks
    .filter(([start]) => start >= fcp)
    .reduce((total, [, duration]) => total + Math.max(0, duration - 50), 0);
  return {
    fcp,
    lcp: metrics.lcp,
    cls: metrics.cls,
    tbt,
    load: navigation.loadEventEnd,
    requests: 1 + resources.length,
    transferBytes: navigation.transferSize + resources.reduce((total, entry) => total + entry.transferSize, 0),
  };
})()`;

export async function measurePage(browser: Browser, url: string, profile: Profile): Promise<PageMetrics> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    if (profile === 'mobile') {
      const session = await context.newCDPSession(page);
      await session.send('Network.enable');
      await session.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 150,
        downloadThroughput: (1.6 * 1024 * 1024) / 8,
        uploadThroughput: (750 * 1024) / 8,
      });
      await session.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    }
    await page.addInitScript(OBSERVE);
    const response = await page.goto(url, { waitUntil: 'load' });
    if (!response?.ok()) throw new Error(`${url} answered ${response?.status()}`);
    // Let late paints and tasks land before reading the observers.
    await page.waitForTimeout(500);
    return (await page.evaluate(READ)) as PageMetrics;
  } finally {
    await context.close();
  }
}
