/**
 * zod (mini) validation turned into field errors with a stable code and a Chinese and English
 * message. Domain checks (ID numbers, credit codes…) raise `custom` issues whose params carry
 * their own code and messages; zod's built-in issues get generic, still readable, messages.
 */
import type * as z from 'zod/mini';
import type { FieldError, LocalisedMessage } from '../errors/domain-error.js';

/** Params a domain check attaches to a zod `custom` issue. */
export interface DomainIssueParams {
  code: string;
  message: LocalisedMessage;
}

/** A zod check for a domain rule that reports its own code and messages. */
export function domainIssue(params: DomainIssueParams): {
  code: 'custom';
  message: string;
  params: DomainIssueParams;
} {
  return { code: 'custom', message: params.code, params };
}

type Issue = z.core.$ZodIssue;

function describe(issue: Issue): { code: string; message: LocalisedMessage } {
  switch (issue.code) {
    case 'custom': {
      const params = issue.params as Partial<DomainIssueParams> | undefined;
      if (params?.code && params.message) return { code: params.code, message: params.message };
      return { code: 'INVALID', message: { 'zh-CN': '填写有误。', en: 'Invalid value.' } };
    }
    case 'invalid_type':
      if (issue.input === undefined) {
        return { code: 'REQUIRED', message: { 'zh-CN': '此项必填。', en: 'This field is required.' } };
      }
      return {
        code: 'INVALID_TYPE',
        message: { 'zh-CN': `类型有误，应为 ${issue.expected}。`, en: `Expected ${issue.expected}.` },
      };
    case 'too_small':
      return {
        code: 'TOO_SMALL',
        message: {
          'zh-CN': `不得小于${issue.origin === 'string' ? '长度 ' : ''}${String(issue.minimum)}。`,
          en: `Must be at least ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : ''}.`,
        },
      };
    case 'too_big':
      return {
        code: 'TOO_BIG',
        message: {
          'zh-CN': `不得大于${issue.origin === 'string' ? '长度 ' : ''}${String(issue.maximum)}。`,
          en: `Must be at most ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : ''}.`,
        },
      };
    case 'invalid_value':
      return {
        code: 'NOT_ALLOWED',
        message: {
          'zh-CN': `取值须为：${issue.values.map(String).join('、')}。`,
          en: `Must be one of: ${issue.values.map(String).join(', ')}.`,
        },
      };
    case 'invalid_format':
      return { code: 'INVALID_FORMAT', message: { 'zh-CN': '格式有误。', en: 'Invalid format.' } };
    case 'unrecognized_keys':
      return {
        code: 'UNKNOWN_FIELD',
        message: { 'zh-CN': '不认识的字段。', en: 'Unknown field.' },
      };
    default:
      return { code: 'INVALID', message: { 'zh-CN': '填写有误。', en: 'Invalid value.' } };
  }
}

export function fieldErrors(where: FieldError['in'], issues: readonly Issue[]): FieldError[] {
  return issues.flatMap((issue) => {
    const base = issue.path.map(String);
    const { code, message } = describe(issue);
    // An unknown key is reported on the key itself, so the caller sees which field to drop.
    const fields = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...base, k]) : [base];
    return fields.map((path) => ({ in: where, field: path.join('.'), code, message }));
  });
}
