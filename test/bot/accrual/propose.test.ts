/**
 * Proposals that are not complete or not editable: the form for what is missing (then
 * the confirmation from the form's values), records explained instead of submitted, and
 * a record that cannot be looked up submitted with "before" unknown, said plainly.
 */
import { describe, expect, it } from 'vitest';
import { ACCRUAL_ACTIONS, FORM_FIELDS } from '../../../cards/accrual-edit.js';
import { installFeishuMock } from '../../support/feishu-mock.js';
import { ANNUAL, APPROVER_1, EMPLOYEE, installGrantFake, OTHER_RECORD_ID, OUTSIDER, RECORD_ID, REQUESTER, SYSTEM_RECORD_ID } from '../../support/accrual.js';
import { button, click, cluster, hrMessage, lastUpdateOf, sentTo } from './harness.js';

const mock = installFeishuMock();

describe('accrual edit: the form for missing pieces', () => {
  it('no mention, no reason: a form asks for them, prefilled with what was given', async () => {
    const c = cluster(mock);
    const grants = installGrantFake(mock);
    await c.a.onMessage(hrMessage(REQUESTER, `adjust annual leave grant ${RECORD_ID} to 2.5 days`));
    const form = sentTo(mock, REQUESTER).at(-1)!;
    const card = JSON.parse(form.content) as { body: { elements: unknown[] } };
    const text = JSON.stringify(card);
    expect(text).toContain('choose the employee');
    expect(text).toContain('give a reason');
    expect(text).not.toContain('enter the grant record id');
    // Prefilled: record, quantity and the leave type matched against the tenant's types.
    expect(text).toContain(`"default_value":"${RECORD_ID}"`);
    expect(text).toContain('"default_value":"2.5"');
    expect(text).toContain(`"initial_option":"${ANNUAL}"`);
    for (const tag of ['select_person', 'select_static', 'date_picker', 'input', 'form']) expect(text).toContain(`"tag":"${tag}"`);
    expect(grants.lookups).toEqual([]);

    // Several people mentioned: no guessing, the form asks.
    await c.a.onMessage(hrMessage(REQUESTER, `adjust @_user_1 @_user_2 annual leave grant ${RECORD_ID} to 2.5 days, reason: x`, [EMPLOYEE, 'ou_other']));
    expect(sentTo(mock, REQUESTER).at(-1)!.content).toContain('choose the employee');

    // Sending the form with the rest filled in gives the confirmation, in place of the form.
    const send = button(form.content, ACCRUAL_ACTIONS.form);
    const formValue = {
      [FORM_FIELDS.employee]: EMPLOYEE,
      [FORM_FIELDS.leaveType]: ANNUAL,
      [FORM_FIELDS.recordId]: RECORD_ID,
      [FORM_FIELDS.quantity]: '2.5',
      [FORM_FIELDS.expirationDate]: '2026-12-31 +0800',
      [FORM_FIELDS.reason]: 'missed overtime',
    };
    const result = await click(c.b, REQUESTER, send, { formValue, openMessageId: form.messageId });
    expect(result.toast?.type).toBe('info');
    const confirm = lastUpdateOf(mock, form.messageId)!;
    expect(confirm).toContain('3 → **2.5**');
    expect(confirm).toContain('2026-12-31');
    expect(button(confirm, ACCRUAL_ACTIONS.submit)).toBeDefined();
  });

  it.each([
    ['zh-CN', '调整 @_user_1 的年假发放记录', '请填写发放记录 ID', undefined],
    ['en-US', "adjust @_user_1's annual leave grant to 3 days", 'enter the grant record id', '3'],
  ])('%s: a proposal without a record id gets the form, asking for the record, the rest prefilled', async (_locale, text, asks, quantity) => {
    const c = cluster(mock);
    const grants = installGrantFake(mock);
    await c.a.onMessage(hrMessage(REQUESTER, text, [EMPLOYEE]));
    const form = sentTo(mock, REQUESTER).at(-1)!;
    expect(form.content).toContain(asks);
    expect(form.content).toContain('"tag":"form"');
    // Prefilled: the mentioned employee, the leave type, the quantity when given.
    expect(form.content).toContain(EMPLOYEE);
    expect(form.content).toContain(`"initial_option":"${ANNUAL}"`);
    if (quantity) expect(form.content).toContain(`"default_value":"${quantity}"`);
    expect(button(form.content, ACCRUAL_ACTIONS.form)).toBeDefined();
    expect(grants.lookups).toEqual([]);
  });

  // The quantity is the record's new value: "减少1.5天" must not be proposed as -1.5.
  it.each([
    ['zh-CN', `调整 @_user_1 的年假发放记录 ${RECORD_ID}，减少1.5天，原因：多发了`, '请写出修改后的发放数量', '「改成 1.5 天」'],
    ['zh-CN', `@_user_1 的年假发放记录 ${RECORD_ID} 扣 2 天，失效日期 2026-12-31，原因：多发了`, '请写出修改后的发放数量', '「改成 1.5 天」'],
    ['en-US', `deduct 1.5 days from grant record ${RECORD_ID} for @_user_1, reason: granted twice`, 'give the new total quantity', 'set it to 1.5 days'],
    ['en-US', `annual leave grant ${RECORD_ID} for @_user_1: reduce by 2, reason: granted twice`, 'give the new total quantity', 'set it to 1.5 days'],
  ])('%s: a relative change gets the form asking for the new total, and nothing is proposed: %s', async (_locale, text, asks, example) => {
    const c = cluster(mock);
    const grants = installGrantFake(mock);
    await c.a.onMessage(hrMessage(REQUESTER, text, [EMPLOYEE]));
    const form = sentTo(mock, REQUESTER).at(-1)!;
    expect(form.content).toContain(asks);
    expect(form.content).toContain(example);
    expect(form.content).toContain('"tag":"form"');
    // No quantity is prefilled (least of all a negative one), nothing goes for confirmation.
    expect(form.content).not.toMatch(/"default_value":"-?1\.5"|"default_value":"-?2"/);
    expect(form.content).not.toContain(ACCRUAL_ACTIONS.submit);
    expect(button(form.content, ACCRUAL_ACTIONS.form)).toBeDefined();
    expect(grants.lookups).toEqual([]);
    expect(grants.patches).toEqual([]);
  });

  it('an explicit negative new quantity is proposed as written', async () => {
    const c = cluster(mock);
    installGrantFake(mock);
    await c.a.onMessage(hrMessage(REQUESTER, `调整 @_user_1 的年假发放记录 ${RECORD_ID} 改成 -2 天，原因：冲销多发`, [EMPLOYEE]));
    const confirm = sentTo(mock, REQUESTER).at(-1)!;
    expect(confirm.content).toContain('3 → **-2**');
    expect(confirm.content).not.toContain('请写出修改后的发放数量');
    expect(button(confirm.content, ACCRUAL_ACTIONS.submit)).toBeDefined();
  });

  it('a form value that is not an open_id or a number is asked for again', async () => {
    const c = cluster(mock);
    installGrantFake(mock);
    await c.a.onMessage(hrMessage(REQUESTER, `adjust annual leave grant ${RECORD_ID} to 2.5 days`));
    const form = sentTo(mock, REQUESTER).at(-1)!;
    await click(c.a, REQUESTER, button(form.content, ACCRUAL_ACTIONS.form), {
      formValue: { [FORM_FIELDS.employee]: '<at id=all>', [FORM_FIELDS.leaveType]: ANNUAL, [FORM_FIELDS.recordId]: RECORD_ID, [FORM_FIELDS.quantity]: 'lots', [FORM_FIELDS.reason]: 'x' },
      openMessageId: form.messageId,
    });
    const again = lastUpdateOf(mock, form.messageId)!;
    // The form was asked for in English, so the click on it is answered in English.
    expect(again).toContain('choose the employee');
    expect(again).toContain('the quantity must be a number');
    // The forged values are not drawn back into the form.
    expect(again).not.toContain('<at id=all>');
    expect(again).not.toContain('"default_value":"lots"');
  });

  it('only requesters get anywhere with the form', async () => {
    const c = cluster(mock);
    installGrantFake(mock);
    const result = await click(c.a, OUTSIDER, { action: ACCRUAL_ACTIONS.form }, { formValue: { [FORM_FIELDS.employee]: EMPLOYEE } });
    expect(result.followUp).toBeFalsy();
    expect(result.toast?.type).toBe('warning');
    expect(mock.sent).toEqual([]);
  });
});

