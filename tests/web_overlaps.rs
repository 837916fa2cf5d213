//! The overlaps pages through Rocket's local client on the study's seed data: staff
//! overlaps, pairs, the tandem list, funding and dependencies, ending funding, a funder's
//! exit, conflicts of interest; their CSV downloads; hidden names; field errors.
mod common;

use common::web::*;
use common::TestApp;
use knotenpunkt::domain::UserRole;
use rocket::http::Status;
use serde_json::json;

const QM: &str =
    "Fachbereich Integration, Zuwanderung und Wohnraumsicherung (Quartiersmanagement), Stadt Hagen";
const EVZ: &str = "Stiftung „Erinnerung, Verantwortung und Zukunft“";
const CO_CHAIR_1: &str = "Co-Vorsitz Romano Drom (1)";
const CO_CHAIR_2: &str = "Co-Vorsitz Romano Drom (2)";

/// A page that must answer 200.
fn ok(app: &TestApp, path: &str) -> String {
    let (status, html) = page(&app.client, path);
    assert_eq!(status, Status::Ok, "{path}: {html}");
    assert!(!html.contains("??"), "{path}: a label is missing: {html}");
    html
}

/// A CSV download: checks the content type and file name, returns the lines.
fn csv(app: &TestApp, path: &str, filename: &str) -> Vec<String> {
    let res = app.client.get(path.to_string()).dispatch();
    assert_eq!(res.status(), Status::Ok, "{path}");
    assert_eq!(
        res.content_type().map(|c| c.to_string()).as_deref(),
        Some("text/csv; charset=utf-8"),
        "{path}"
    );
    assert_eq!(
        res.headers().get_one("Content-Disposition"),
        Some(format!("attachment; filename=\"{filename}\"").as_str()),
        "{path}"
    );
    let body = res.into_string().unwrap_or_default();
    assert!(body.ends_with("\r\n"), "lines end with CRLF: {body:?}");
    body.trim_end_matches("\r\n")
        .split("\r\n")
        .map(|line| plain(line, path))
        .collect()
}

/// A line of quoted cells (every cell must be quoted) written as plain CSV again, quotes
/// only where a comma or a quote needs them, so that expected lines stay readable.
fn plain(line: &str, path: &str) -> String {
    let mut cells = Vec::new();
    let mut rest = line;
    while !rest.is_empty() {
        assert!(
            rest.starts_with('"'),
            "{path}: every cell is quoted: {line}"
        );
        let mut cell = String::new();
        let mut chars = rest[1..].char_indices();
        let end = loop {
            match chars.next() {
                Some((i, '"')) if rest[1 + i + 1..].starts_with('"') => {
                    cell.push('"');
                    chars.next();
                }
                Some((i, '"')) => break 1 + i + 1,
                Some((_, c)) => cell.push(c),
                None => panic!("{path}: unterminated cell: {line}"),
            }
        };
        cells.push(if cell.contains([',', '"']) {
            format!("\"{}\"", cell.replace('"', "\"\""))
        } else {
            cell
        });
        rest = rest[end..].strip_prefix(',').unwrap_or(&rest[end..]);
    }
    cells.join(",")
}

/// The rows of the HTML table with this id, each as its cells' text (tags removed).
fn rows(html: &str, id: &str) -> Vec<Vec<String>> {
    let start = html
        .find(&format!("<table id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no table {id} in {html}"));
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    table
        .split("<tr>")
        .skip(2)
        .map(|row| {
            row.split("<td>")
                .skip(1)
                .map(|cell| {
                    let cell = &cell[..cell.find("</td>").unwrap_or(cell.len())];
                    let mut text = String::new();
                    let mut in_tag = false;
                    for ch in cell.chars() {
                        match ch {
                            '<' => in_tag = true,
                            '>' => in_tag = false,
                            c if !in_tag => text.push(c),
                            _ => {}
                        }
                    }
                    text.replace("&#38;", "&")
                        .replace("&amp;", "&")
                        .replace("&#34;", "\"")
                        .replace("&quot;", "\"")
                })
                .collect()
        })
        .collect()
}

