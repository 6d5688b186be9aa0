/**
 * The yearly base adjustment sent as `text/csv` (UTF-8, with or without BOM, a header row naming
 * the columns in any order), turned into exactly the JSON request value (schema.ts).
 */
import { DomainError } from '../errors/domain-error.js';
import { parseCsv } from '../http/csv.js';
import { MAX_BASE_ADJUSTMENT_ROWS, type RowError, rowError } from './schema.js';

/** The CSV header, in this order (a spreadsheet's own column order is kept by name, not position). */
export const BASE_ADJUSTMENT_CSV_COLUMNS = [
  'personalAccountNo',
  'monthlyDepositBaseFen',
  'employeeRateBasisPoints',
  'employerRateBasisPoints',
] as const;

const NUMERIC_COLUMNS = new Set<string>(BASE_ADJUSTMENT_CSV_COLUMNS.slice(1));

function fileError(code: string, zh: string, en: string): DomainError {
  return new DomainError('VALIDATION_FAILED', {
    errors: [{ in: 'body', field: '', code, message: { 'zh-CN': zh, en } }],
  });
}

/**
 * A CSV body as the request value. A malformed file (no header, an unknown or missing column, an
 * open quote, too many rows) is a 400; cells that are not whole numbers are the 422's row errors,
 * all of them at once. The rest (formats, limits, accounts) is checked as for JSON.
 */
export function baseAdjustmentFromCsv(text: string, query: Readonly<Record<string, string | undefined>>) {
  const table = parseCsv(text);
  if (!table)
    throw fileError(
      'CSV_MALFORMED',
      'CSV 文件格式有误（引号未闭合）。',
      'The CSV is malformed (a quote is left open).',
    );
  const [header, ...lines] = table;
  const names = (header ?? []).map((name) => name.trim());
  const missing = BASE_ADJUSTMENT_CSV_COLUMNS.filter((column) => !names.includes(column));
  const unknown = names.filter((name) => !(BASE_ADJUSTMENT_CSV_COLUMNS as readonly string[]).includes(name));
  if (missing.length > 0 || unknown.length > 0 || new Set(names).size !== names.length) {
    throw fileError(
      'CSV_HEADER_INVALID',
      `CSV 首行须为列名：${BASE_ADJUSTMENT_CSV_COLUMNS.join(',')}。`,
      `The first CSV line must name the columns: ${BASE_ADJUSTMENT_CSV_COLUMNS.join(',')}.`,
    );
  }
  if (lines.length > MAX_BASE_ADJUSTMENT_ROWS) {
    throw fileError(
      'TOO_MANY_ROWS',
      `每次最多调整 ${MAX_BASE_ADJUSTMENT_ROWS} 行，请分批提交。`,
      `At most ${MAX_BASE_ADJUSTMENT_ROWS} rows per adjustment: submit the rest separately.`,
    );
  }
  const errors: RowError[] = [];
  const rows = lines.map((cells, index) => {
    const row = index + 1;
    const value: Record<string, string | number> = {};
    names.forEach((name, column) => {
      const cell = (cells[column] ?? '').trim();
      if (!NUMERIC_COLUMNS.has(name)) {
        value[name] = cell;
      } else if (/^\d{1,15}$/.test(cell)) {
        value[name] = Number(cell);
      } else {
        errors.push(
          rowError(
            row,
            name,
            'NOT_A_WHOLE_NUMBER',
            `第 ${row} 行 ${name} 须为整数（金额以分计，比例以万分之一计）。`,
            `Row ${row}: ${name} must be a whole number (fen, or basis points).`,
          ),
        );
      }
    });
    if (cells.length > names.length) {
      errors.push(
        rowError(
          row,
          '',
          'TOO_MANY_CELLS',
          `第 ${row} 行的列数多于首行。`,
          `Row ${row} has more cells than the header.`,
        ),
      );
    }
    return value;
  });
  if (errors.length > 0) throw new DomainError('BASE_ADJUSTMENT_ROWS_INVALID', { errors });
  return { effectiveMonth: query.effectiveMonth, rows };
}
