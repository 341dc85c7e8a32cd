import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../../../src/bot/router/normalize.js';
import { extractLocale } from '../../../../src/bot/router/slots/locale.js';

const locale = (text: string): string | undefined => extractLocale(normalizeText(text));

describe('extractLocale', () => {
  it.each([
    ['请用英文回复', 'en-US'], ['英语', 'en-US'], ['Switch to English', 'en-US'], ['切换到中文', 'zh-CN'],
    ['Please reply in Chinese', 'zh-CN'], ['说普通话', 'zh-CN'], ['Mandarin please', 'zh-CN'],
  ])('%s → %s', (text, want) => {
    expect(locale(text)).toBe(want);
  });

  it('picks the target when both languages are named', () => {
    expect(locale('把中文换成英文')).toBe('en-US');
    expect(locale('switch from English to Chinese')).toBe('zh-CN');
    expect(locale('不要英文，用中文')).toBe('zh-CN');
  });

  it('finds nothing without a language', () => {
    expect(locale('switch language')).toBeUndefined();
  });
});

describe('extractLocale: a language the asker cannot read', () => {
  it.each([
    ["I can't read Chinese", 'en-US'], ['I don’t understand chinese, english please', 'en-US'], ['我看不懂英文', 'zh-CN'],
    ['英文看不懂，用中文', 'zh-CN'], ['I cannot read english', 'zh-CN'],
  ])('%s → %s', (text, want) => {
    expect(locale(text)).toBe(want);
  });
});