/// The column headings of the HTML table with this id.
fn heads(html: &str, id: &str) -> Vec<String> {
    let start = html
        .find(&format!("<table id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no table {id} in {html}"));
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    let first = &table[..table.find("</tr>").unwrap()];
    first
        .split("<th>")
        .skip(1)
        .map(|cell| cell[..cell.find("</th>").unwrap()].to_string())
        .collect()
}

fn has_table(html: &str, id: &str) -> bool {
    html.contains(&format!("<table id=\"{id}\">"))
}

/// Per-person detail an anonymous visitor must not get from the seed's overlaps: the
/// names of the persons, and the role and date labels of their rows.
fn assert_no_person_detail(what: &str, text: &str) {
    for detail in [
        CO_CHAIR_1,
        CO_CHAIR_2,
        "Vorstand Romano Than",
        "href=\"/persons/",
        "Co-Vorsitz (",
        "Vorstandsmitglied (",
        "Beschäftigt (",
        "2019 – 2024",
        "Mediation",
    ] {
        assert!(!text.contains(detail), "{what}: {detail} shown: {text}");
    }
}

#[test]
fn index_links_every_view_and_the_nav_links_the_index() {
    let app = TestApp::sqlite_seeded();
    let html = ok(&app, "/overlaps");
    assert!(html.contains("<a href=\"/overlaps\">Überschneidungen</a>"));
    for path in [
        "/overlaps/staff",
        "/overlaps/staff/pairs",
        "/overlaps/tandem",
        "/overlaps/funding",
        "/overlaps/dependencies",
        "/overlaps/ending",
        "/overlaps/impact",
        "/overlaps/conflicts",
    ] {
        assert!(html.contains(&format!("href=\"{path}\"")), "{path}");
        let view = ok(&app, path);
        assert!(
            view.contains("<form class=\"inline\" method=\"get\""),
            "{path}"
        );
    }
    // Before an organisation is chosen the page only asks for one.
    let html = ok(&app, "/overlaps/funding");
    assert!(html.contains("id=\"choose\"") && !html.contains("id=\"error-"));
    assert!(
        html.contains("<datalist id=\"org-names\">")
            && html.contains("<option value=\"Romano Drom e.V.\">")
    );
}

