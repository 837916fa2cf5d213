//! Adding users and tokens from the command line is a write like any other: audited,
//! without the token itself.
mod common;

use common::TestApp;
use knotenpunkt::domain::UserRole;
use knotenpunkt::service::tokens;

fn user_add_is_audited(app: &TestApp) {
    let mut conn = app.db().conn().expect("conn");
    let (user, first) = tokens::add_user_with_token(&mut conn, "clara", UserRole::Viewer).unwrap();
    let (again, second) =
        tokens::add_user_with_token(&mut conn, "clara", UserRole::Editor).unwrap();
    assert_eq!(user.id, again.id, "the same user, with a new role");
    drop(conn);
    let actions: Vec<String> = app
        .changes_of(&user.id)
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    assert_eq!(actions, ["create", "update"]);
    let (_, log) = app.get(
        &format!("/api/v1/changes?record_id={}", user.id),
        Some(&second),
    );
    let text = log.to_string();
    assert!(
        text.contains("editor") && !text.contains(&first) && !text.contains(&second),
        "{text}"
    );
}

on_both_backends!(user_add_is_audited);
