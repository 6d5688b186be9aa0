import { afterEach, describe, expect, it } from '@jest/globals';
import {
  type CertificateView,
  certificatePage,
  escapeHtml,
  verificationAddress,
  wantsHtml,
} from '../../../shared/certificates/page.js';
import { ConfigurationError } from '../../../shared/config/runtime.js';

describe('which answer a caller gets', () => {
  it.each([
    ['text/html', true],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', true],
    ['text/html;q=0.8, application/json;q=0.8', true],
    [undefined, false],
    ['', false],
    ['*/*', false],
    ['application/json', false],
    ['application/json, text/html;q=0.5', false],
    ['text/html;q=0', false],
    ['text/html;q=abc', false],
  ])('Accept %p → page %p', (accept, page) => {
    expect(wantsHtml(accept)).toBe(page);
  });
});

describe('escaping', () => {
  it('leaves no markup or attribute break-out', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });
});

describe('the printed page of a payoff certificate', () => {
  const view = {
    verificationCode: 'ABCD-EFGH-JKMN-PQRS-TVWX',
    status: 'valid' as const,
    kind: 'loan-payoff' as const,
    itemCode: 'PAYOFF_CERT' as const,
    issuingCentre: {
      code: '320300',
      nameZh: '徐州',
      nameEn: 'Xuzhou',
      provinceZh: '江苏',
      provinceEn: 'Jiangsu',
    },
    issuedAt: '2026-11-30T17:30:00.000Z',
    validUntil: null,
    validity: { 'zh-CN': '长期有效（贷款已结清的事实不会失效）。', en: 'Does not expire.' },
    holder: { nameMasked: '*<i>', idNumberMasked: '3203**********1234' },
    facts: {
      loanId: '320300-L-<b>',
      lendingCentre: {
        code: '320300',
        nameZh: '徐州',
        nameEn: 'Xuzhou',
        provinceZh: '江苏',
        provinceEn: 'Jiangsu',
      },
      principalFen: 25_000_000,
      contractDate: '2020-05-01',
      repaidOn: '2026-11-20',
      outstandingPrincipalFen: 0 as const,
    },
  } as CertificateView;

  it('states the facts in Chinese, the Beijing issue date, and escapes every value', () => {
    const { html, headers } = certificatePage(
      view,
      'https://hpf.example.cn/v1/certificates/ABCD-EFGH-JKMN-PQRS-TVWX',
    );
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html).toContain('住房公积金贷款全部还清证明');
    expect(html).toContain('江苏省徐州市住房公积金管理中心');
    expect(html).toContain('核验结果：真实有效');
    expect(html).toContain('长期有效');
    expect(html).toContain('250,000.00 元');
    // 17:30 UTC on 30 November is 1 December in Beijing.
    expect(html).toContain('2026年12月1日');
    expect(html).toContain('320300-L-&lt;b&gt;');
    expect(html).toContain('*&lt;i&gt;');
    expect(html).not.toMatch(/<b>|<i>/);
  });
});

describe('the public address', () => {
  const saved = process.env.PUBLIC_BASE_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.PUBLIC_BASE_URL;
    else process.env.PUBLIC_BASE_URL = saved;
  });

  it('is the configured base without a trailing slash, and refuses what is not an http(s) base', () => {
    process.env.PUBLIC_BASE_URL = 'https://gjj.example.cn/api/';
    expect(verificationAddress('ABCD')).toBe('https://gjj.example.cn/api/v1/certificates/ABCD');
    for (const bad of ['', 'gjj.example.cn', 'javascript:alert(1)', 'https://gjj.example.cn/?x=1']) {
      process.env.PUBLIC_BASE_URL = bad;
      expect(() => verificationAddress('ABCD')).toThrow(ConfigurationError);
    }
  });
});
