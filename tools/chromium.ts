/**
 * Debian's Chromium, headless, on software WebGL (SwiftShader), with a fresh profile and no background
 * traffic: shared by the browser tests and the benchmarks so both measure the same browser.
 */
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless=new', '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
];

export function launchChromium(): Promise<Browser> {
  // playwright's launch() gives every browser a new temporary profile.
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
}
