//! The SQLite and PostgreSQL migrations are written twice, by hand: this test migrates both and
//! checks that they define the same tables, columns (name, nullability, kind of type) and
//! indexes (name, table, columns, uniqueness), so that a migration added to one set only fails.

use std::collections::BTreeMap;

use sqlx::Row;

/// table → column → (kind, not null)
type Columns = BTreeMap<String, BTreeMap<String, (String, bool)>>;
/// index name → (table, columns, unique)
type Indexes = BTreeMap<String, (String, Vec<String>, bool)>;

fn kind(declared: &str) -> String {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") || t.contains("serial") {
        "integer"
    } else if t.contains("char") || t.contains("text") {
        "text"
    } else if t.contains("real")
        || t.contains("double")
        || t.contains("float")
        || t.contains("numeric")
    {
        "real"
    } else if t.contains("blob") || t.contains("bytea") {
        "bytes"
    } else {
        "other"
    }
    .to_string()
}

async fn sqlite_schema(url: &str) -> (Columns, Indexes) {
    let store = storage::Store::connect(url).await.expect("open SQLite");
    store.migrate().await.expect("migrate SQLite");
    let pool = store.pool();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name NOT LIKE '_sqlx%' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .expect("tables");
    let mut columns = Columns::new();
    let mut indexes = Indexes::new();
    for t in &tables {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT name, type, \"notnull\" AS nn, pk FROM pragma_table_info('{t}')"
        )))
        .fetch_all(pool)
        .await
        .expect("columns");
        let cols = columns.entry(t.clone()).or_default();
        for r in rows {
            let name: String = r.get("name");
            let ty: String = r.get("type");
            let nn: i64 = r.get("nn");
            let pk: i64 = r.get("pk");
            cols.insert(name, (kind(&ty), nn == 1 || pk > 0));
        }
        // Explicit indexes only: those of PRIMARY KEY and UNIQUE constraints have no SQL.
        let idx = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT l.name, l.\"unique\" AS u FROM pragma_index_list('{t}') l \
             JOIN sqlite_master m ON m.type = 'index' AND m.name = l.name WHERE m.sql IS NOT NULL"
        )))
        .fetch_all(pool)
        .await
        .expect("indexes");
        for r in idx {
            let name: String = r.get("name");
            let unique: i64 = r.get("u");
            let cols: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT COALESCE(name, '<expr>') FROM pragma_index_info('{name}') ORDER BY seqno"
            )))
            .fetch_all(pool)
            .await
            .expect("index columns");
            indexes.insert(name, (t.clone(), cols, unique == 1));
        }
    }
    store.close().await;
    (columns, indexes)
}

async fn postgres_schema(url: &str) -> (Columns, Indexes) {
    let store = storage::Store::connect(url).await.expect("open PostgreSQL");
    store.migrate().await.expect("migrate PostgreSQL");
    let pool = store.pool();
    let rows = sqlx::query(
        "SELECT table_name::text AS t, column_name::text AS c, data_type::text AS ty, is_nullable::text AS n \
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%'",
    )
    .fetch_all(pool)
    .await
    .expect("columns");
    let mut columns = Columns::new();
    for r in rows {
        let t: String = r.get("t");
        let c: String = r.get("c");
        let ty: String = r.get("ty");
        let n: String = r.get("n");
        columns
            .entry(t)
            .or_default()
            .insert(c, (kind(&ty), n == "NO"));
    }
    // Explicit indexes: not those that back a constraint (primary keys, UNIQUE columns).
    let rows = sqlx::query(
        "SELECT i.relname::text AS name, t.relname::text AS tbl, x.indisunique AS u, \
                array_to_string(ARRAY(SELECT COALESCE(a.attname::text, '<expr>') FROM unnest(x.indkey) WITH ORDINALITY k(n, o) \
                    LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n ORDER BY k.o), ',') AS cols \
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid \
         JOIN pg_namespace s ON s.oid = t.relnamespace \
         WHERE s.nspname = 'public' AND t.relname NOT LIKE '_sqlx%' \
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
    )
    .fetch_all(pool)
    .await
    .expect("indexes");
    let mut indexes = Indexes::new();
    for r in rows {
        let name: String = r.get("name");
        let tbl: String = r.get("tbl");
        let unique: bool = r.get("u");
        let cols: String = r.get("cols");
        indexes.insert(
            name,
            (tbl, cols.split(',').map(str::to_string).collect(), unique),
        );
    }
    store.close().await;
    (columns, indexes)
}

#[tokio::test]
async fn sqlite_and_postgres_migrations_define_the_same_schema() {
    let Some(pg) = crate::helpers::postgres_database().await else {
        eprintln!(
            "schema parity needs PostgreSQL: it runs in the PostgreSQL pass of scripts/test \
             (CONCORDE_TEST_DATABASE_URL)"
        );
        return;
    };
    let dir = tempdir();
    let sqlite = format!("sqlite://{}?mode=rwc", dir.join("schema.db").display());
    let (s_cols, s_idx) = sqlite_schema(&sqlite).await;
    let (p_cols, p_idx) = postgres_schema(&pg.url).await;
    let s_tables: Vec<&String> = s_cols.keys().collect();
    let p_tables: Vec<&String> = p_cols.keys().collect();
    assert_eq!(
        s_tables, p_tables,
        "tables differ between the two migration sets"
    );
    for (table, cols) in &s_cols {
        assert_eq!(
            cols, &p_cols[table],
            "columns of {table} differ (SQLite left, PostgreSQL right)"
        );
    }
    assert_eq!(
        s_idx, p_idx,
        "indexes differ between the two migration sets (SQLite left, PostgreSQL right)"
    );
    assert!(s_cols.contains_key("jobs") && s_idx.contains_key("jobs_due"));
    drop(pg);
    let _ = std::fs::remove_dir_all(dir);
}

fn tempdir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "concorde-schema-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}
