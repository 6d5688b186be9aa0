/**
 * What the committed-time sweep's chunk publishes in AWS (CloudWatch embedded metric format): the
 * centre's total with the city as a dimension (what the alarm's metric math adds up), and one
 * figure per item code; never an application id.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { publishOverdueMetrics } from '../../../functions/committed-time-sweep/handler.js';

interface EmfLine {
  _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [key: string]: unknown;
}

afterEach(() => {
  jest.restoreAllMocks();
});

function captured(write: () => void): EmfLine[] {
  const lines: string[] = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  write();
  return lines
    .flatMap((text) => text.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfLine);
}

describe('the committed-time sweep publishes per centre', () => {
  it('a total by city, and a count by city and item code', () => {
    const lines = captured(() =>
      publishOverdueMetrics({
        city: '371300',
        overdue: 3,
        byItem: [
          { city: '371300', itemCode: 'OFFSITE_LOAN', overdue: 2 },
          { city: '371300', itemCode: 'PURCHASE_WITHDRAW', overdue: 1 },
        ],
      }),
    );
    const dimensionsOf = (line: EmfLine) => line._aws.CloudWatchMetrics[0]?.Dimensions[0]?.slice().sort();
    const total = lines.find((l) => l.itemCode === undefined);
    expect(dimensionsOf(total as EmfLine)).toEqual(['city', 'service']);
    expect(total).toMatchObject({ city: '371300', OverdueApplications: 3 });
    const byItem = lines.filter((l) => l.itemCode !== undefined);
    expect(byItem.map((l) => [l.itemCode, l.OverdueApplications])).toEqual([
      ['OFFSITE_LOAN', 2],
      ['PURCHASE_WITHDRAW', 1],
    ]);
    for (const line of byItem) expect(dimensionsOf(line)).toEqual(['city', 'itemCode', 'service']);
    expect(lines).toHaveLength(3);
  });

  it('a centre with nothing overdue still publishes its zero (the sum covers every centre)', () => {
    const lines = captured(() => publishOverdueMetrics({ city: '320300', overdue: 0, byItem: [] }));
    expect(lines).toEqual([expect.objectContaining({ city: '320300', OverdueApplications: 0 })]);
  });
});
