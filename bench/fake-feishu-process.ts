/** The bench's fake Feishu in a process of its own, so its clock sees calls as Feishu would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Starts bench/fake-feishu-main.ts with `env` added and resolves with the URL it prints. */
export function startFakeFeishuProcess(env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess }> {
  const script = fileURLToPath(new URL('./fake-feishu-main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /FAKE (\S+)/.exec(out);
      if (m) resolve({ url: m[1]!, child });
    });
    child.once('exit', (code) => reject(new Error(`fake feishu exited ${code}`)));
  });
}
