/**
 * A population registry for the demo and the tests: a table of
 * parent-child pairs, seeded with the demo families (demo-seed.ts).
 */
import type Database from 'better-sqlite3';
import type { PopulationRegistry } from './population-registry.js';

export type Relation = 'mother' | 'father' | 'guardian';

export class DemoRegistry implements PopulationRegistry {
  readonly #db: Database.Database;

  /** Keeps its table in the given database, creating it if needed. */
  constructor(db: Database.Database) {
    this.#db = db;
    db.exec(`
      CREATE TABLE IF NOT EXISTS registry_kinship (
        parent_iin TEXT NOT NULL,
        child_iin TEXT NOT NULL,
        relation TEXT NOT NULL,
        PRIMARY KEY (parent_iin, child_iin)
      )
    `);
  }

  async isParentOf(parentIin: string, childIin: string): Promise<boolean> {
    const row = this.#db
      .prepare(
        `SELECT 1 FROM registry_kinship
         WHERE parent_iin = ? AND child_iin = ?`,
      )
      .get(parentIin, childIin);
    return row !== undefined;
  }

  /** Records a relation; recording it again changes nothing. */
  async addRelation(
    parentIin: string,
    childIin: string,
    relation: Relation,
  ): Promise<void> {
    this.#db
      .prepare(
        `INSERT INTO registry_kinship (parent_iin, child_iin, relation)
         VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(parentIin, childIin, relation);
  }
}
