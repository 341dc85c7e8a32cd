/**
 * Clicks that must change nothing (and say why), rejecting with a reason, a failed write
 * explained in words, and a retry that writes once.
 */
import { describe, expect, it } from 'vitest';
import { ACCRUAL_ACTIONS, FORM_FIELDS } from '../../../cards/accrual-edit.js';
import { PATCH_ERROR_CODES, writeErrorText } from '../../../src/bot/accrual/write-errors.js';
import { createI18n } from '../../../src/i18n.js';
import { createAuditLog } from '../../../src/services/accrual/audit.js';
import { installFeishuMock } from '../../support/feishu-mock.js';
import { APPROVER_1, APPROVER_2, EMPLOYEE, installGrantFake, OUTSIDER, RECORD_ID, REQUESTER } from '../../support/accrual.js';
import { button, click, cluster, hrMessage, lastUpdateOf, sentTo, type Cluster } from './harness.js';

const mock = installFeishuMock();
const EN = `adjust @_user_1's annual leave grant ${RECORD_ID} to 2.5 days, expires 2026-12-31, reason: missed overtime`;

async function pending(c: Cluster) {
  await c.a.onMessage(hrMessage(REQUESTER, EN, [EMPLOYEE]));
  const confirm = sentTo(mock, REQUESTER).at(-1)!;
  await click(c.a, REQUESTER, button(confirm.content, ACCRUAL_ACTIONS.submit), { openMessageId: confirm.messageId });
  const card = sentTo(mock, APPROVER_1).at(-1)!;
  return { card, approve: button(card.content, ACCRUAL_ACTIONS.approve), reject: button(card.content, ACCRUAL_ACTIONS.reject) };
}