#[test]
fn tandem_list_with_city_and_date_filters() {
    let app = TestApp::sqlite_seeded();
    // Anonymous visitors get counts only: persons per pair and per city, no rows.
    let html = ok(&app, "/overlaps/tandem");
    assert!(!has_table(&html, "tandem"), "no person rows: {html}");
    assert!(html.contains("id=\"names-hidden\""));
    assert_eq!(
        heads(&html, "pairs"),
        ["Selbstorganisation", "Arbeitgeber", "Personen"]
    );
    assert_eq!(
        rows(&html, "pairs"),
        [
            ["Romano Drom e.V.", QM, "2"],
            ["Romano Than e.V.", "Jugendamt Dortmund", "1"],
            [
                "Romano Than e.V.",
                "Träger der Freien Wohlfahrtspflege (Dortmund, nicht benannt)",
                "1"
            ],
        ]
    );
    assert_eq!(heads(&html, "cities"), ["Ort", "Personen"]);
    assert_eq!(rows(&html, "cities"), [["Dortmund", "2"], ["Hagen", "2"]]);
    assert_no_person_detail("/overlaps/tandem", &html);

    let html = ok(&app, "/overlaps/tandem?city=Hagen");
    assert_eq!(rows(&html, "pairs"), [["Romano Drom e.V.", QM, "2"]]);
    assert_eq!(rows(&html, "cities"), [["Hagen", "2"]]);
    let html = ok(&app, "/overlaps/tandem?city=dortmund");
    let dortmund = rows(&html, "pairs");
    assert_eq!(dortmund.len(), 2);
    assert!(dortmund
        .iter()
        .all(|r| r[0] == "Romano Than e.V." && r[2] == "1"));
    assert_eq!(rows(&html, "cities"), [["Dortmund", "2"]]);
    // Romano Drom's co-chairs held office 2019–2024; Romano Than's rows are undated or
    // open-ended, so they count at any time.
    let html = ok(&app, "/overlaps/tandem?as_of=2018");
    let before = rows(&html, "pairs");
    assert!(
        before.iter().all(|r| r[0] == "Romano Than e.V."),
        "{before:?}"
    );
    assert_eq!(before.len(), 2);
    assert_eq!(rows(&html, "cities"), [["Dortmund", "2"]]);
    let html = ok(&app, "/overlaps/tandem?from=2020&to=01.06.2021&city=Hagen");
    assert_eq!(rows(&html, "pairs"), [["Romano Drom e.V.", QM, "2"]]);
    assert!(html.contains("value=\"01.06.2021\""), "typed value kept");

    // Signed in: the rows ("Rollen") with names, then the same counts.
    sign_in(&app, UserRole::Viewer);
    let html = ok(&app, "/overlaps/tandem");
    assert!(!html.contains("id=\"names-hidden\""));
    assert!(html.contains("<h2>Rollen</h2>"), "{html}");
    let (tandem_at, pairs_at, cities_at) = (
        html.find("<table id=\"tandem\">").expect("tandem table"),
        html.find("<table id=\"pairs\">").expect("pairs table"),
        html.find("<table id=\"cities\">").expect("cities table"),
    );
    assert!(
        tandem_at < pairs_at && pairs_at < cities_at,
        "tables in order"
    );
    assert_eq!(rows(&html, "pairs").len(), 3);
    assert_eq!(rows(&html, "cities"), [["Dortmund", "2"], ["Hagen", "2"]]);
    let all = rows(&html, "tandem");
    assert_eq!(all.len(), 4, "{all:?}");
    assert_eq!(all[0][1], "Romano Drom e.V.");
    assert_eq!(all[0][3], QM);
    assert_eq!(all[0][2], "Co-Vorsitz (2019 – 2024)");
    assert_eq!(all[0][4], "Beschäftigt (ohne Datum)");
    assert_eq!(all[0][5], "2019 – 2024");
    assert!(all[0][6].contains("Mediation"), "{all:?}");
    assert_eq!(all[2][1], "Romano Than e.V.");
    assert_eq!(all[2][3], "Jugendamt Dortmund");
    assert!(all.iter().all(|r| r[0] != "–"), "every row named: {all:?}");

    let hagen = rows(&ok(&app, "/overlaps/tandem?city=Hagen"), "tandem");
    assert_eq!(hagen.len(), 2);
    assert!(hagen
        .iter()
        .all(|r| r[1] == "Romano Drom e.V." && r[3] == QM));
    let mut names: Vec<&str> = hagen.iter().map(|r| r[0].as_str()).collect();
    names.sort();
    assert_eq!(names, [CO_CHAIR_1, CO_CHAIR_2]);
    let dortmund = rows(&ok(&app, "/overlaps/tandem?city=dortmund"), "tandem");
    assert_eq!(dortmund.len(), 2);
    assert!(dortmund.iter().all(|r| r[1] == "Romano Than e.V."));
    let before = rows(&ok(&app, "/overlaps/tandem?as_of=2018"), "tandem");
    assert!(
        before.iter().all(|r| r[1] == "Romano Than e.V."),
        "{before:?}"
    );
    assert_eq!(before.len(), 2);
    let html = ok(&app, "/overlaps/tandem?from=2020&to=01.06.2021&city=Hagen");
    assert_eq!(rows(&html, "tandem").len(), 2);
}

