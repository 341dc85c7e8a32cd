/**
 * Runs the fake Feishu in its own process (the reply-burst and reminder-pass benches); prints
 * `FAKE <url>`. `FAKE_ROSTER=<n>:<tag>` gives it `n` synthetic employees (see `roster.ts`).
 */
import { startFakeFeishu } from './fake-feishu.js';
import { syntheticRoster } from './roster.js';

const [count, tag] = (process.env.FAKE_ROSTER ?? '').split(':');
const employees = count ? syntheticRoster(Number(count), tag ?? 'bench', new Date()) : [];
const fake = await startFakeFeishu({ employees });
process.stdout.write(`FAKE ${fake.url}\n`);
process.once('SIGTERM', () => void fake.close().then(() => process.exit(0)));
