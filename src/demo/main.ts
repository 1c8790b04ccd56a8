// `npm start`: show a real verdict with no internet (demo sites on loopback, minted on the spot),
// register the native-messaging host for the browsers found, and say how to load the extension.
// `--serve` keeps the demo sites up for browsing with the extension until Ctrl-C.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processIo } from '../io/terminal-io.js';
import { renderText } from '../cli/render-text.js';
import { runInstallerCommand } from '../installer/command.js';
import { checkSite } from '../probe/check-site.js';
import { CHROMIUM_EXTENSION_ID } from '../protocol/extension-ids.js';
import { startDemoSites } from './demo-sites.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

async function main(): Promise<void> {
  const io = processIo();
  const serve = process.argv.includes('--serve');
  const colour = io.isTTY && !io.env.NO_COLOR;
  io.stdout('Staple Check demo: starting HTTPS sites on 127.0.0.1 with a demo CA minted just now…\n\n');
  const demo = await startDemoSites();
  let worst = 0;
  for (const site of demo.sites) {
    const result = await checkSite({
      host: 'localhost',
      address: '127.0.0.1',
      port: site.port,
      ca: demo.rootPem,
      timeoutMs: site.name === 'good' || site.name === 'revoked' ? 10_000 : 2_500,
    });
    io.stdout(`— demo site "${site.name}" (${site.description}), ${site.url}\n`);
    io.stdout(`${renderText(result, { colour }, new Date())}\n`);
    if (site.name === 'good' && result.verdict !== 'stapled-good') worst = 1;
  }

  io.stdout('Registering the native-messaging host for the browsers found (staplecheck install):\n');
  const installed = await runInstallerCommand('install', [], io);
  io.stdout('\n');
  const chrome = join(ROOT, 'dist', 'chrome');
  const firefox = join(ROOT, 'dist', 'firefox');
  if (existsSync(join(chrome, 'manifest.json'))) {
    io.stdout(
      `Load the extension:\n` +
        `  Chrome / Chromium / Edge / Brave / Vivaldi: open chrome://extensions, turn on Developer mode,\n` +
        `    "Load unpacked" → ${chrome}   (extension ID ${CHROMIUM_EXTENSION_ID})\n` +
        `  Firefox: open about:debugging#/runtime/this-firefox, "Load Temporary Add-on…" → ${join(firefox, 'manifest.json')}\n` +
        `Then browse to any https:// site: the toolbar badge shows its stapling verdict.\n`,
    );
  }
  if (serve) {
    io.stdout(
      `\nThe demo sites stay up until Ctrl-C (the browser must accept the demo CA, or start it with --ignore-certificate-errors):\n`,
    );
    for (const site of demo.sites) io.stdout(`  ${site.url}  ${site.description}\n`);
    await new Promise<void>((resolveWait) => process.once('SIGINT', () => resolveWait()));
  } else {
    io.stdout('\nTo keep the demo sites up for the extension: npm run demo\n');
  }
  await demo.stop();
  process.exitCode = worst !== 0 ? 1 : installed === 3 ? 3 : 0;
}

main().catch((err: unknown) => {
  process.stderr.write(`npm start failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
