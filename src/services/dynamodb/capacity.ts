/**
 * Consumed capacity as DynamoDB computes it: reads in 4 KB units (half for eventually consistent reads),
 * writes in 1 KB units, each at least one unit; transactions cost double; an index write costs one write
 * per index entry put or deleted, sized by the projected item.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
 */
import { itemSize, keyAttributes, valuesEqual } from '../../engines/dynamodb/index.js';
import type { Item } from '../../engines/dynamodb/index.js';
import type { ConsumedCapacity, ReturnConsumedCapacity } from '../../generated/dynamodb.js';
import { indexSchemaOf } from './item-store.js';
import type { IndexRecord, TableRecord } from './tables.js';
import { tableSchema } from './tables.js';

const READ_UNIT = 4096;
const WRITE_UNIT = 1024;

export function readUnits(bytes: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(bytes / READ_UNIT));
  return consistent ? units : units / 2;
}

export function writeUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / WRITE_UNIT));
}

/** The attributes of an item an index holds: its keys, the table's keys, and the projected ones. */
export function projectForIndex(table: TableRecord, index: IndexRecord, item: Item): Item {
  if (index.projection.ProjectionType === 'ALL') return item;
  const names = new Set([...keyAttributes(tableSchema(table)), ...keyAttributes(indexSchemaOf(table, index))].map((a) => a.name));
  for (const name of index.projection.NonKeyAttributes ?? []) names.add(name);
  return Object.fromEntries(Object.entries(item).filter(([name]) => names.has(name)));
}

function inIndex(table: TableRecord, index: IndexRecord, item: Item | undefined): boolean {
  return item !== undefined && keyAttributes(indexSchemaOf(table, index)).every((a) => item[a.name] !== undefined);
}

/** Write units per index for one item change (index name -> units), only for indexes it touched. */
export function indexWriteUnits(table: TableRecord, oldItem: Item | undefined, newItem: Item | undefined): Map<string, number> {
  const units = new Map<string, number>();
  for (const index of [...table.lsis, ...table.gsis]) {
    const before = inIndex(table, index, oldItem) ? projectForIndex(table, index, oldItem!) : undefined;
    const after = inIndex(table, index, newItem) ? projectForIndex(table, index, newItem!) : undefined;
    if (before === undefined && after === undefined) continue;
    if (before !== undefined && after !== undefined) {
      if (valuesEqual({ M: before }, { M: after })) continue;
      const keyChanged = keyAttributes(indexSchemaOf(table, index)).some((a) => !valuesEqual(before[a.name], after[a.name]));
      units.set(index.name, keyChanged ? writeUnits(itemSize(before)) + writeUnits(itemSize(after)) : writeUnits(Math.max(itemSize(before), itemSize(after))));
    } else {
      units.set(index.name, writeUnits(itemSize((before ?? after)!)));
    }
  }
  return units;
}

export interface CapacityUse {
  table: number;
  indexes?: Map<string, number>;
  kind: 'read' | 'write';
}

/**
 * The ConsumedCapacity member for a request, or undefined when ReturnConsumedCapacity is NONE/absent. The
 * use may be given as a function, so that requests not asking for capacity do not size their items.
 */
export function consumedCapacity(table: TableRecord, given: CapacityUse | (() => CapacityUse), mode: ReturnConsumedCapacity | undefined): ConsumedCapacity | undefined {
  if (mode === undefined || mode === 'NONE') return undefined;
  const use = typeof given === 'function' ? given() : given;
  const split = (units: number): { CapacityUnits: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number } =>
    use.kind === 'read' ? { CapacityUnits: units, ReadCapacityUnits: units } : { CapacityUnits: units, WriteCapacityUnits: units };
  const indexTotal = [...(use.indexes ?? new Map<string, number>()).values()].reduce((a, b) => a + b, 0);
  const total = { TableName: table.name, ...split(use.table + indexTotal) };
  if (mode === 'TOTAL') return total;
  const lsiNames = new Set(table.lsis.map((i) => i.name));
  const pick = (local: boolean): Record<string, ReturnType<typeof split>> | undefined => {
    const entries = [...(use.indexes ?? new Map<string, number>())].filter(([name]) => lsiNames.has(name) === local);
    return entries.length === 0 ? undefined : Object.fromEntries(entries.map(([name, units]) => [name, split(units)]));
  };
  const lsis = pick(true);
  const gsis = pick(false);
  return { ...total, Table: split(use.table), ...(lsis ? { LocalSecondaryIndexes: lsis } : {}), ...(gsis ? { GlobalSecondaryIndexes: gsis } : {}) };
}
