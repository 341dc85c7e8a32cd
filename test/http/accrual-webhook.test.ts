/**
 * The HR flow through real HTTP into the app: a signed, encrypted message event with a
 * mention proposes, card callbacks submit and approve; the callback answers are toasts
 * only (no grant data in a synchronous response) and exactly one PATCH follows.
 */
import { describe, expect, it } from 'vitest';
import { ACCRUAL_ACTIONS } from '../../cards/accrual-edit.js';
import { ENCRYPT_KEY, cardEvent, feishuRequest, messageEvent } from '../support/feishu-events.js';
import { buildTestApp, installFeishuMockForServer, listenLocally } from '../support/webhook-app.js';
import { APPROVER_1, EMPLOYEE, HR_ENV, installGrantFake, RECORD_ID, REQUESTER } from '../support/accrual.js';
import { button, sentTo } from '../bot/accrual/harness.js';

const mock = installFeishuMockForServer();

describe('accrual edit over webhooks', () => {
  it('message → confirm → submit → approve: toasts in the responses, one PATCH, grant data only by open_id', async () => {
    const grants = installGrantFake(mock);
    const { app, drain } = await buildTestApp({ mock, encryptKey: ENCRYPT_KEY, env: HR_ENV });
    const server = await listenLocally(app.fetch);
    const post = async (path: string, payload: unknown) => {
      const res = await fetch(`${server.url}${path}`, { method: 'POST', ...feishuRequest(payload, { encryptKey: ENCRYPT_KEY, encrypt: true }) });
      expect(res.status).toBe(200);
      const body = await res.text();
      await drain();
      return body;
    };
    try {
      const event = messageEvent({ openId: REQUESTER, text: `adjust @_user_1's annual leave grant ${RECORD_ID} to 2.5 days, reason: missed overtime` });
      (event.event.message as Record<string, unknown>).mentions = [{ key: '@_user_1', id: { open_id: EMPLOYEE, union_id: 'on_e', user_id: 'e' }, name: 'Zhang San', tenant_key: 'tk_test' }];
      await post('/webhook/event', event);
      const confirm = sentTo(mock, REQUESTER).at(-1)!;
      expect(confirm.content).toContain(`<at id=${EMPLOYEE}></at>`);

      const submitted = await post('/webhook/card', cardEvent({ operatorOpenId: REQUESTER, openMessageId: confirm.messageId, value: button(confirm.content, ACCRUAL_ACTIONS.submit) }));
      expect(Object.keys(JSON.parse(submitted) as object)).toEqual(['toast']);
      const approval = sentTo(mock, APPROVER_1).at(-1)!;

      const approve = button(approval.content, ACCRUAL_ACTIONS.approve);
      const approved = await post('/webhook/card', cardEvent({ operatorOpenId: APPROVER_1, openMessageId: approval.messageId, value: approve }));
      expect(Object.keys(JSON.parse(approved) as object)).toEqual(['toast']);
      expect(approved).not.toContain(RECORD_ID);
      // A replay of another click event on the same button moves nothing.
      await post('/webhook/card', cardEvent({ operatorOpenId: APPROVER_1, openMessageId: approval.messageId, value: approve }));
      expect(grants.patches).toHaveLength(1);
      expect(grants.patches[0]!.body).toMatchObject({ employment_id: EMPLOYEE, quantity: '2.5', leave_granting_record_id: RECORD_ID });
      expect(mock.sent.every((m) => m.receiveIdType === 'open_id')).toBe(true);
    } finally {
      await server.close();
    }
  });
});