describe('accrual edit: the record lookup', () => {
  it.each([
    [SYSTEM_RECORD_ID, 'generated by the system'],
    [OTHER_RECORD_ID, 'belongs to someone else'],
    ['6893014062142069999', 'is not among this employee'],
  ])('record %s is explained and nothing is stored', async (recordId, words) => {
    const c = cluster(mock);
    installGrantFake(mock);
    await c.a.onMessage(hrMessage(REQUESTER, `adjust @_user_1's annual leave grant ${recordId} to 2.5 days, reason: x`, [EMPLOYEE]));
    const answer = sentTo(mock, REQUESTER).at(-1)!.content;
    expect(answer).toContain(words);
    expect(() => button(answer, ACCRUAL_ACTIONS.submit)).toThrow();
  });

  it('a record that cannot be looked up goes for approval with "before" unknown, said plainly', async () => {
    const c = cluster(mock);
    const grants = installGrantFake(mock);
    grants.lookupFails();
    await c.a.onMessage(hrMessage(REQUESTER, `adjust @_user_1's annual leave grant ${RECORD_ID} to 2.5 days, reason: x`, [EMPLOYEE]));
    const confirm = sentTo(mock, REQUESTER).at(-1)!;
    expect(confirm.content).toContain('could not be looked up');
    expect(confirm.content).toContain('unknown → **2.5**');
    await click(c.a, REQUESTER, button(confirm.content, ACCRUAL_ACTIONS.submit), { openMessageId: confirm.messageId });
    expect(sentTo(mock, APPROVER_1).at(-1)!.content).toContain('无法查询到该记录的当前值');
  });
});
