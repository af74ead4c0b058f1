//! Generated models are `sqlx::FromRow` (feature `sqlx`, which the tests
//! turn on) and generated enums `sqlx::Type`: rows written through the
//! generated methods read back with `sqlx::query_as` on PostgreSQL and
//! SQLite, field by column name (`#[sqlx(rename)]` where they differ), enum
//! labels included; and rows sqlx writes read back through the models.
#![cfg(all(feature = "chrono", feature = "sqlx"))]
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    reason = "a test reports failure by panicking"
)]

use sqlschema::Dialect;

sqlschema::schema!(
    schema = "tests/fixtures/rows_defaults/schema.sql",
    migrations = "tests/fixtures/rows_defaults/migrations",
);

use models::{Counter, Mood, NewUser, User};
use schema_test_support::pg;

fn users() -> [NewUser; 2] {
    [
        NewUser {
            id: None,
            username: "ada".to_string(),
            created_at: None,
            nickname: Some(None),
            mood: Some(Mood::Sad),
        },
        NewUser {
            id: Some(40),
            username: "grace".to_string(),
            created_at: None,
            nickname: None,
            mood: None,
        },
    ]
}

/// A runtime for sqlx's futures, outside of which the blocking clients run.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn postgres_rows_read_back_with_sqlx_query_as() {
    let Some(server) = pg::server() else {
        return;
    };
    let database = server.create_database("sqlx_rows");
    let mut client = database.connect();
    for migration in MIGRATIONS.iter() {
        client.batch_execute(migration.postgres.up).unwrap();
    }
    let written: Vec<User> = users()
        .iter()
        .map(|u| u.insert(&mut client).unwrap())
        .collect();
    runtime().block_on(async {
        let mut conn: sqlx::PgConnection =
            sqlx::Connection::connect(&database.url()).await.unwrap();
        let read: Vec<User> = sqlx::query_as::<_, User>("SELECT * FROM users ORDER BY id")
            .fetch_all(&mut conn)
            .await
            .unwrap();
        assert_eq!(read, written);
        assert_eq!(read[0].mood, Mood::Sad, "the enum's label, by name");
        assert_eq!(read[1].name_length, Some(5), "the generated column");
        // An enum as a parameter and a result of its own.
        let moods: Vec<(Mood,)> = sqlx::query_as("SELECT mood FROM users WHERE mood = $1")
            .bind(Mood::Happy)
            .fetch_all(&mut conn)
            .await
            .unwrap();
        assert_eq!(moods, [(Mood::Happy,)]);
        // A row sqlx writes, read through the generated model below.
        sqlx::query("INSERT INTO counters (hits) VALUES ($1)")
            .bind(9_i32)
            .execute(&mut conn)
            .await
            .unwrap();
    });
    assert_eq!(
        Counter::all(&mut client).unwrap(),
        [Counter { id: 1, hits: 9 }]
    );
}

