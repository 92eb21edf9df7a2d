import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parquetFile, type Row, type Warehouse } from '../lib/duckdb';
import { PART_FILE, partitionDir, type Manifest } from '../lib/snapshots';

/**
 * The published tables of one date, read by path. A table the snapshot lacks (an older snapshot, a stage that
 * had too little data) or that has no rows is absent, and the sections that need it are left out.
 */
export class SnapshotTables {
  private constructor(
    readonly warehouse: Warehouse,
    readonly manifest: Manifest,
    private readonly files: Map<string, string>,
  ) {}

  static async open(warehouse: Warehouse, outDir: string, manifest: Manifest): Promise<SnapshotTables> {
    const files = new Map<string, string>();
    for (const [table, { rows }] of Object.entries(manifest.tables)) {
      const file = path.join(partitionDir(outDir, table, manifest.runDate), PART_FILE);
      if (rows > 0 && (await fs.access(file).then(() => true, () => false))) files.set(table, file);
    }
    return new SnapshotTables(warehouse, manifest, files);
  }

  has(...tables: string[]): boolean {
    return tables.every((table) => this.files.has(table));
  }

  /** The table as a FROM clause; only for tables that `has` confirmed. */
  from(table: string): string {
    const file = this.files.get(table);
    if (!file) throw new Error(`the snapshot of ${this.manifest.runDate} has no rows in ${table}`);
    return parquetFile(file);
  }

  /** Rows of a query, with DuckDB's BIGINT and DECIMAL turned into numbers for charts and tables. */
  async rows<T extends Row = Row>(sql: string): Promise<T[]> {
    const rows = await this.warehouse.rows(sql);
    return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]))) as T[];
  }
}
