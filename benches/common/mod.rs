//! What the benches share: the generated national data set, made once per scale under
//! target/bench-data.
use std::path::PathBuf;
use std::time::Instant;

use diesel::connection::SimpleConnection;
use knotenpunkt::db;

/// The generated data set, written once (through a temporary name, so that an
/// interrupted run leaves nothing behind that looks complete).
pub fn database(scale: f64) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let path = dir.join(format!("scale-{scale}.db"));
    if path.exists() {
        return path;
    }
    std::fs::create_dir_all(&dir).expect("target/bench-data");
    let partial = dir.join(format!("scale-{scale}.partial.db"));
    let side = |p: &PathBuf, s: &str| PathBuf::from(format!("{}{s}", p.display()));
    for s in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(side(&partial, s));
    }
    let started = Instant::now();
    {
        let (pool, _) = db::connect_pool(partial.to_str().expect("utf-8 path"), 1).expect("open");
        let mut conn = pool.get().expect("connection");
        db::migrate(&mut conn).expect("migrate");
        let counts = knotenpunkt::generate::generate(&mut conn, scale, true).expect("generate");
        let secs = started.elapsed().as_secs_f64();
        eprintln!("generated scale {scale} in {secs:.0} s: {counts:?}");
        conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE)")
            .expect("checkpoint");
    }
    std::fs::rename(&partial, &path).expect("rename the finished data set");
    for s in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(side(&partial, s));
    }
    path
}