#[test]
fn tandem_csv_hides_names_from_anonymous_visitors() {
    let app = TestApp::sqlite_seeded();
    // Anonymously the default download is the first table shown: the pairs.
    let lines = csv(&app, "/overlaps/tandem?format=csv", "tandem-pairs.csv");
    // The employer's name has commas: quoted.
    assert_eq!(
        lines,
        [
            "Selbstorganisation,Arbeitgeber,Personen".to_string(),
            format!("Romano Drom e.V.,\"{QM}\",2"),
            "Romano Than e.V.,Jugendamt Dortmund,1".to_string(),
            "Romano Than e.V.,\"Träger der Freien Wohlfahrtspflege (Dortmund, nicht benannt)\",1"
                .to_string(),
        ]
    );
    assert_no_person_detail("pairs CSV", &lines.join("\n"));
    let cities = csv(
        &app,
        "/overlaps/tandem?format=csv&table=cities",
        "tandem-cities.csv",
    );
    assert_eq!(cities, ["Ort,Personen", "Dortmund,2", "Hagen,2"]);
    let hagen = csv(
        &app,
        "/overlaps/tandem?city=Hagen&format=csv",
        "tandem-pairs.csv",
    );
    assert_eq!(hagen.len(), 2, "{hagen:?}");
    // The rows cannot be asked for by name either.
    let (status, body) = page(&app.client, "/overlaps/tandem?format=csv&table=tandem");
    assert_eq!(status, Status::UnprocessableEntity, "{body}");
    assert_no_person_detail("table=tandem", &body);

    // Signed in: the default download is the rows, with names.
    sign_in(&app, UserRole::Viewer);
    let lines = csv(&app, "/overlaps/tandem?format=csv", "tandem-tandem.csv");
    assert_eq!(
        lines[0],
        "Person,Selbstorganisation,Rolle,Arbeitgeber,Anstellung,Gleichzeitig,Gemeinsame Arbeitsfelder"
    );
    assert_eq!(lines.len(), 5, "{lines:?}");
    // The employer's name has commas: quoted. The fields of work are joined with ", ".
    for line in &lines[1..3] {
        let (name, rest) = line.split_once(',').unwrap();
        assert!([CO_CHAIR_1, CO_CHAIR_2].contains(&name), "{line}");
        assert!(
            rest.starts_with(&format!(
                "Romano Drom e.V.,Co-Vorsitz (2019 – 2024),\"{QM}\",Beschäftigt (ohne Datum),2019 – 2024,\""
            )),
            "{lines:?}"
        );
        assert!(rest.ends_with("\"Mediation, Sozialberatung\""), "{line}");
    }
    let lines = csv(
        &app,
        "/overlaps/tandem?city=Hagen&format=csv&table=tandem",
        "tandem-tandem.csv",
    );
    let mut names: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split(',').next().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, [CO_CHAIR_1, CO_CHAIR_2]);
    let pairs = csv(
        &app,
        "/overlaps/tandem?city=Hagen&format=csv&table=pairs",
        "tandem-pairs.csv",
    );
    assert_eq!(pairs, [hagen[0].clone(), hagen[1].clone()]);
}

