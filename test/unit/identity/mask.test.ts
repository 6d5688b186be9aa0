import { describe, expect, it } from '@jest/globals';
import { maskBankAccount, maskIdNumber, maskName, maskUscc } from '../../../shared/identity/mask.js';

describe('maskIdNumber', () => {
  it('keeps the first 4 and last 4, as DESIGN.md shows', () => {
    expect(maskIdNumber('320311199001011234')).toBe('3203**********1234');
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
  });

  it('hides the birth date and sequence', () => {
    const masked = maskIdNumber('320311199001011234');
    expect(masked).not.toContain('19900101');
    expect(masked).toHaveLength(18);
  });

  it('masks a value with as many hidden as shown, and stars out anything shorter', () => {
    expect(maskIdNumber('1234567890123456')).toBe('1234********3456');
    expect(maskIdNumber('110105491231002')).toBe('***************');
    expect(maskIdNumber('12345678')).toBe('********');
    expect(maskIdNumber('123')).toBe('***');
    expect(maskIdNumber('')).toBe('');
  });
});

describe('maskUscc', () => {
  it('keeps the first 2 and last 4', () => {
    expect(maskUscc('91350100M000100Y43')).toBe('91************0Y43');
  });

  it('stars out a value too short to mask', () => {
    expect(maskUscc('913501000Y43')).toBe('91******0Y43');
    expect(maskUscc('91350100Y43')).toBe('***********');
    expect(maskUscc('91')).toBe('**');
  });
});

describe('maskBankAccount', () => {
  it('keeps the first 4 and last 4 around a fixed middle that hides the length', () => {
    expect(maskBankAccount('6222021234567890123')).toBe('6222 **** **** 0123');
    expect(maskBankAccount('6222021234560123')).toBe('6222 **** **** 0123');
  });

  it('ignores the spaces of a number typed in groups', () => {
    expect(maskBankAccount('6222 0212 3456 7890 123')).toBe('6222 **** **** 0123');
  });

  it('never shows the middle digits', () => {
    expect(maskBankAccount('6222021234567890123')).not.toMatch(/1234567|02123/);
  });

  it('stars out an account too short to mask', () => {
    expect(maskBankAccount('622202123456789')).toBe('***************');
    expect(maskBankAccount('6222 0123')).toBe('********');
    expect(maskBankAccount('')).toBe('');
  });
});

describe('maskName', () => {
  it('shows only the last character', () => {
    expect(maskName('张三')).toBe('*三');
    expect(maskName('王小明')).toBe('**明');
    expect(maskName('欧阳娜娜')).toBe('***娜');
    expect(maskName('买买提·艾力')).toBe('*****力');
  });

  it('counts characters outside the BMP once', () => {
    expect(maskName('𠮷野')).toBe('*野');
    expect(maskName('张𠮷')).toBe('*𠮷');
    expect(maskName('𠮷')).toBe('*');
  });

  it('stars out a single character and leaves nothing to show for an empty name', () => {
    expect(maskName('李')).toBe('*');
    expect(maskName('')).toBe('');
  });
});
