//! The fixture of the privacy tests (issue 7), built through the API as an editor: a
//! migrant organisation in Duisburg whose restricted chair is employed by the city at
//! the same time, a restricted board member in project staff of a welfare organisation and
//! sitting at a funder, and a public member. Names and titles are made-up ASCII strings
//! that occur nowhere else, so a substring search finds exactly them.
use serde_json::json;

use super::TestApp;

pub const VEREIN_NAME: &str = "Bulgarischer Kulturverein Duisburg e.V.";
/// The chair's title at the Verein.
pub const CHAIR_TITLE: &str = "Erste Vorsitzende Xq";
/// The chair's dates: role at the Verein 2022-03 – 2024-10, employed by the city from
/// 2021-07. No other record of the fixture uses these months.
pub const CHAIR_DATES: [&str; 3] = ["2022-03", "2024-10", "2021-07"];

pub struct Person {
    pub id: String,
    pub name: &'static str,
    /// The titles of all the person's affiliations.
    pub titles: Vec<&'static str>,
    /// The role codes of the person's affiliations.
    pub roles: Vec<&'static str>,
    /// The months the person's affiliations start or end, as typed.
    pub dates: Vec<&'static str>,
}

pub struct Privacy {
    pub verein: String,
    pub stadt: String,
    pub welfare: String,
    pub funder: String,
    pub roma: String,
    /// Restricted: chair of the Verein while employed by Stadt Duisburg.
    pub chair: Person,
    /// Restricted: board member of the Verein, project staff of the welfare organisation
    /// (a staffing dependency) and on the funder's board (a conflict of interest).
    pub board: Person,
    /// Public: member of the Verein and of the Roma self-organisation.
    pub public: Person,
    /// The chair's affiliation at the Verein.
    pub chair_at_verein: String,
    pub funding: String,
    pub relation: String,
    pub source: String,
}

impl Privacy {
    pub fn persons(&self) -> [&Person; 3] {
        [&self.chair, &self.board, &self.public]
    }

    pub fn restricted(&self) -> [&Person; 2] {
        [&self.chair, &self.board]
    }

    /// A person's display name by id, for readable failure messages.
    pub fn name_of(&self, id: &str) -> String {
        self.persons()
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.to_string())
            .unwrap_or_else(|| id.to_string())
    }
}

pub fn build(app: &TestApp) -> Privacy {
    let tok = app.editor();
    let org = |name: &str, kind: &str, city: &str| {
        app.create(
            "organisations",
            &tok,
            json!({"name": name, "kind": kind, "city": city}),
        )
    };
    let verein = org(VEREIN_NAME, "migrant_organisation", "Duisburg");
    let stadt = org("Stadt Duisburg", "municipality", "Duisburg");
    let welfare = org(
        "Wohlfahrtswerk Qvzr Duisburg",
        "welfare_organisation",
        "Duisburg",
    );
    let funder = org("Stiftung Fjordqual", "funder", "Berlin");
    let roma = org(
        "Romani Zqvx Bochum e.V.",
        "roma_self_organisation",
        "Bochum",
    );
    let source = app.create(
        "sources",
        &tok,
        json!({"title": "Feldnotizen Qwv", "url": "https://example.invalid/qwv"}),
    );
    let person = |name: &'static str, visibility: &str| {
        app.create(
            "persons",
            &tok,
            json!({"display_name": name, "visibility": visibility}),
        )
    };
    let role = |who: &str, at: &str, role: &str, title: &str, start: &str, end: Option<&str>| {
        let paid = matches!(role, "employee" | "project_staff");
        app.create(
            "affiliations",
            &tok,
            json!({"person_id": who, "organisation_id": at, "role": role, "title": title,
                   "start": start, "end": end, "paid": paid, "project_bound": false,
                   "fields_of_work": ["education", "culture"]}),
        )
    };
    let chair_id = person("Zorvina Quelltapp", "restricted");
    let chair_at_verein = role(
        &chair_id,
        &verein,
        "chair",
        CHAIR_TITLE,
        "2022-03",
        Some("2024-10"),
    );
    role(
        &chair_id,
        &stadt,
        "employee",
        "Sachgebietsleiterin Wqz",
        "2021-07",
        None,
    );
    let board_id = person("Kestrin Vollmaub", "restricted");
    role(
        &board_id,
        &verein,
        "board_member",
        "Beisitzer Ykw",
        "2020-05",
        None,
    );
    role(
        &board_id,
        &welfare,
        "project_staff",
        "Sozialberater Pqj",
        "2020-09",
        None,
    );
    role(
        &board_id,
        &funder,
        "board_member",
        "Jurymitglied Zzk",
        "2021-02",
        None,
    );
    let public_id = person("Malvina Ostrakow", "public");
    role(
        &public_id,
        &verein,
        "member",
        "Pressesprecherin Hxv",
        "2019",
        None,
    );
    role(&public_id, &roma, "member", "Mitglied Jqrw", "2019", None);
    let cite = json!([{"source_id": source, "locator": "Kap. 9.9, Iq.7"}]);
    let funding = app.create(
        "fundings",
        &tok,
        json!({"funder_id": funder, "recipient_id": verein, "status": "granted",
               "project_bound": true, "programme": "Programm Nxq",
               "amount_min": 3_000_000, "amount_max": 3_000_000,
               "start": "2023-01", "end": "2027-01", "citations": cite}),
    );
    let relation = app.create(
        "relations",
        &tok,
        json!({"source_id": verein, "target_id": roma, "kind": "cooperates_with",
               "start": "2019", "citations": cite}),
    );
    app.settle();
    Privacy {
        verein,
        stadt,
        welfare,
        funder,
        roma,
        chair: Person {
            id: chair_id,
            name: "Zorvina Quelltapp",
            titles: vec![CHAIR_TITLE, "Sachgebietsleiterin Wqz"],
            roles: vec!["chair", "employee"],
            dates: CHAIR_DATES.to_vec(),
        },
        board: Person {
            id: board_id,
            name: "Kestrin Vollmaub",
            titles: vec!["Beisitzer Ykw", "Sozialberater Pqj", "Jurymitglied Zzk"],
            roles: vec!["board_member", "project_staff"],
            dates: vec!["2020-05", "2020-09", "2021-02"],
        },
        public: Person {
            id: public_id,
            name: "Malvina Ostrakow",
            titles: vec!["Pressesprecherin Hxv", "Mitglied Jqrw"],
            roles: vec!["member"],
            dates: vec!["2019"],
        },
        chair_at_verein,
        funding,
        relation,
        source,
    }
}

/// Where a needle was found: up to 60 bytes either side, on character boundaries.
pub fn snippet(body: &str, at: usize, len: usize) -> String {
    let mut start = at.saturating_sub(60);
    while !body.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + len + 60).min(body.len());
    while !body.is_char_boundary(end) {
        end += 1;
    }
    body[start..end].replace(['\n', '\r'], " ")
}

/// The `format=csv` links of a page, with `&amp;` read back as `&`.
pub fn csv_links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.contains("format=csv"))
        .map(|href| href.replace("&amp;", "&").replace("&#38;", "&"))
        .collect()
}
