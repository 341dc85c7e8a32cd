import * as lark from '@larksuiteoapi/node-sdk';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/feishu/card.js';
import { createLongConnectionHandlers } from '../../src/http/long-connection.js';
import { silentLogger } from '../../src/log.js';
import { startServer } from '../../src/main.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { cardEvent, feishuRequest, messageEvent } from '../support/feishu-events.js';
import { buildTestApp, installFeishuMockForServer, recordingSink } from '../support/webhook-app.js';
import { testConfig } from '../support/test-config.js';

const mock = installFeishuMockForServer();
const card: Card = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'ok' }] } };

/** The SDK's own dispatcher, so the test sees exactly the flattened objects it produces. */
function dispatcherFor(handlers: ReturnType<typeof createLongConnectionHandlers>) {
  const quiet = () => undefined;
  const logger = { error: quiet, warn: quiet, info: quiet, debug: quiet, trace: quiet };
  return new lark.EventDispatcher({ loggerLevel: lark.LoggerLevel.fatal, logger }).register(handlers);
}

describe('long connection (FEISHU_EVENT_MODE=websocket)', () => {
  it('feeds SDK-flattened messages into the same intake and dedupe as the webhook', async () => {
    const rec = recordingSink();
    const { app, intake, drain } = await buildTestApp({ mock, sink: rec.sink });
    const dispatcher = dispatcherFor(createLongConnectionHandlers({ intake, logger: silentLogger }));
    const event = messageEvent({ messageId: 'om_ws_1' });
    await dispatcher.invoke(structuredClone(event), { needCheck: false });
    await dispatcher.invoke(structuredClone(event), { needCheck: false });
    await app.request('/webhook/event', feishuRequest(event));
    await drain();
    expect(rec.messages).toHaveLength(1);
    expect(rec.messages[0]).toMatchObject({ messageId: 'om_ws_1', eventId: event.header.event_id, senderOpenId: 'ou_employee_1' });
  });

  it('answers card callbacks with the handler result and keeps the update token', async () => {
    const rec = recordingSink({ onCardAction: async () => ({ toast: { type: 'info', content: 'hi' }, card }) });
    const { intake } = await buildTestApp({ mock, sink: rec.sink });
    const dispatcher = dispatcherFor(createLongConnectionHandlers({ intake, logger: silentLogger }));
    const answer = await dispatcher.invoke(cardEvent({ updateToken: 'c-ws-token' }), { needCheck: false });
    expect(answer).toEqual({ toast: { type: 'info', content: 'hi' }, card: { type: 'raw', data: card } });
    expect(rec.actions[0]).toMatchObject({ updateToken: 'c-ws-token', operatorOpenId: 'ou_approver_1' });
  });

  it('starts the SDK client and still serves /healthz; stop() closes both', async () => {
    let endpointCalls = 0;
    mock.use(
      http.post(`${mock.baseUrl}/callback/ws/endpoint`, () => {
        endpointCalls += 1;
        return HttpResponse.json({ code: 1000040345, msg: 'no long connection in tests' });
      }),
    );
    const config = testConfig({ FEISHU_BASE_URL: mock.baseUrl, FEISHU_APP_ID: 'cli_0123456789abcdef' });
    const running = await startServer(
      { ...config, feishu: { ...config.feishu, eventMode: 'websocket' }, http: { host: '127.0.0.1', port: 0 } },
      { store: createMemoryStore(), sink: recordingSink().sink, logger: silentLogger },
    );
    try {
      expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
      for (let i = 0; i < 50 && endpointCalls === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(endpointCalls).toBeGreaterThan(0);
    } finally {
      await running.stop();
    }
  });
});
