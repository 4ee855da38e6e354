/**
 * The reference store on SQLite (better-sqlite3). One file, WAL mode so that
 * reads do not wait for writes, and schema migrations run on open, numbered
 * by SQLite's own user_version.
 */
import Database from 'better-sqlite3';
import type { QueueApplication } from '../../src/api/protocol.js';
import type {
  LocalizedText,
  StoredApplication,
  ChallengeRecord,
  ChildRecord,
  EgovSessionRecord,
  EgovSessionState,
  EgovSigner,
  LinkRecord,
  SessionRecord,
  Store,
  UserRecord,
} from './store.js';

type Db = Database.Database;

/**
 * Each entry moves the schema one version up; append, never edit, so that a
 * database made by an older release upgrades in order.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE challenges (
    id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    binding_hash TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX challenges_expiry ON challenges (expires_at);

  CREATE TABLE users (
    iin TEXT PRIMARY KEY,
    full_name TEXT NOT NULL,
    email TEXT,
    created_at INTEGER NOT NULL,
    last_login_at INTEGER NOT NULL
  );

  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_iin TEXT NOT NULL REFERENCES users (iin),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX sessions_expiry ON sessions (expires_at);

  CREATE TABLE children (
    iin TEXT PRIMARY KEY,
    full_name TEXT NOT NULL,
    birth_date TEXT NOT NULL
  );

  CREATE TABLE applications (
    number TEXT PRIMARY KEY,
    child_iin TEXT NOT NULL REFERENCES children (iin) ON DELETE CASCADE,
    kindergartens TEXT NOT NULL,
    queue_position INTEGER NOT NULL,
    status TEXT NOT NULL,
    submitted_on TEXT NOT NULL
  );
  CREATE INDEX applications_child ON applications (child_iin);

  -- One linked parent per child: the primary key makes the "already linked
  -- to someone" check and the insert one atomic step.
  CREATE TABLE links (
    child_iin TEXT PRIMARY KEY,
    parent_iin TEXT NOT NULL,
    linked_at INTEGER NOT NULL
  );
  CREATE INDEX links_parent ON links (parent_iin);
  `,
  // 2: eGov mobile signing sessions, so that they survive a restart and
  // any server process on this file can serve any step of one.
  `
  CREATE TABLE egov_sessions (
    id TEXT PRIMARY KEY,
    binding_hash TEXT NOT NULL,
    token_hash TEXT,
    challenge TEXT NOT NULL,
    origin TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    failure TEXT,
    signer TEXT
  );
  CREATE INDEX egov_sessions_expiry ON egov_sessions (expires_at);
  `,
  // 3: kindergarten names in kk, ru and en (JSON of LocalizedText[]); the
  // older column keeps the Kazakh names, for rows written before.
  `
  ALTER TABLE applications ADD COLUMN kindergarten_names TEXT;
  `,
];

/** Opens (creating if needed) a SQLite database and brings it up to date. */
export function openDatabase(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // Another process (a second server, a migration) may hold the write lock
  // for a moment; wait rather than fail.
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

interface ChallengeRow {
  id: string;
  text: string;
  binding_hash: string;
  issued_at: number;
  expires_at: number;
  used: number;
}

interface EgovSessionRow {
  id: string;
  binding_hash: string;
  token_hash: string | null;
  challenge: string;
  origin: string;
  expires_at: number;
  state: EgovSessionState;
  failure: string | null;
  /** JSON of an EgovSigner. */
  signer: string | null;
}

interface UserRow {
  iin: string;
  full_name: string;
  email: string | null;
  created_at: number;
  last_login_at: number;
}

interface SessionRow {
  token_hash: string;
  user_iin: string;
  created_at: number;
  expires_at: number;
}

interface ChildRow {
  iin: string;
  full_name: string;
  birth_date: string;
}

interface ApplicationRow {
  number: string;
  child_iin: string;
  /** JSON of the Kazakh names. */
  kindergartens: string;
  /** JSON of LocalizedText[]; null in rows from before version 3. */
  kindergarten_names: string | null;
  queue_position: number;
  status: QueueApplication['status'];
  submitted_on: string;
}

interface LinkRow {
  child_iin: string;
  parent_iin: string;
  linked_at: number;
}

function toUser(row: UserRow): UserRecord {
  return {
    iin: row.iin,
    fullName: row.full_name,
    email: row.email,
    createdAt: new Date(row.created_at),
    lastLoginAt: new Date(row.last_login_at),
  };
}

function toApplication(row: ApplicationRow): StoredApplication {
  // An older row knows one name per kindergarten: it stands for all three.
  const names = row.kindergarten_names
    ? (JSON.parse(row.kindergarten_names) as LocalizedText[])
    : (JSON.parse(row.kindergartens) as string[]).map((kk) => ({
        kk,
        ru: kk,
        en: kk,
      }));
  return {
    number: row.number,
    kindergartens: names,
    queuePosition: row.queue_position,
    status: row.status,
    submittedOn: row.submitted_on,
  };
}

export class SqliteStore implements Store {
  readonly db: Db;
  readonly #ownsDb: boolean;

  /**
   * Takes a file name (the store opens and closes it) or an open database
   * shared with others, e.g. the demo registry.
   */
  constructor(fileOrDb: string | Db) {
    this.#ownsDb = typeof fileOrDb === 'string';
    this.db = typeof fileOrDb === 'string' ? openDatabase(fileOrDb) : fileOrDb;
    if (!this.#ownsDb) migrate(this.db);
  }

  async saveChallenge(c: ChallengeRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO challenges
           (id, text, binding_hash, issued_at, expires_at, used)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        c.id,
        c.text,
        c.bindingHash,
        c.issuedAt.getTime(),
        c.expiresAt.getTime(),
        c.used ? 1 : 0,
      );
  }

  async findChallenge(id: string): Promise<ChallengeRecord | null> {
    const row = this.db
      .prepare('SELECT * FROM challenges WHERE id = ?')
      .get(id) as ChallengeRow | undefined;
    if (!row) return null;
    return {
      id: row.id,
      text: row.text,
      bindingHash: row.binding_hash,
      issuedAt: new Date(row.issued_at),
      expiresAt: new Date(row.expires_at),
      used: row.used !== 0,
    };
  }

  async consumeChallenge(id: string, now: Date): Promise<boolean> {
    const result = this.db
      .prepare(
        `UPDATE challenges SET used = 1
         WHERE id = ? AND used = 0 AND expires_at > ?`,
      )
      .run(id, now.getTime());
    return result.changes === 1;
  }

  async saveEgovSession(e: EgovSessionRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO egov_sessions (id, binding_hash, token_hash, challenge,
           origin, expires_at, state, failure, signer)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        e.id,
        e.bindingHash,
        e.tokenHash,
        e.challenge,
        e.origin,
        e.expiresAt.getTime(),
        e.state,
        e.failure,
        e.signer ? JSON.stringify(e.signer) : null,
      );
  }

  async findEgovSession(id: string): Promise<EgovSessionRecord | null> {
    const row = this.db
      .prepare('SELECT * FROM egov_sessions WHERE id = ?')
      .get(id) as EgovSessionRow | undefined;
    if (!row) return null;
    return {
      id: row.id,
      bindingHash: row.binding_hash,
      tokenHash: row.token_hash,
      challenge: row.challenge,
      origin: row.origin,
      expiresAt: new Date(row.expires_at),
      state: row.state,
      failure: row.failure,
      signer: row.signer ? (JSON.parse(row.signer) as EgovSigner) : null,
    };
  }

  async setEgovToken(
    id: string,
    tokenHash: string,
    now: Date,
  ): Promise<boolean> {
    const result = this.db
      .prepare(
        `UPDATE egov_sessions SET token_hash = ?
         WHERE id = ? AND state = 'pending' AND expires_at > ?`,
      )
      .run(tokenHash, id, now.getTime());
    return result.changes === 1;
  }

  async claimEgovSession(
    id: string,
    tokenHash: string,
    now: Date,
  ): Promise<boolean> {
    // The token is in the condition too: a phone that read API-1 again
    // in the meantime has made the older token worthless.
    const result = this.db
      .prepare(
        `UPDATE egov_sessions SET state = 'verifying'
         WHERE id = ? AND state = 'pending' AND token_hash = ?
           AND expires_at > ?`,
      )
      .run(id, tokenHash, now.getTime());
    return result.changes === 1;
  }

  async finishEgovSigning(
    id: string,
    outcome: { signer: EgovSigner } | { failure: string },
  ): Promise<void> {
    const signed = 'signer' in outcome;
    this.db
      .prepare(
        `UPDATE egov_sessions SET state = ?, signer = ?, failure = ?
         WHERE id = ? AND state = 'verifying'`,
      )
      .run(
        signed ? 'signed' : 'failed',
        signed ? JSON.stringify(outcome.signer) : null,
        signed ? null : outcome.failure,
        id,
      );
  }

  async completeEgovSession(id: string): Promise<EgovSigner | null> {
    // One statement: the state check, the change and the read of the
    // signer cannot be split by another process's poll.
    const row = this.db
      .prepare(
        `UPDATE egov_sessions SET state = 'done'
         WHERE id = ? AND state = 'signed'
         RETURNING signer`,
      )
      .get(id) as { signer: string | null } | undefined;
    return row?.signer ? (JSON.parse(row.signer) as EgovSigner) : null;
  }

  async deleteEgovSession(id: string): Promise<void> {
    this.db.prepare('DELETE FROM egov_sessions WHERE id = ?').run(id);
  }

  async upsertUser(
    iin: string,
    fullName: string,
    now: Date,
  ): Promise<UserRecord> {
    const row = this.db
      .prepare(
        `INSERT INTO users (iin, full_name, email, created_at, last_login_at)
         VALUES (?, ?, NULL, ?, ?)
         ON CONFLICT (iin) DO UPDATE SET
           full_name = excluded.full_name,
           last_login_at = excluded.last_login_at
         RETURNING *`,
      )
      .get(iin, fullName, now.getTime(), now.getTime()) as UserRow;
    return toUser(row);
  }

  async findUser(iin: string): Promise<UserRecord | null> {
    const row = this.db.prepare('SELECT * FROM users WHERE iin = ?').get(iin) as
      | UserRow
      | undefined;
    return row ? toUser(row) : null;
  }

  async setUserEmail(iin: string, email: string): Promise<UserRecord | null> {
    const row = this.db
      .prepare('UPDATE users SET email = ? WHERE iin = ? RETURNING *')
      .get(email, iin) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  async createSession(s: SessionRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO sessions (token_hash, user_iin, created_at, expires_at)
         VALUES (?, ?, ?, ?)`,
      )
      .run(
        s.tokenHash,
        s.userIin,
        s.createdAt.getTime(),
        s.expiresAt.getTime(),
      );
  }

  async findSession(tokenHash: string): Promise<SessionRecord | null> {
    const row = this.db
      .prepare('SELECT * FROM sessions WHERE token_hash = ?')
      .get(tokenHash) as SessionRow | undefined;
    if (!row) return null;
    return {
      tokenHash: row.token_hash,
      userIin: row.user_iin,
      createdAt: new Date(row.created_at),
      expiresAt: new Date(row.expires_at),
    };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  async deleteSessionsOf(userIin: string): Promise<number> {
    return this.db
      .prepare('DELETE FROM sessions WHERE user_iin = ?')
      .run(userIin).changes;
  }

  async putChild(child: ChildRecord): Promise<void> {
    const putChild = this.db.prepare(
      `INSERT INTO children (iin, full_name, birth_date) VALUES (?, ?, ?)
       ON CONFLICT (iin) DO UPDATE SET
         full_name = excluded.full_name, birth_date = excluded.birth_date`,
    );
    const dropApplications = this.db.prepare(
      'DELETE FROM applications WHERE child_iin = ?',
    );
    const putApplication = this.db.prepare(
      `INSERT INTO applications (number, child_iin, kindergartens,
         kindergarten_names, queue_position, status, submitted_on)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      putChild.run(child.iin, child.fullName, child.birthDate);
      dropApplications.run(child.iin);
      for (const a of child.applications) {
        putApplication.run(
          a.number,
          child.iin,
          JSON.stringify(a.kindergartens.map((k) => k.kk)),
          JSON.stringify(a.kindergartens),
          a.queuePosition,
          a.status,
          a.submittedOn,
        );
      }
    })();
  }

  async findChild(iin: string): Promise<ChildRecord | null> {
    const row = this.db
      .prepare('SELECT * FROM children WHERE iin = ?')
      .get(iin) as ChildRow | undefined;
    return row ? this.#withApplications(row) : null;
  }

  #withApplications(row: ChildRow): ChildRecord {
    const applications = this.db
      .prepare(
        `SELECT * FROM applications WHERE child_iin = ?
         ORDER BY submitted_on, number`,
      )
      .all(row.iin) as ApplicationRow[];
    return {
      iin: row.iin,
      fullName: row.full_name,
      birthDate: row.birth_date,
      applications: applications.map(toApplication),
    };
  }

  async findLink(childIin: string): Promise<LinkRecord | null> {
    const row = this.db
      .prepare('SELECT * FROM links WHERE child_iin = ?')
      .get(childIin) as LinkRow | undefined;
    if (!row) return null;
    return {
      parentIin: row.parent_iin,
      childIin: row.child_iin,
      linkedAt: new Date(row.linked_at),
    };
  }

  async createLink(
    parentIin: string,
    childIin: string,
    now: Date,
  ): Promise<boolean> {
    const result = this.db
      .prepare(
        `INSERT INTO links (child_iin, parent_iin, linked_at) VALUES (?, ?, ?)
         ON CONFLICT (child_iin) DO NOTHING`,
      )
      .run(childIin, parentIin, now.getTime());
    return result.changes === 1;
  }

  async listChildrenOf(parentIin: string): Promise<ChildRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT children.* FROM links
         JOIN children ON children.iin = links.child_iin
         WHERE links.parent_iin = ?
         ORDER BY links.linked_at, children.iin`,
      )
      .all(parentIin) as ChildRow[];
    return rows.map((row) => this.#withApplications(row));
  }

  async purgeExpired(before: Date): Promise<void> {
    const at = before.getTime();
    this.db.prepare('DELETE FROM challenges WHERE expires_at <= ?').run(at);
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(at);
    this.db
      .prepare('DELETE FROM egov_sessions WHERE expires_at <= ?')
      .run(at);
  }

  async close(): Promise<void> {
    if (this.#ownsDb) this.db.close();
  }
}