#[test]
fn staff_overlaps_of_one_organisation_and_all_pairs() {
    let app = TestApp::sqlite_seeded();
    // Anonymously: one row per organisation with the number of shared persons.
    let html = ok(&app, "/overlaps/staff?organisation=Romano+Drom");
    assert!(html.contains("<h2 id=\"subject\"><a href=\"/organisations/"));
    assert!(html.contains("id=\"names-hidden\""));
    assert_eq!(
        heads(&html, "staff"),
        ["Organisation", "Gemeinsame Personen"]
    );
    let staff = rows(&html, "staff");
    let at_qm: Vec<&Vec<String>> = staff.iter().filter(|r| r[0] == QM).collect();
    assert_eq!(
        at_qm,
        [&vec![QM.to_string(), "2".to_string()]],
        "both co-chairs work there: {staff:?}"
    );
    assert_no_person_detail("staff page", &html);
    let concurrent = rows(
        &ok(
            &app,
            "/overlaps/staff?organisation=Romano+Drom&concurrent=on&as_of=2020",
        ),
        "staff",
    );
    assert_eq!(
        concurrent.iter().filter(|r| r[0] == QM).collect::<Vec<_>>(),
        [&vec![QM.to_string(), "2".to_string()]]
    );
    let lines = csv(
        &app,
        "/overlaps/staff?organisation=Romano+Drom&format=csv",
        "staff.csv",
    );
    assert_eq!(lines[0], "Organisation,Gemeinsame Personen");
    assert_eq!(lines.len(), staff.len() + 1);
    assert!(lines.contains(&format!("\"{QM}\",2")), "{lines:?}");
    assert_no_person_detail("staff CSV", &lines.join("\n"));

    // Signed in: one row per shared person, with the roles on both sides.
    sign_in(&app, UserRole::Viewer);
    let html = ok(&app, "/overlaps/staff?organisation=Romano+Drom");
    assert!(!html.contains("id=\"names-hidden\""));
    let named = rows(&html, "staff");
    let at_qm: Vec<&Vec<String>> = named.iter().filter(|r| r[0] == QM).collect();
    assert_eq!(at_qm.len(), 2, "both co-chairs work there: {named:?}");
    for r in &at_qm {
        assert_eq!(r[1], "2");
        assert_eq!(r[3], "Co-Vorsitz (2019 – 2024)");
        assert_eq!(r[4], "Beschäftigt (ohne Datum)");
        assert_eq!(r[5], "2019 – 2024");
    }
    let mut names: Vec<&str> = at_qm.iter().map(|r| r[2].as_str()).collect();
    names.sort();
    assert_eq!(names, [CO_CHAIR_1, CO_CHAIR_2]);
    let concurrent = rows(
        &ok(
            &app,
            "/overlaps/staff?organisation=Romano+Drom&concurrent=on&as_of=2020",
        ),
        "staff",
    );
    assert!(concurrent.iter().filter(|r| r[0] == QM).count() == 2);
    let lines = csv(
        &app,
        "/overlaps/staff?organisation=Romano+Drom&format=csv",
        "staff.csv",
    );
    assert_eq!(
        lines[0],
        "Organisation,Gemeinsame Personen,Person,Rolle(n) hier,Rolle(n) dort,Gleichzeitig"
    );
    assert_eq!(lines.len(), named.len() + 1);
    for name in [CO_CHAIR_1, CO_CHAIR_2] {
        assert!(
            lines.contains(&format!(
                "\"{QM}\",2,{name},Co-Vorsitz (2019 – 2024),Beschäftigt (ohne Datum),2019 – 2024"
            )),
            "{lines:?}"
        );
    }

    let pairs = rows(&ok(&app, "/overlaps/staff/pairs?limit=5"), "pairs");
    assert!(pairs.len() <= 5 && !pairs.is_empty());
    assert_eq!(pairs[0][0], "1");
    let drom_qm = pairs
        .iter()
        .find(|r| {
            (r[1] == "Romano Drom e.V." && r[2] == QM) || (r[2] == "Romano Drom e.V." && r[1] == QM)
        })
        .unwrap_or_else(|| panic!("{pairs:?}"));
    assert_eq!(drom_qm[3], "2");
    let lines = csv(
        &app,
        "/overlaps/staff/pairs?limit=5&concurrent=on&format=csv",
        "staff-pairs.csv",
    );
    assert_eq!(
        lines[0],
        "Rang,Organisation A,Organisation B,Gemeinsame Personen"
    );
    assert!(lines.len() > 1 && lines.len() <= 6);
}