#[test]
fn sqlite_rows_read_back_with_sqlx_query_as() {
    let dir = std::env::temp_dir().join(format!("sqlschema-sqlx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("rows.db");
    let _ = std::fs::remove_file(&path);
    let conn = rusqlite::Connection::open(&path).unwrap();
    for migration in MIGRATIONS.iter() {
        conn.execute_batch(migration.script(Dialect::Sqlite).unwrap().up)
            .unwrap();
    }
    let written: Vec<User> = users().iter().map(|u| u.insert(&conn).unwrap()).collect();
    let url = format!("sqlite://{}", path.display());
    runtime().block_on(async {
        let mut lite: sqlx::SqliteConnection = sqlx::Connection::connect(&url).await.unwrap();
        let read: Vec<User> = sqlx::query_as::<_, User>("SELECT * FROM users ORDER BY id")
            .fetch_all(&mut lite)
            .await
            .unwrap();
        assert_eq!(read, written);
        assert_eq!(read[1].id, 40);
        assert_eq!(read[1].nickname.as_deref(), Some("anon"));
        sqlx::query("INSERT INTO counters (hits) VALUES (?1)")
            .bind(3_i32)
            .execute(&mut lite)
            .await
            .unwrap();
    });
    assert_eq!(Counter::all(&conn).unwrap(), [Counter { id: 1, hits: 3 }]);
    drop(conn);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The async methods inside a transaction (`&mut *tx`) and on a pool's own
/// connection (`&mut *conn`): a rolled-back insert leaves no row, a
/// committed one stays, as PostgreSQL reports afterwards.
#[test]
fn postgres_async_rows_in_sqlx_transactions() {
    let Some(server) = pg::server() else {
        return;
    };
    let database = server.create_database("sqlx_rows_tx");
    let mut client = database.connect();
    for migration in MIGRATIONS.iter() {
        client.batch_execute(migration.postgres.up).unwrap();
    }
    let [ada, grace] = users();
    runtime().block_on(async {
        let pool = sqlx::PgPool::connect(&database.url()).await.unwrap();
        let mut tx = pool.begin().await.unwrap();
        let gone = ada.insert_async(&mut *tx).await.unwrap();
        let seen = User::find_async(&mut *tx, gone.id).await.unwrap();
        assert_eq!(
            seen.as_ref(),
            Some(&gone),
            "the transaction sees its own row"
        );
        tx.rollback().await.unwrap();
        assert_eq!(User::find_async(&pool, gone.id).await.unwrap(), None);

        let mut tx = pool.begin().await.unwrap();
        let kept = grace.insert_async(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        let mut conn = pool.acquire().await.unwrap();
        assert_eq!(User::all_async(&mut *conn).await.unwrap(), [kept]);
    });
    let names: Vec<String> = client
        .query("SELECT username FROM users", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(names, ["grace"]);
}

/// The same on tokio-postgres: `&tokio_postgres::Transaction`.
#[test]
fn postgres_async_rows_in_a_tokio_postgres_transaction() {
    let Some(server) = pg::server() else {
        return;
    };
    let database = server.create_database("tokio_rows_tx");
    let mut client = database.connect();
    for migration in MIGRATIONS.iter() {
        client.batch_execute(migration.postgres.up).unwrap();
    }
    let [ada, grace] = users();
    runtime().block_on(async {
        let (mut tokio_client, connection) =
            tokio_postgres::connect(&database.url(), tokio_postgres::NoTls)
                .await
                .unwrap();
        let driving = tokio::spawn(connection);
        let tx = tokio_client.transaction().await.unwrap();
        let gone = ada.insert_async(&tx).await.unwrap();
        assert!(User::find_async(&tx, gone.id).await.unwrap().is_some());
        tx.rollback().await.unwrap();
        let tx = tokio_client.transaction().await.unwrap();
        grace.insert_async(&tx).await.unwrap();
        tx.commit().await.unwrap();
        drop(tokio_client);
        driving.await.unwrap().unwrap();
    });
    let names: Vec<String> = client
        .query("SELECT username FROM users", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(names, ["grace"]);
}

#[test]
fn sqlite_async_rows_in_an_sqlx_transaction() {
    let dir = std::env::temp_dir().join(format!("sqlschema-sqlx-tx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("rows.db");
    let _ = std::fs::remove_file(&path);
    let conn = rusqlite::Connection::open(&path).unwrap();
    for migration in MIGRATIONS.iter() {
        conn.execute_batch(migration.script(Dialect::Sqlite).unwrap().up)
            .unwrap();
    }
    let [ada, grace] = users();
    let url = format!("sqlite://{}", path.display());
    runtime().block_on(async {
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let mut tx = pool.begin().await.unwrap();
        let gone = ada.insert_async(&mut *tx).await.unwrap();
        assert!(User::find_async(&mut *tx, gone.id).await.unwrap().is_some());
        tx.rollback().await.unwrap();
        let mut tx = pool.begin().await.unwrap();
        let kept = grace.insert_async(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        let mut lite = pool.acquire().await.unwrap();
        assert_eq!(User::all_async(&mut *lite).await.unwrap(), [kept]);
        drop(lite);
        pool.close().await;
    });
    let names: Vec<String> = conn
        .prepare("SELECT username FROM users")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(names, ["grace"]);
    drop(conn);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The `_async` methods return futures that are `Send` whenever the
/// connection is, as `async fn`s' would be: a multi-threaded runtime (`tokio::spawn`)
/// can run them. Nothing is awaited: making the futures runs nothing.
#[test]
fn async_row_futures_are_send() {
    fn send<T: Send>(future: T) -> T {
        future
    }
    // A row's own methods, checked by the compiler (no row is needed).
    fn of_a_row(user: &User, pool: &sqlx::PgPool) {
        drop((
            send(user.insert_async(pool)),
            send(user.update_async(pool)),
            send(user.delete_async(pool)),
        ));
    }
    runtime().block_on(async {
        let pool = sqlx::PgPool::connect_lazy("postgres://127.0.0.1:1/none").unwrap();
        let [ada, _] = users();
        let futures = (
            send(ada.insert_async(&pool)),
            send(User::all_async(&pool)),
            send(User::find_async(&pool, 1)),
            send(User::delete_by_key_async(&pool, 1)),
        );
        drop(futures);
    });
    let _: fn(&User, &sqlx::PgPool) = of_a_row;
}