describe('accrual edit: refusals change nothing and say why', () => {
  it('non-approver, requester, forged id, altered version, extra fields: no PATCH, a toast each', async () => {
    const c = cluster(mock);
    const grants = installGrantFake(mock);
    const { approve } = await pending(c);
    const cases: Array<[string, Record<string, unknown>, string]> = [
      [OUTSIDER, approve, '只有 HR 审批人'],
      [REQUESTER, approve, '只有 HR 审批人'],
      [APPROVER_1, { ...approve, id: '00000000-0000-4000-8000-000000000000' }, '不存在'],
      [APPROVER_1, { ...approve, v: Number(approve.v) + 1 }, '已过期'],
      [APPROVER_1, { ...approve, v: Number(approve.v) - 1 }, '已过期'],
      [APPROVER_1, { ...approve, employee: 'ou_someone' }, ''],
      [APPROVER_1, { ...approve, action: 'accrual.delete' }, ''],
    ];
    for (const [operator, value, words] of cases) {
      const result = await click(c.b, operator, value);
      expect(result.followUp, JSON.stringify(value)).toBeFalsy();
      expect(result.toast?.type, JSON.stringify(value)).not.toBe('success');
      if (words) expect(result.toast?.content).toContain(words);
    }
    expect(grants.patches).toEqual([]);
    // Still pending: a real approver can still decide.
    expect((await click(c.a, APPROVER_2, approve)).toast?.type).toBe('success');
    expect(grants.patches).toHaveLength(1);
  });

  it('a request past 7 days is expired on click: no PATCH, every card marked, the requester told', async () => {
    const c = cluster(mock);
    const grants = installGrantFake(mock);
    const { card, approve } = await pending(c);
    c.clock.now += 7 * 24 * 3600_000 + 1;
    const result = await click(c.b, APPROVER_1, approve);
    expect(result.toast?.content).toContain('已失效');
    expect(grants.patches).toEqual([]);
    expect(lastUpdateOf(mock, card.messageId)).toContain('7 天内无人处理');
    expect(sentTo(mock, REQUESTER).at(-1)!.content).toContain('nobody decided within 7 days');
    // And stays so.
    expect((await click(c.a, APPROVER_2, approve)).toast?.content).toContain('已失效');
  });

  it('reject with a reason: no PATCH; the cards and the requester see the reason and who rejected', async () => {
    const c = cluster(mock);
    const grants = installGrantFake(mock);
    const { card, approve, reject } = await pending(c);
    const result = await click(c.b, APPROVER_1, reject, { formValue: { [FORM_FIELDS.rejectReason]: 'record belongs to 2025' } });
    expect(result.toast?.type).toBe('success');
    expect(grants.patches).toEqual([]);
    const updated = lastUpdateOf(mock, card.messageId)!;
    expect(updated).toContain('已驳回');
    expect(updated).toContain('record belongs to 2025');
    expect(updated).toContain(`<at id=${APPROVER_1}></at>`);
    const told = sentTo(mock, REQUESTER).at(-1)!.content;
    expect(told).toContain('Rejected');
    expect(told).toContain('record belongs to 2025');
    // Approving afterwards is refused as already decided.
    expect((await click(c.a, APPROVER_2, approve)).toast?.content).toContain('已被处理');
    const events = (await createAuditLog(c.stores[0]!, c.keys).read(0)).map((e) => e.event);
    expect(events).toEqual(['proposed', 'submitted', 'rejected']);
  });

  it('a refused write is explained in words and offers approvers a retry that writes once', async () => {
    const c = cluster(mock);
    const grants = installGrantFake(mock);
    grants.failNext({ code: 1220031, status: 400 });
    const { card, approve } = await pending(c);
    await click(c.a, APPROVER_1, approve);
    expect(grants.patches).toHaveLength(1);
    const failed = lastUpdateOf(mock, card.messageId)!;
    expect(failed).toContain('该发放记录不可编辑或删除');
    expect(failed).toContain('1220031');
    expect(sentTo(mock, REQUESTER).at(-1)!.content).toContain('cannot be edited or deleted');
    const retry = button(failed, ACCRUAL_ACTIONS.retry);
    // The requester may not retry (not an approver); two approvers retrying at once write once.
    expect((await click(c.a, REQUESTER, retry)).toast?.type).not.toBe('success');
    const results = await Promise.all([click(c.a, APPROVER_1, retry), click(c.b, APPROVER_2, retry), click(c.b, APPROVER_2, retry)]);
    expect(results.filter((r) => r.toast?.type === 'success')).toHaveLength(1);
    expect(grants.patches).toHaveLength(2);
    expect(lastUpdateOf(mock, card.messageId)).toContain('已写入飞书');
    // The old retry button is spent.
    expect((await click(c.a, APPROVER_1, retry)).toast?.type).not.toBe('success');
    expect(grants.patches).toHaveLength(2);
    const events = (await createAuditLog(c.stores[0]!, c.keys).read(0)).map((e) => e.event);
    expect(events).toEqual(['proposed', 'submitted', 'approved', 'failed', 'retried', 'written']);
  });

  it('every documented PATCH code, answered by Feishu, is shown in words; the retry after them writes once', { timeout: 120_000 }, async () => {
    // Seed 001: these codes come with HTTP 500 (the client retries a 5xx before giving up), the rest with 400.
    const SERVER_SIDE = new Set([1220011, 1220012, 1220013, 1220014, 1220015, 1220018, 1220019, 1220028, 1229999]);
    const c = cluster(mock, { memory: true, retry: { baseDelayMs: 1, maxDelayMs: 1 } });
    const grants = installGrantFake(mock);
    const { card, approve } = await pending(c);
    const i18n = createI18n();
    let next = approve;
    for (const code of PATCH_ERROR_CODES) {
      const status = SERVER_SIDE.has(code) ? 500 : 400;
      // A 5xx is tried five times in all (the client's retries) before the write counts as failed.
      for (let i = 0; i < (status === 500 ? 5 : 1); i++) grants.failNext({ code, status });
      expect((await click(c.a, APPROVER_1, next)).toast?.type, String(code)).toBe('success');
      const shown = lastUpdateOf(mock, card.messageId)!;
      // The sentence in the reader's language (markdown escapes taken off).
      const words = (content: string) => JSON.stringify(JSON.parse(content)).replace(/\\\\/g, '');
      const either = (content: string) => [i18n.t('zh-CN'), i18n.t('en-US')].some((t) => words(content).includes(writeErrorText(t, code)));
      expect(either(shown), `${code}: ${shown}`).toBe(true);
      expect(either(sentTo(mock, REQUESTER).at(-1)!.content), String(code)).toBe(true);
      next = button(shown, ACCRUAL_ACTIONS.retry);
    }
    const before = grants.patches.length;
    await Promise.all([click(c.a, APPROVER_1, next), click(c.b, APPROVER_2, next)]);
    expect(grants.patches.length - before).toBe(1);
    expect(lastUpdateOf(mock, card.messageId)).toContain('已写入飞书');
  });

  it('cancel: nothing goes to approvers, the draft cannot be submitted afterwards', async () => {
    const c = cluster(mock);
    installGrantFake(mock);
    await c.a.onMessage(hrMessage(REQUESTER, EN, [EMPLOYEE]));
    const confirm = sentTo(mock, REQUESTER).at(-1)!;
    expect((await click(c.a, APPROVER_1, button(confirm.content, ACCRUAL_ACTIONS.submit))).toast?.type).not.toBe('success');
    expect((await click(c.a, REQUESTER, button(confirm.content, ACCRUAL_ACTIONS.cancel))).toast?.type).toBe('success');
    expect((await click(c.b, REQUESTER, button(confirm.content, ACCRUAL_ACTIONS.submit))).toast?.type).not.toBe('success');
    expect(sentTo(mock, APPROVER_1)).toEqual([]);
  });

  it('with no approver but the requester configured, submit is refused with why', async () => {
    const c = cluster(mock, { env: { HR_APPROVERS: REQUESTER } });
    installGrantFake(mock);
    await c.a.onMessage(hrMessage(REQUESTER, EN, [EMPLOYEE]));
    const confirm = sentTo(mock, REQUESTER).at(-1)!;
    const result = await click(c.a, REQUESTER, button(confirm.content, ACCRUAL_ACTIONS.submit));
    expect(result.toast?.content).toContain('HR_APPROVERS');
    expect(mock.sent.filter((m) => m.receiveId !== REQUESTER)).toEqual([]);
  });
});