#[test]
fn funding_overlap_and_dependencies_of_romano_drom() {
    let app = TestApp::sqlite_seeded();
    let html = ok(&app, "/overlaps/funding?organisation=Romano%20Drom");
    let funders = rows(&html, "funders");
    assert_eq!(
        funders,
        vec![vec![
            EVZ,
            "1",
            "30.000 – 70.000 EUR",
            "100 %",
            "100 – 100 %"
        ]]
    );
    assert!(html.contains("<dd>30.000 – 70.000 EUR</dd>"), "total shown");
    assert!(html.contains("id=\"co_funded-empty\"") && html.contains("id=\"grants-empty\""));
    assert!(html.contains("table=co_funded") && html.contains("table=grants"));

    let lines = csv(
        &app,
        "/overlaps/funding?organisation=Romano%20Drom&format=csv",
        "funding-funders.csv",
    );
    assert_eq!(
        lines,
        [
            "Förderer,Förderungen,Betrag,Anteil,Spanne (min – max)".to_string(),
            format!("\"{EVZ}\",1,30.000 – 70.000 EUR,100 %,100 – 100 %"),
        ]
    );
    let lines = csv(
        &app,
        "/overlaps/funding?organisation=Romano%20Drom&format=csv&table=co_funded",
        "funding-co_funded.csv",
    );
    assert_eq!(lines, ["Organisation,Gemeinsame Förderer"]);
    let (status, html) = page(
        &app.client,
        "/overlaps/funding?organisation=Romano%20Drom&format=csv&table=nope",
    );
    assert_eq!(status, Status::UnprocessableEntity, "{html}");

    // MifriN's funder has no other recipient; its funding has no amount.
    let mifrin = rows(
        &ok(&app, "/overlaps/funding?organisation=MifriN"),
        "funders",
    );
    assert_eq!(mifrin.len(), 1);
    assert_eq!(
        mifrin[0][2..],
        ["1 ohne Betrag", "?", "?"],
        "no 0 % for an unknown amount"
    );

    let html = ok(&app, "/overlaps/dependencies?organisation=Romano+Drom");
    let deps = rows(&html, "depends_on");
    let names: Vec<&str> = deps.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(names, [QM, "Landesrat der Roma NRW", EVZ]);
    assert_eq!(deps[2][2], "Förderung (100 %)");
    assert!(deps[0][2].contains("Gründungsunterstützung"));
    // Two board members employed there: the reason once (their names for signed-in users).
    assert_eq!(deps[0][2].matches("Vorstand dort angestellt").count(), 1);
    assert!(!deps[0][2].contains("Co-Vorsitz Romano Drom"));
    assert_eq!(deps[1][2], "Mitglied");
    let lines = csv(
        &app,
        "/overlaps/dependencies?organisation=Romano+Drom&format=csv",
        "dependencies-depends_on.csv",
    );
    assert_eq!(lines[0], "Organisation,Art,Gründe");
    assert_eq!(lines.len(), 4);

    let dependents = rows(
        &ok(&app, "/overlaps/dependencies?organisation=Stiftung+EVZ"),
        "dependents",
    );
    assert_eq!(dependents.len(), 1);
    assert_eq!(dependents[0][0], "Romano Drom e.V.");

    sign_in(&app, UserRole::Viewer);
    let deps = rows(
        &ok(&app, "/overlaps/dependencies?organisation=Romano+Drom"),
        "depends_on",
    );
    // Both board members named behind the one reason, in either order.
    let both = [
        format!("Vorstand dort angestellt ({CO_CHAIR_1}, {CO_CHAIR_2})"),
        format!("Vorstand dort angestellt ({CO_CHAIR_2}, {CO_CHAIR_1})"),
    ];
    assert!(
        both.iter().any(|b| deps[0][2].contains(b)),
        "{}",
        deps[0][2]
    );
}

#[test]
fn impact_and_conflicts() {
    let app = TestApp::sqlite_seeded();
    let html = ok(&app, "/overlaps/impact?funder=Stiftung+EVZ");
    assert_eq!(
        rows(&html, "impact"),
        vec![vec![
            "Romano Drom e.V.",
            "30.000 – 70.000 EUR",
            "100 %",
            "100 – 100 %"
        ]]
    );
    let lines = csv(
        &app,
        "/overlaps/impact?funder=Stiftung+EVZ&format=csv",
        "impact.csv",
    );
    assert_eq!(
        lines,
        [
            "Empfänger,Wegfallender Betrag,Anteil,Spanne (min – max)",
            "Romano Drom e.V.,30.000 – 70.000 EUR,100 %,100 – 100 %"
        ]
    );

    // The Quartiersmanagement employs both co-chairs of Romano Drom: anonymous visitors
    // get the number of persons only.
    let path = "/overlaps/conflicts?funder=Quartiersmanagement+Hagen&applicant=Romano+Drom";
    let html = ok(&app, path);
    assert!(html.contains("id=\"names-hidden\""));
    assert_eq!(heads(&html, "conflicts"), ["Personen"]);
    assert_eq!(rows(&html, "conflicts"), [["2"]]);
    assert_no_person_detail(path, &html);
    let lines = csv(&app, &format!("{path}&format=csv"), "conflicts.csv");
    assert_eq!(lines, ["Personen", "2"]);
    // Nobody is at Stiftung EVZ and Romano Drom at once: no row, not a 0.
    let none_path = "/overlaps/conflicts?funder=Stiftung+EVZ&applicant=Romano+Drom";
    let none = ok(&app, none_path);
    assert!(none.contains("id=\"conflicts-empty\"") && !has_table(&none, "conflicts"));
    assert_eq!(
        csv(&app, &format!("{none_path}&format=csv"), "conflicts.csv"),
        ["Personen"]
    );
    // Everyone would conflict with themselves: the same organisation twice is refused.
    let (status, html) = page(
        &app.client,
        "/overlaps/conflicts?funder=Romano+Drom&applicant=Romano+Drom+e.V.",
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains("id=\"error-applicant\""));

    // Signed in: one row per person with both roles and when they overlap.
    sign_in(&app, UserRole::Viewer);
    let html = ok(&app, path);
    assert!(!html.contains("id=\"names-hidden\""));
    let found = rows(&html, "conflicts");
    assert_eq!(found.len(), 2);
    for r in &found {
        assert_eq!(
            r[1..],
            [
                "Beschäftigt (ohne Datum)",
                "Co-Vorsitz (2019 – 2024)",
                "2019 – 2024"
            ]
        );
        assert!([CO_CHAIR_1, CO_CHAIR_2].contains(&r[0].as_str()), "{r:?}");
    }
    let lines = csv(&app, &format!("{path}&format=csv"), "conflicts.csv");
    assert_eq!(
        lines[0],
        "Person,Rolle beim Förderer,Rolle beim Antragsteller,Gleichzeitig"
    );
    assert_eq!(lines.len(), 3);
    let mut names: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split(',').next().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, [CO_CHAIR_1, CO_CHAIR_2]);
    assert!(ok(&app, none_path).contains("id=\"conflicts-empty\""));
}

