/** Runs the fake Feishu in its own process (the reply-burst bench); prints `FAKE <url>`. */
import { startFakeFeishu } from './fake-feishu.js';

const fake = await startFakeFeishu();
process.stdout.write(`FAKE ${fake.url}\n`);
process.once('SIGTERM', () => void fake.close().then(() => process.exit(0)));
