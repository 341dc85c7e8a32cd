/**
 * Writes `feishu-app.manifest.json` (scopes, events, the card callback and the bot menu
 * for the Feishu developer console) from the API catalogue and the event registry. A test
 * compares the committed file with this output.
 *
 * Usage: npm run manifest
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderAppManifest } from '../src/feishu/app-manifest.js';

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(new URL('../feishu-app.manifest.json', import.meta.url), renderAppManifest());
  process.stdout.write('wrote feishu-app.manifest.json\n');
}
