import { describe, expect, it } from '@jest/globals';
import {
  type Bilingual,
  CATALOGUE,
  catalogueItem,
  HANDLING_MODE_NAMES,
  SCOPE_NAMES,
} from '../../../shared/catalogue/catalogue.js';
import { nationalRulesInForce } from '../../../shared/rules/national.js';
import { SERVICE_ITEM_CODES, type ServiceItemCode } from '../../../shared/services/declaration.js';

const CROSS_PROVINCE: readonly ServiceItemCode[] = [
  'EMPLOYER_OPEN',
  'DEPOSIT_CHANGE',
  'INFO_QUERY',
  'DEPOSIT_CERT',
  'RETIRE_WITHDRAW',
  'PURCHASE_WITHDRAW',
  'PAYOFF_CERT',
  'EARLY_PAYOFF',
];

const HAN = /\p{Script=Han}/u;

function expectBilingual(text: Bilingual | undefined): void {
  expect(text?.zh.trim()).toMatch(HAN);
  expect(text?.en).toMatch(/[A-Za-z]/);
}

describe('regional catalogue', () => {
  it('has the 13 items of DESIGN.md §3 and the 3 withdrawal grounds of §2a, in order', () => {
    expect(CATALOGUE.map((item) => item.code)).toEqual([...SERVICE_ITEM_CODES]);
    expect(CATALOGUE).toHaveLength(16);
    expect(CATALOGUE.slice(13).map((item) => item.code)).toEqual([
      'RENT_WITHDRAW',
      'RENOVATION_WITHDRAW',
      'PROPERTY_FEE_WITHDRAW',
    ]);
  });

  it('flags the eight cross-province items and the eight regional ones', () => {
    expect(CATALOGUE.filter((item) => item.scope === 'crossProvince').map((item) => item.code)).toEqual(
      CROSS_PROVINCE,
    );
    expect(CATALOGUE.filter((item) => item.scope === 'regional')).toHaveLength(8);
  });

  it('asks no withdrawal for an employer certificate (the Regulations in force from 2026-09-20)', () => {
    for (const item of CATALOGUE.filter((i) => i.code.endsWith('_WITHDRAW'))) {
      for (const material of item.materials) {
        expect(material.nameZh).not.toMatch(/单位.*证明|在职证明|离职证明/);
        expect(material.nameEn).not.toMatch(/employer('s)? certificate|certificate .*employer/i);
      }
    }
  });

  it('keeps every committed time within the regulation limits', () => {
    const rules = nationalRulesInForce('2026-11-26');
    for (const item of CATALOGUE) {
      expect(Number.isSafeInteger(item.committedWorkingDays) && item.committedWorkingDays >= 0).toBe(true);
      if (item.statutoryTimeLimit === 'withdrawal') {
        expect(item.committedWorkingDays).toBeLessThanOrEqual(rules.withdrawalDecisionDays);
      }
      if (item.statutoryTimeLimit === 'loan') {
        expect(item.committedWorkingDays).toBeLessThanOrEqual(rules.loanDecisionDays);
      }
    }
    const withdrawals = CATALOGUE.filter((item) => item.code.endsWith('_WITHDRAW'));
    expect(withdrawals.every((item) => item.statutoryTimeLimit === 'withdrawal')).toBe(true);
    expect(catalogueItem('OFFSITE_LOAN').statutoryTimeLimit).toBe('loan');
  });

  it('serves queries and certificates the same day', () => {
    for (const code of ['INFO_QUERY', 'DEPOSIT_CERT', 'PAYOFF_CERT', 'CERT_VERIFY'] as const) {
      expect(catalogueItem(code).committedWorkingDays).toBe(0);
    }
  });

  it.each(CATALOGUE.map((item) => [item.code, item] as const))(
    '%s: every text in both languages',
    (_, item) => {
      expectBilingual({ zh: item.nameZh, en: item.nameEn });
      expectBilingual(item.acceptanceStandard);
      expect(item.materials.length).toBeGreaterThan(0);
      for (const material of item.materials) {
        expectBilingual({ zh: material.nameZh, en: material.nameEn });
        expect(typeof material.fetchedByPlatform).toBe('boolean');
        if (material.condition !== undefined) expectBilingual(material.condition);
      }
      expect(item.guideSteps.length).toBeGreaterThanOrEqual(2);
      for (const step of item.guideSteps) expectBilingual(step);
      expect(item.handlingModes.length).toBeGreaterThan(0);
      expect(new Set(item.handlingModes).size).toBe(item.handlingModes.length);
      for (const mode of item.handlingModes) expectBilingual(HANDLING_MODE_NAMES[mode]);
      expectBilingual(SCOPE_NAMES[item.scope]);
      expect(item.routes.length).toBeGreaterThan(0);
      for (const route of item.routes) expect(route).toMatch(/^(GET|POST|PATCH|PUT|DELETE) \/\S+$/);
      if (!item.available) expectBilingual(item.note);
    },
  );

  it('has every item available (ACCOUNT_TRANSFER was the last)', () => {
    expect(CATALOGUE.filter((item) => !item.available).map((item) => item.code)).toEqual([]);
  });

  it('fetches deposit facts online for an offsite loan, and the online-signing record for a purchase withdrawal', () => {
    const materials = catalogueItem('OFFSITE_LOAN').materials;
    expect(materials.find((m) => m.nameZh.startsWith('住房公积金缴存信息'))?.fetchedByPlatform).toBe(true);
    expect(materials.find((m) => m.nameZh.startsWith('购房合同'))?.fetchedByPlatform).toBe(false);
    const purchase = catalogueItem('PURCHASE_WITHDRAW').materials;
    expect(purchase.find((m) => m.nameZh.startsWith('网签备案信息'))?.fetchedByPlatform).toBe(true);
    // The paper contract only where the register has no online record (staff enter it).
    expect(purchase.find((m) => m.nameZh.startsWith('购房合同'))).toMatchObject({ fetchedByPlatform: false });
  });

  it('looks items up by code and refuses an unknown one', () => {
    expect(catalogueItem('CERT_VERIFY').nameZh).toBe('证明验真');
    expect(() => catalogueItem('NOPE' as ServiceItemCode)).toThrow(/NOPE/);
  });
});
