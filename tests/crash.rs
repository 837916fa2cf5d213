//! `kill -9` in the middle of writes: the SQLite file the killed service leaves behind is
//! sound for a stock SQLite (`PRAGMA integrity_check`), and a new start serves every
//! write the service acknowledged before it died.
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::Text;

#[derive(QueryableByName)]
struct Check {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

const BINARY: &str = env!("CARGO_BIN_EXE_knotenpunkt");

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// One HTTP/1.1 request on its own connection; (status, body), or `None` if the
/// service did not answer (it may have been killed meanwhile).
fn http(port: u16, method: &str, path: &str, token: &str, body: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    let status = answer.split(' ').nth(1)?.parse().ok()?;
    let body = answer
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    Some((status, body))
}

fn command(db: &std::path::Path, port: u16) -> Command {
    let mut cmd = Command::new(BINARY);
    cmd.env("DATABASE_URL", db)
        .env("ROCKET_PORT", port.to_string())
        .env("ROCKET_ADDRESS", "127.0.0.1")
        .env("ROCKET_SEED_ON_EMPTY", "false")
        .env("ROCKET_LOG_LEVEL", "off")
        .current_dir(db.parent().expect("dir"));
    cmd
}

/// Starts the service and waits until it answers.
fn start(db: &std::path::Path, port: u16) -> Child {
    let child = command(db, port)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the service starts");
    let deadline = Instant::now() + Duration::from_secs(60);
    while http(port, "GET", "/api/v1/organisations?limit=1", "x", "").is_none() {
        assert!(Instant::now() < deadline, "the service did not answer");
        std::thread::sleep(Duration::from_millis(100));
    }
    child
}

fn editor_token(db: &std::path::Path) -> String {
    let out = command(db, 0)
        .args(["user", "add", "crash-editor", "--role", "editor"])
        .output()
        .expect("user add runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    text.lines().last().expect("token line").trim().to_string()
}

#[test]
fn a_killed_service_leaves_a_sound_file_with_every_acknowledged_write() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("crash.db");
    let token = editor_token(&db);
    let port = free_port();
    let mut service = start(&db, port);

    // Four writers create organisations as fast as the service takes them; the service
    // is killed while they are at it.
    let acknowledged = Mutex::new(Vec::<String>::new());
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        for writer in 0..4 {
            let (acknowledged, stop, token) = (&acknowledged, &stop, &token);
            scope.spawn(move || {
                for i in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let body = format!(r#"{{"name":"Verein {writer}-{i}","kind":"other"}}"#);
                    match http(port, "POST", "/api/v1/organisations", token, &body) {
                        Some((201, answer)) => {
                            let v: serde_json::Value = serde_json::from_str(&answer).expect("JSON");
                            let id = v["id"].as_str().expect("id").to_string();
                            acknowledged.lock().unwrap().push(id);
                        }
                        Some((status, answer)) => panic!("{status}: {answer}"),
                        None => break,
                    }
                }
            });
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while acknowledged.lock().unwrap().len() < 200 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        service.kill().expect("kill -9");
        service.wait().expect("reaped");
        stop.store(true, Ordering::Relaxed);
    });
    let acknowledged = acknowledged.into_inner().unwrap();
    assert!(
        acknowledged.len() >= 200,
        "only {} writes",
        acknowledged.len()
    );

    // A plain connection (SQLite's own functions only) finds the file sound; opening it
    // recovers the WAL the killed process left.
    {
        let mut stock = SqliteConnection::establish(&db.display().to_string()).expect("open");
        let result: Vec<Check> = diesel::sql_query("PRAGMA integrity_check")
            .load(&mut stock)
            .expect("integrity_check runs");
        let lines: Vec<&str> = result.iter().map(|c| c.integrity_check.as_str()).collect();
        assert_eq!(lines, ["ok"]);
    }

    // Started again, it serves every acknowledged write.
    let port = free_port();
    let mut service = start(&db, port);
    let missing: Vec<&String> = acknowledged
        .iter()
        .filter(|id| {
            let answer = http(
                port,
                "GET",
                &format!("/api/v1/organisations/{id}"),
                &token,
                "",
            );
            answer.map(|(status, _)| status) != Some(200)
        })
        .collect();
    service.kill().expect("stop");
    service.wait().expect("reaped");
    assert!(
        missing.is_empty(),
        "{} acknowledged writes lost",
        missing.len()
    );
}
