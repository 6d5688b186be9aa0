/** EMPLOYER_OPEN 单位登记开户: POST /v1/employers. */
import * as z from 'zod/mini';
import { cityCode, employerAccountNo, isoDateTime, localisedMessage } from '../../shared/contract/answers.js';
import type { HandlerContract } from '../../shared/contract/route-contract.js';
import { cityField, textField, usccField } from '../../shared/http/fields.js';

export const EmployerBody = z.strictObject({
  uscc: usccField,
  name: textField(100),
  city: cityField,
  address: textField(200),
  contactName: textField(50),
  contactPhone: z.string().check(z.regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/)),
  /** 发薪日: the day of the month wages are paid; the remittance is due by then. */
  payday: z.int().check(z.minimum(1), z.maximum(28)),
});

/** The employer as registered (单位账户), with a warning when the credit code's check character fails. */
const EmployerAnswer = z.looseObject({
  employerAccountNo,
  city: cityCode,
  uscc: z.string(),
  usccCheckCharacterValid: z.boolean(),
  name: z.string(),
  address: z.string(),
  contactName: z.string(),
  contactPhone: z.string(),
  payday: z.int().check(z.minimum(1), z.maximum(28)),
  openedAt: isoDateTime,
  openedBy: z.string(),
  warnings: z.array(z.looseObject({ field: z.string(), code: z.string(), message: localisedMessage })),
});

export const CONTRACT = {
  'POST /v1/employers': {
    summary: 'Register an employer in a centre (单位登记开户); the credit code must be the token’s',
    body: EmployerBody,
    response: {
      status: 201,
      description: 'The employer record with its employerAccountNo',
      schema: EmployerAnswer,
    },
    problems: ['EMPLOYER_ACCOUNT_EXISTS', 'EMPLOYER_NOT_YOURS'],
  },
} satisfies HandlerContract;
