/**
 * After the integration suite: a scan of the whole test table for what must never be stored in
 * clear (DESIGN.md §4 "Sensitive data at rest"): an ID number (18 characters, valid check
 * character) anywhere in any string, and a bank account number under any `accountNumber` member.
 * Only the test table is ever scanned; no function of the platform may Scan.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { containsIdNumber } from '../../shared/identity/id-number.js';

export interface ClearDataFinding {
  PK: string;
  SK: string;
  path: string;
  what: 'id-number' | 'bank-account-number';
}

function findingsIn(value: unknown, path: string, into: Omit<ClearDataFinding, 'PK' | 'SK'>[]): void {
  if (typeof value === 'string') {
    if (containsIdNumber(value)) into.push({ path, what: 'id-number' });
    return;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) findingsIn(item, `${path}[${i}]`, into);
    return;
  }
  if (value && typeof value === 'object') {
    for (const [name, member] of Object.entries(value)) {
      if (name === 'accountNumber' && typeof member === 'string' && /[0-9]{5}/.test(member)) {
        into.push({ path: `${path}.${name}`, what: 'bank-account-number' });
      }
      findingsIn(member, `${path}.${name}`, into);
    }
  }
}

export async function scanForClearData(tableName: string): Promise<ClearDataFinding[]> {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const findings: ClearDataFinding[] = [];
  try {
    for await (const page of paginateScan({ client }, { TableName: tableName })) {
      for (const item of page.Items ?? []) {
        const found: Omit<ClearDataFinding, 'PK' | 'SK'>[] = [];
        findingsIn(item, '$', found);
        for (const f of found) findings.push({ PK: String(item.PK), SK: String(item.SK), ...f });
      }
    }
  } finally {
    client.destroy();
  }
  return findings;
}
