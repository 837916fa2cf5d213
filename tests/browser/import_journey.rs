//! An editor brings a spreadsheet of associations in through the upload page: the first
//! file has one bad row (an unknown kind), the preview names exactly that row and column
//! and writes nothing; the corrected file previews clean, the editor confirms, and the
//! organisations are in the list. At phone width the pages fit the screen.
use super::*;

const BAD: &str = "name;kind;city;founded\n\
                   Kulturverein Morgenrot Gladbeck e.V.;migrant_organisation;Gladbeck;2018\n\
                   Roma Jugendforum Essen;verein;Essen;2021\n\
                   Elternnetzwerk Oer-Erkenschwick;informal_network;Oer-Erkenschwick;\n";

/// The file after the fix: line 3 has a kind the registry knows.
fn fixed() -> String {
    BAD.replace(";verein;", ";roma_self_organisation;")
}

/// Chooses `path` in the upload form and asks for the preview.
async fn upload(c: &Client, path: &std::path::Path) {
    let input = find(c, "#file").await.expect("file input");
    input
        .send_keys(&path.display().to_string())
        .await
        .expect("choose the file");
    click(c, "#upload").await;
}

pub async fn import_journey(c: &Client, base: &str) {
    let files = tempfile::tempdir().expect("temp dir");
    let bad = files.path().join("vereine.csv");
    std::fs::write(&bad, BAD).expect("write the file");
    let good = files.path().join("vereine-korrigiert.csv");
    std::fs::write(&good, fixed()).expect("write the file");

    c.goto(&format!("{base}/signin"))
        .await
        .expect("sign-in page");
    fill(c, "#name", USER).await;
    fill(c, "#password", PASSWORD).await;
    click(c, "#signin-submit").await;
    text_with(c, ".who", USER).await;

    // Editors find the page beside "register an organisation".
    c.goto(&format!("{base}/organisations"))
        .await
        .expect("list");
    click(c, "#import-link").await;
    text_with(c, "h1", "Datensätze importieren").await;
    text(c, "#upload-form").await;

    upload(c, &bad).await;
    text_with(c, "#nothing-written", "nichts geschrieben").await;
    let problems = c
        .find_all(Locator::Css("#import-problems tr.problem"))
        .await
        .expect("problem rows");
    assert_eq!(problems.len(), 1, "exactly the one bad row");
    let row = problems[0].text().await.expect("row text");
    assert!(row.contains("vereine.csv"), "the file: {row}");
    assert_eq!(text(c, "#import-problems tr.problem td.line").await, "3");
    assert_eq!(
        text(c, "#import-problems tr.problem td.column").await,
        "kind"
    );
    assert_eq!(text(c, "#count-invalid").await, "1");
    assert!(
        c.find(Locator::Css("#confirm-import")).await.is_err(),
        "a file with an error cannot be imported as it is"
    );
    shot(c, "import-problem").await;

    // The corrected file: a clean preview, nothing written until confirmed.
    upload(c, &good).await;
    text_with(c, "#preview-clean", "nichts geschrieben").await;
    assert_eq!(text(c, "#count-created").await, "3");
    text_with(c, "#import-rows", "Roma Jugendforum Essen").await;
    shot(c, "import-preview").await;
    click(c, "#confirm-import").await;
    text_with(c, "#import-done", "Importiert").await;
    shot(c, "import-done").await;

    click(c, "#to-organisations").await;
    text_with(c, "h1", "Organisationen").await;
    for (name, city) in [
        ("Kulturverein Morgenrot Gladbeck e.V.", "Gladbeck"),
        ("Roma Jugendforum Essen", "Essen"),
        ("Elternnetzwerk Oer-Erkenschwick", "Oer-Erkenschwick"),
    ] {
        fill(c, "input[name=q]", name).await;
        click(c, "form.inline button[type=submit]").await;
        let list = text_with(c, "#organisations", name).await;
        assert!(list.contains(city), "{list}");
    }

    // The import is listed on the upload page.
    c.goto(&format!("{base}/import")).await.expect("page");
    text_with(c, "#recent-imports", "vereine-korrigiert.csv").await;

    // At phone width: the page and the previews with their tables fit the screen.
    c.set_window_size(390, 844).await.expect("phone width");
    c.goto(&format!("{base}/import")).await.expect("page");
    text(c, "h1").await;
    let w = widths(c).await;
    assert!(fits(&w), "/import at phone width: {w}");
    upload(c, &bad).await;
    text(c, "#nothing-written").await;
    let w = widths(c).await;
    assert!(fits(&w), "the preview at phone width: {w}");
    shot(c, "import-phone").await;
    // The corrected file again: its rows are the records just imported.
    upload(c, &good).await;
    text(c, "#preview-clean").await;
    assert_eq!(text(c, "#count-unchanged").await, "3");
    let w = widths(c).await;
    assert!(fits(&w), "a clean preview at phone width: {w}");
}