#[test]
fn stored_names_come_out_quoted_and_neutralised() {
    let app = TestApp::sqlite_seeded();
    let token = app.editor();
    let evz = {
        let (_, v) = app.get("/api/v1/organisations?q=Stiftung%20EVZ", None);
        v["items"][0]["id"].as_str().unwrap().to_string()
    };
    let formula = app.create(
        "organisations",
        &token,
        json!({"name": "=HYPERLINK(\"x\")", "kind": "migrant_organisation", "city": "Bochum"}),
    );
    let quoted = app.create(
        "organisations",
        &token,
        json!({"name": "Verein \"Kurz, bündig\" e.V.", "kind": "migrant_organisation"}),
    );
    for (recipient, end) in [(&formula, "2030-06-30"), (&quoted, "2030-07-15")] {
        app.create(
            "fundings",
            &token,
            json!({"funder_id": evz, "recipient_id": recipient, "programme": "@Programm",
                   "amount_min": 1_000_000, "amount_max": 1_000_000, "start": "2029",
                   "end": end, "project_bound": true, "status": "granted"}),
        );
    }
    app.settle();

    let lines = csv(
        &app,
        "/overlaps/impact?funder=Stiftung+EVZ&format=csv",
        "impact.csv",
    );
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(
        lines.contains(&"\"'=HYPERLINK(\"\"x\"\")\",10.000 EUR,100 %,100 – 100 %".to_string()),
        "{lines:?}"
    );
    assert!(
        lines.contains(
            &"\"Verein \"\"Kurz, bündig\"\" e.V.\",10.000 EUR,100 %,100 – 100 %".to_string()
        ),
        "{lines:?}"
    );

    // Ending within 30 days of 2030-06-20: both grants, soonest first, with the
    // programme neutralised too.
    let path = "/overlaps/ending?within_days=30&as_of=2030-06-20";
    let html = ok(&app, path);
    let ending = rows(&html, "ending");
    assert_eq!(ending.len(), 2, "{ending:?}");
    assert_eq!(
        ending[0][..5],
        [
            "2030-06-30",
            "10 Tage",
            EVZ,
            "=HYPERLINK(\"x\")",
            "@Programm"
        ]
    );
    assert_eq!(ending[1][1], "25 Tage");
    assert!(!html.contains("=HYPERLINK(\"x\")"), "escaped in HTML");
    let lines = csv(&app, &format!("{path}&format=csv"), "ending.csv");
    assert_eq!(
        lines[0],
        "Ende,Tage bis zum Ende,Förderer,Empfänger,Programm,Betrag,Anteil an der Förderung des Empfängers"
    );
    assert_eq!(
        lines[1],
        format!("2030-06-30,10,\"{EVZ}\",\"'=HYPERLINK(\"\"x\"\")\",'@Programm,10.000 EUR,100 %")
    );
    let short = rows(
        &ok(&app, "/overlaps/ending?within_days=20&as_of=2030-06-20"),
        "ending",
    );
    assert_eq!(short.len(), 1);
    // The seed data alone has no project funding with an end.
    assert!(ok(&app, "/overlaps/ending").contains("id=\"ending-empty\""));

    // An organisation can be chosen by its id too (links carry ids).
    let html = ok(&app, &format!("/overlaps/funding?organisation={formula}"));
    assert_eq!(rows(&html, "funders")[0][0], EVZ);
}

