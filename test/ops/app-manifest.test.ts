import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAppManifest, renderAppManifest } from '../../src/feishu/app-manifest.js';
import { FEISHU_APIS } from '../../src/feishu/apis.js';
import { createLongConnectionHandlers, HANDLED_EVENT_TYPES } from '../../src/http/long-connection.js';
import { silentLogger } from '../../src/log.js';
import { feishuRequest, messageEvent, VERIFICATION_TOKEN } from '../support/feishu-events.js';
import { buildTestApp, installFeishuMockForServer, recordingSink } from '../support/webhook-app.js';

const ROOT = resolve(import.meta.dirname, '../..');
const mock = installFeishuMockForServer();
const committed = () => JSON.parse(readFileSync(resolve(ROOT, 'feishu-app.manifest.json'), 'utf8')) as ReturnType<typeof buildAppManifest>;

describe('feishu-app.manifest.json', () => {
  it('is exactly what the API catalogue and the event registry generate (run `npm run manifest` after changing them)', () => {
    expect(readFileSync(resolve(ROOT, 'feishu-app.manifest.json'), 'utf8')).toBe(renderAppManifest());
  });

  it('lists every scope of the API catalogue: the one to grant per API, the others as alternatives, nothing else', () => {
    const manifest = committed();
    const eventScopes = manifest.events.flatMap((e) => e.scopes);
    const listed = new Set(manifest.scopes.flatMap((s) => [s.scope, ...s.alternatives]));
    const catalogue = new Set([...Object.values(FEISHU_APIS).flatMap((api) => [...api.scopes]), ...eventScopes]);
    expect([...listed].sort()).toEqual([...catalogue].sort());
    const toGrant = new Set(manifest.scopes.map((s) => s.scope));
    for (const [name, api] of Object.entries(FEISHU_APIS)) {
      if (api.scopes[0]) expect(toGrant.has(api.scopes[0]), `${name} needs ${api.scopes[0]}`).toBe(true);
    }
  });

  it('subscribes exactly the events and callbacks the bot handles, the bot capability on', () => {
    const manifest = committed();
    expect(manifest.app.capabilities).toContain('bot');
    const subscribed = [...manifest.events.map((e) => e.event), ...manifest.callbacks.map((c) => c.callback)];
    expect(subscribed.sort()).toEqual([...HANDLED_EVENT_TYPES].sort());
    expect(manifest.callbacks.map((c) => c.callback)).toEqual(['card.action.trigger']);
    expect(manifest.delivery.webhook).toMatchObject({ events: '/webhook/event', callbacks: '/webhook/card' });
  });

  it('the long connection registers exactly those types', async () => {
    const { intake } = await buildTestApp({ mock, sink: recordingSink().sink });
    const handlers = createLongConnectionHandlers({ intake, logger: silentLogger });
    expect(Object.keys(handlers).sort()).toEqual([...HANDLED_EVENT_TYPES].sort());
  });

  it('the webhook accepts every listed event as handled, not as an unsupported type', async () => {
    const { app, metrics, drain } = await buildTestApp({ mock, sink: recordingSink().sink });
    const unsupported = async () => (await metrics.eventsReceived.get()).values.find((v) => v.labels.type === 'unsupported')?.value ?? 0;
    // The control: a type the bot does not handle is counted as unsupported.
    const other = { schema: '2.0', header: { event_id: randomUUID(), event_type: 'im.chat.updated_v1', token: VERIFICATION_TOKEN }, event: {} };
    expect((await app.request('/webhook/event', feishuRequest(other))).status).toBe(200);
    expect(await unsupported()).toBe(1);
    for (const { event } of committed().events) {
      const payload =
        event === 'im.message.receive_v1'
          ? messageEvent({ messageId: `om_manifest_${randomUUID()}` })
          : { schema: '2.0', header: { event_id: randomUUID(), event_type: event, token: VERIFICATION_TOKEN }, event: {} };
      await app.request('/webhook/event', feishuRequest(payload));
    }
    await drain();
    expect(await unsupported()).toBe(1);
  });
});
