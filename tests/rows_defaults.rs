//! Columns the database fills: `New<Model>` structs insert only the columns
//! given and read back the row the database made (serial and identity keys,
//! defaults, generated columns), on SQLite and PostgreSQL; a whole row
//! written with a key of its own moves PostgreSQL's sequence past it, so a
//! plain `INSERT` afterwards gets a fresh key. Raw SQL checks what each
//! database holds.
#![cfg(feature = "chrono")]
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    reason = "a test reports failure by panicking"
)]

use sqlschema::runtime::Executor;
use sqlschema::{Dialect, Record};

sqlschema::schema!(
    schema = "tests/fixtures/rows_defaults/schema.sql",
    migrations = "tests/fixtures/rows_defaults/migrations",
);

use models::{Counter, Mood, NewCounter, NewTicket, NewUser, Ticket, User};
use schema_test_support::pg;

/// A connection that lends an [`Executor`] for each call, and runs raw SQL.
trait Db {
    fn ex(&mut self) -> impl Executor + '_;
    /// The first column of the first row of `sql`, as text (`None` for NULL).
    fn text(&mut self, sql: &str) -> Option<String>;
}

impl Db for rusqlite::Connection {
    fn ex(&mut self) -> impl Executor + '_ {
        &*self
    }

    fn text(&mut self, sql: &str) -> Option<String> {
        self.query_row(sql, [], |r| {
            Ok(match r.get_ref(0)? {
                rusqlite::types::ValueRef::Null => None,
                rusqlite::types::ValueRef::Integer(i) => Some(i.to_string()),
                rusqlite::types::ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
                other => Some(format!("{other:?}")),
            })
        })
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

impl Db for postgres::Client {
    fn ex(&mut self) -> impl Executor + '_ {
        self
    }

    fn text(&mut self, sql: &str) -> Option<String> {
        let messages = self
            .simple_query(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        messages
            .iter()
            .find_map(|m| match m {
                postgres::SimpleQueryMessage::Row(row) => Some(row.get(0).map(str::to_string)),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{sql}: no row"))
    }
}

fn sqlite() -> rusqlite::Connection {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    for migration in MIGRATIONS.iter() {
        let script = migration.script(Dialect::Sqlite).unwrap();
        conn.execute_batch(script.up).unwrap();
    }
    conn
}

fn postgres(prefix: &str) -> Option<(pg::TestDatabase, postgres::Client)> {
    let server = pg::server()?;
    let database = server.create_database(prefix);
    let mut client = database.connect();
    for migration in MIGRATIONS.iter() {
        client.batch_execute(migration.postgres.up).unwrap();
    }
    Some((database, client))
}

fn ada() -> NewUser {
    NewUser {
        id: None,
        username: "ada".to_string(),
        created_at: None,
        nickname: None,
        mood: None,
    }
}

/// The same steps on either database, each judged by what it holds.
fn defaults_are_the_databases(db: &mut impl Db) {
    // Nothing given but the one column without a default.
    let before = chrono::Utc::now() - chrono::Duration::minutes(5);
    let made = ada().insert(db.ex()).unwrap();
    assert_eq!(made.id, 1, "the sequence numbered it");
    assert_eq!(made.username, "ada");
    assert!(made.created_at > before, "{:?}", made.created_at);
    assert_eq!(made.nickname.as_deref(), Some("anon"), "the default");
    assert_eq!(made.mood, Mood::Happy);
    assert_eq!(made.name_length, Some(3), "the generated column");
    assert_eq!(
        db.text("SELECT nickname FROM users WHERE id = 1")
            .as_deref(),
        Some("anon")
    );
    assert_eq!(User::find(db.ex(), 1).unwrap(), Some(made.clone()));

    // A nullable column with a default: `Some(None)` writes NULL.
    let null_nick = NewUser {
        username: "bob".to_string(),
        nickname: Some(None),
        mood: Some(Mood::Sad),
        ..ada()
    }
    .insert(db.ex())
    .unwrap();
    assert_eq!((null_nick.id, null_nick.nickname), (2, None));
    assert_eq!(db.text("SELECT nickname FROM users WHERE id = 2"), None);
    assert_eq!(
        db.text("SELECT mood FROM users WHERE id = 2").as_deref(),
        Some("sad")
    );

    // A key given: written as is; the next numbered row is past it.
    let given = NewUser {
        id: Some(10),
        username: "cy".to_string(),
        nickname: Some(Some("c".to_string())),
        ..ada()
    }
    .insert(db.ex())
    .unwrap();
    assert_eq!((given.id, given.nickname.as_deref()), (10, Some("c")));
    assert_eq!(ada().insert(db.ex()).unwrap().id, 11);

    // A whole row, its key included: the generated column is not written
    // (the database computes it), and a plain INSERT by SQL still works.
    let whole = User {
        id: 20,
        username: "dora".to_string(),
        created_at: made.created_at,
        nickname: None,
        mood: Mood::Sad,
        name_length: Some(999),
    };
    whole.insert(db.ex()).unwrap();
    assert_eq!(
        db.text("SELECT name_length FROM users WHERE id = 20")
            .as_deref(),
        Some("4")
    );
    assert_eq!(
        db.text("INSERT INTO users (username) VALUES ('plain') RETURNING id")
            .as_deref(),
        Some("21"),
        "the sequence moved past the row written"
    );
    // A key below the sequence's last value does not move it back.
    User {
        id: 5,
        ..whole.clone()
    }
    .insert(db.ex())
    .unwrap();
    assert_eq!(ada().insert(db.ex()).unwrap().id, 22);

    // An update leaves the generated column to the database.
    let renamed = User {
        username: "dorothea".to_string(),
        ..whole.clone()
    };
    assert!(renamed.update(db.ex()).unwrap());
    assert_eq!(
        User::find(db.ex(), 20).unwrap().unwrap().name_length,
        Some(8)
    );
    assert!(User::delete_by_key(db.ex(), 20).unwrap());
    assert!(!User::delete_by_key(db.ex(), 20).unwrap());
    assert_eq!(User::find(db.ex(), 20).unwrap(), None);

    // `GENERATED ALWAYS AS IDENTITY`: not a field of the insert struct; with
    // nothing given, `DEFAULT VALUES`.
    let ticket = NewTicket { title: None }.insert(db.ex()).unwrap();
    assert_eq!(
        ticket,
        Ticket {
            id: 1,
            title: "untitled".to_string()
        }
    );
    let ticket = NewTicket {
        title: Some("bug".to_string()),
    }
    .insert(db.ex())
    .unwrap();
    assert_eq!(ticket.id, 2);
    // A whole row writes it (`OVERRIDING SYSTEM VALUE`) and moves it on.
    Ticket {
        id: 50,
        title: "imported".to_string(),
    }
    .insert(db.ex())
    .unwrap();
    assert_eq!(NewTicket { title: None }.insert(db.ex()).unwrap().id, 51);
    let renamed = Ticket {
        id: 50,
        title: "renamed".to_string(),
    };
    assert!(renamed.update(db.ex()).unwrap());
    assert_eq!(Ticket::find(db.ex(), 50).unwrap(), Some(renamed));

    // `GENERATED BY DEFAULT AS IDENTITY`: an optional field.
    let counter = NewCounter {
        id: None,
        hits: None,
    }
    .insert(db.ex())
    .unwrap();
    assert_eq!(counter, Counter { id: 1, hits: 0 });
    let counter = NewCounter {
        id: Some(7),
        hits: Some(3),
    }
    .insert(db.ex())
    .unwrap();
    assert_eq!(counter, Counter { id: 7, hits: 3 });
    assert_eq!(
        db.text("INSERT INTO counters DEFAULT VALUES RETURNING id")
            .as_deref(),
        Some("8")
    );
    assert_eq!(
        db.text("SELECT count(*) FROM counters").as_deref(),
        Some("3")
    );
}

#[test]
fn sqlite_fills_defaults_and_reads_the_row_back() {
    defaults_are_the_databases(&mut sqlite());
}

#[test]
fn postgres_fills_defaults_and_moves_sequences() {
    let Some((_database, mut client)) = postgres("rows_defaults") else {
        return;
    };
    defaults_are_the_databases(&mut client);
    // The sequences stand past every row: plain inserts keep working.
    let last: i64 = client
        .query_one("SELECT last_value FROM users_id_seq", &[])
        .unwrap()
        .get(0);
    assert_eq!(last, 22);
}

#[test]
fn the_record_names_the_columns_the_database_fills() {
    assert_eq!(User::GENERATED_COLUMNS, ["name_length"]);
    assert_eq!(User::SEQUENCE_COLUMNS, [("id", "users_id_seq")]);
    assert_eq!(Ticket::ALWAYS_IDENTITY_COLUMNS, ["id"]);
    assert_eq!(Ticket::SEQUENCE_COLUMNS, [("id", "")]);
    assert!(Counter::ALWAYS_IDENTITY_COLUMNS.is_empty());
}

/// The same schema with derives and attributes from the macro's arguments:
/// `Eq` and `Hash` on every model, `Default` and an order on one table's,
/// which its insert struct gets too.
mod derived {
    use std::collections::HashSet;

    use super::{Db, pg};
    use sqlschema::Dialect;

    sqlschema::schema!(
        schema = "tests/fixtures/rows_defaults/schema.sql",
        migrations = "tests/fixtures/rows_defaults/migrations",
        derive(Eq, Hash),
        derive(counters: Default, PartialOrd, Ord),
        attr(counters: must_use),
    );

    use models::{Counter, NewCounter, User};

    fn counters(db: &mut impl Db) {
        // `Default` on the insert struct: every column left to the database.
        let first = NewCounter::default().insert(db.ex()).unwrap();
        let second = NewCounter {
            hits: Some(5),
            ..NewCounter::default()
        }
        .insert(db.ex())
        .unwrap();
        assert_eq!(
            db.text("SELECT sum(hits) FROM counters").as_deref(),
            Some("5")
        );
        let mut all = Counter::all(db.ex()).unwrap();
        all.sort_by(|a, b| b.cmp(a));
        assert_eq!(
            all,
            [second.clone(), first.clone()],
            "ordered by id, then hits"
        );
        let set: HashSet<Counter> = [first.clone(), first, second].into_iter().collect();
        assert_eq!(set.len(), 2);
        assert_eq!(Counter::default(), Counter { id: 0, hits: 0 });
        let users: HashSet<User> = User::all(db.ex()).unwrap().into_iter().collect();
        assert!(users.is_empty());
    }

    #[test]
    fn derives_from_the_arguments_apply_on_sqlite_and_postgres() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        for migration in MIGRATIONS.iter() {
            conn.execute_batch(migration.script(Dialect::Sqlite).unwrap().up)
                .unwrap();
        }
        let mut conn = conn;
        counters(&mut conn);
        if let Some(server) = pg::server() {
            let database = server.create_database("rows_derived_args");
            let mut client = database.connect();
            for migration in MIGRATIONS.iter() {
                client.batch_execute(migration.postgres.up).unwrap();
            }
            counters(&mut client);
        }
    }
}

/// `sqlschema::connect(url)` gives a `Box<dyn Driver>` that migrates and then
/// moves the generated models' rows (`User::find(&mut db, id)`), on a SQLite
/// file and on PostgreSQL; each database is asked afterwards what it holds.
/// A driver that lends no connection (an async driver run blocking) fails a
/// model's method with `RowError::NoConnection`, saying what to use.
mod on_connect {
    use sqlschema::runtime::connect::{ConnectOptions, PostgresDriverKind, connect_with};
    use sqlschema::{Driver, Migrator, RowError};

    use super::{MIGRATIONS, ada, models::User, pg};

    /// Migrates `db`, then inserts, finds, updates, lists and deletes through it,
    /// each way a caller holds it (`&mut Box<dyn Driver>`, `&mut dyn Driver`).
    fn rows_through(db: &mut Box<dyn Driver>) -> User {
        Migrator::new(&MIGRATIONS).up(&mut **db).unwrap();
        let made = ada().insert(&mut *db).unwrap();
        assert_eq!(made.username, "ada");
        assert_eq!(
            made.nickname.as_deref(),
            Some("anon"),
            "the default was left to the database"
        );
        let found = User::find(&mut **db, made.id).unwrap();
        assert_eq!(found.as_ref(), Some(&made));
        let mut renamed = made.clone();
        renamed.username = "grace".to_string();
        assert!(renamed.update(&mut *db).unwrap());
        let second = ada().insert(&mut *db).unwrap();
        assert_ne!(second.id, made.id, "the database numbered the second row");
        let all = User::all(&mut *db).unwrap();
        let names: Vec<&str> = all.iter().map(|u| u.username.as_str()).collect();
        assert_eq!(names, ["grace", "ada"]);
        assert!(User::delete_by_key(&mut *db, second.id).unwrap());
        assert!(!User::delete_by_key(&mut *db, second.id).unwrap());
        User::find(&mut *db, made.id).unwrap().unwrap()
    }

    #[test]
    fn sqlite_driver_from_connect_moves_rows() {
        let dir = std::env::temp_dir().join(format!("rows_on_connect_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("app.db");
        let _ = std::fs::remove_file(&file);
        let mut db = sqlschema::connect(&format!("sqlite://{}", file.display())).unwrap();
        let grace = rows_through(&mut db);
        drop(db);
        // What the file holds, asked without us.
        let conn = rusqlite::Connection::open(&file).unwrap();
        let held: Vec<(i64, String, String)> = conn
            .prepare("SELECT id, username, nickname FROM users ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(held, [(grace.id, "grace".to_string(), "anon".to_string())]);
        drop(conn);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn postgres_driver_from_connect_moves_rows() {
        let Some(server) = pg::server() else {
            return;
        };
        let database = server.create_database("rows_on_connect");
        let mut db = sqlschema::connect(&database.url()).unwrap();
        let grace = rows_through(&mut db);
        drop(db);
        let mut client = database.connect();
        let held: Vec<(i64, String, String)> = client
            .query("SELECT id, username, nickname FROM users ORDER BY id", &[])
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        assert_eq!(held, [(grace.id, "grace".to_string(), "anon".to_string())]);
        // The sequence moved with the rows the database numbered: a plain insert
        // gets a fresh key.
        let next: i64 = client
            .query_one(
                "INSERT INTO users (username) VALUES ('x') RETURNING id",
                &[],
            )
            .unwrap()
            .get(0);
        assert!(next > grace.id + 1, "{next} after {}", grace.id);
    }

    #[test]
    fn an_async_driver_run_blocking_lends_no_connection_and_says_so() {
        let Some(server) = pg::server() else {
            return;
        };
        let database = server.create_database("rows_on_connect_async");
        let options = ConnectOptions {
            postgres_driver: PostgresDriverKind::TokioPostgres,
            ..ConnectOptions::default()
        };
        let mut db = connect_with(&database.url(), &options).unwrap();
        Migrator::new(&MIGRATIONS).up(&mut *db).unwrap();
        let error = ada().insert(&mut db).unwrap_err();
        assert!(matches!(error, RowError::NoConnection), "{error:?}");
        let text = error.to_string();
        assert!(
            text.contains("lends no connection") && text.contains("_async"),
            "{text}"
        );
        let count: i64 = database
            .connect()
            .query_one("SELECT count(*) FROM users", &[])
            .unwrap()
            .get(0);
        assert_eq!(count, 0, "nothing was written");
    }
}