#[test]
fn bad_input_is_shown_beside_the_field_with_422() {
    let app = TestApp::sqlite_seeded();
    for (path, field, typed) in [
        ("/overlaps/tandem?as_of=2019-13", "as_of", "2019-13"),
        (
            "/overlaps/tandem?as_of=2019-13&format=csv",
            "as_of",
            "2019-13",
        ),
        ("/overlaps/tandem?from=2021&to=2020", "to", "2020"),
        (
            "/overlaps/staff?organisation=Romano+Drom&as_of=gestern",
            "as_of",
            "gestern",
        ),
        ("/overlaps/ending?within_days=viele", "within_days", "viele"),
        (
            "/overlaps/ending?within_days=99999999",
            "within_days",
            "99999999",
        ),
        ("/overlaps/staff/pairs?limit=-1", "limit", "-1"),
        (
            "/overlaps/funding?organisation=Gibt+es+nicht",
            "organisation",
            "Gibt es nicht",
        ),
        ("/overlaps/impact?funder=", "funder", ""),
        ("/overlaps/impact?format=csv", "funder", ""),
        (
            "/overlaps/conflicts?funder=Stiftung+EVZ&applicant=Romano",
            "applicant",
            "Romano",
        ),
    ] {
        let (status, html) = page(&app.client, path);
        assert_eq!(status, Status::UnprocessableEntity, "{path}: {html}");
        assert!(
            html.starts_with("<!doctype html>"),
            "{path}: a page, not a bare error"
        );
        assert!(
            html.contains(&format!("id=\"error-{field}\"")),
            "{path}: message beside the field: {html}"
        );
        assert!(
            html.contains(&format!("value=\"{typed}\"")),
            "{path}: typed value kept"
        );
        assert!(html.contains("id=\"form-errors\""));
        assert!(!html.contains("<table"), "{path}: no table on bad input");
    }
    // Several organisations match "Romano": the message names them.
    let (_, html) = page(
        &app.client,
        "/overlaps/conflicts?funder=Stiftung+EVZ&applicant=Romano",
    );
    assert!(html.contains("Romano Drom e.V.") && html.contains("Romano Than e.V."));
}

#[test]
fn english_labels_through_the_language_cookie() {
    let app = TestApp::sqlite_seeded();
    let res = app.client.get("/lang/en?back=/overlaps").dispatch();
    assert_eq!(res.status(), Status::SeeOther);
    let html = ok(&app, "/overlaps");
    assert!(html.contains("Tandem list") && html.contains("Conflicts of interest"));
    let views = [
        "/overlaps/staff?organisation=Romano+Drom",
        "/overlaps/staff/pairs",
        "/overlaps/tandem",
        "/overlaps/funding?organisation=Romano+Drom",
        "/overlaps/dependencies?organisation=Romano+Drom",
        "/overlaps/ending",
        "/overlaps/impact?funder=Stiftung+EVZ",
        "/overlaps/conflicts?funder=Quartiersmanagement+Hagen&applicant=Romano+Drom",
    ];
    for path in views {
        ok(&app, path);
    }
    // Anonymously the tandem page has counts only, with an English note.
    let html = ok(&app, "/overlaps/tandem?city=Hagen");
    assert!(html.contains(
        "Signed out: only the number of persons per organisation, without names, roles or periods."
    ));
    assert_eq!(rows(&html, "pairs"), [["Romano Drom e.V.", QM, "2"]]);
    assert_eq!(rows(&html, "cities"), [["Hagen", "2"]]);
    // Signed in, the rows' roles are labelled in English too.
    sign_in(&app, UserRole::Viewer);
    for path in views {
        ok(&app, path);
    }
    let tandem = rows(&ok(&app, "/overlaps/tandem?city=Hagen"), "tandem");
    assert_eq!(tandem[0][2], "co-chair (2019 – 2024)");
    assert_eq!(tandem[0][4], "employee (undated)");
    let lines = csv(
        &app,
        "/overlaps/funding?organisation=Romano+Drom&format=csv",
        "funding-funders.csv",
    );
    assert_eq!(lines[0], "Funder,Grants,Amount,Share,Range (min – max)");
}
