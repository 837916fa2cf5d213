//! Persons, affiliations, fundings, relations and sources through the JSON API: round
//! trips with filters, bad input, duplicates, and the cascade of delete and restore.
mod common;

use common::TestApp;
use rocket::http::Status;
use serde_json::{json, Value};

/// The app, an editor token (sent with every request), three organisations and a person.
struct Fx<'a> {
    app: &'a TestApp,
    tok: String,
    a: String,
    b: String,
    c: String,
    person: String,
}

fn fixture(app: &TestApp) -> Fx<'_> {
    let tok = app.editor();
    let org = |name: &str| {
        let body = json!({"name": name, "kind": "migrant_organisation", "city": "Dortmund"});
        app.create("organisations", &tok, body)
    };
    let (a, b, c) = (org("Verein A"), org("Verein B"), org("Verein C"));
    let person = app.create("persons", &tok, person("Ana Ionescu"));
    Fx {
        app,
        tok,
        a,
        b,
        c,
        person,
    }
}

fn person(name: &str) -> Value {
    json!({"display_name": name, "is_pseudonym": false, "visibility": "restricted",
           "notes": "Mediatorin"})
}

fn affiliation(person: &str, org: &str, role: &str) -> Value {
    json!({"person_id": person, "organisation_id": org, "role": role, "title": "Vorsitzende",
           "start": "2019-05", "end": "2023", "paid": true, "project_bound": true,
           "fields_of_work": ["education", "mediation"]})
}

fn funding(funder: &str, recipient: &str, status: &str) -> Value {
    json!({"funder_id": funder, "recipient_id": recipient, "programme": "KOMM-AN NRW",
           "purpose": "Elterncafé", "amount_min": 1_000_000, "amount_max": 1_500_050,
           "start": "2020-01", "end": "2021-12-31", "project_bound": true, "status": status})
}

fn relation(source: &str, target: &str, kind: &str) -> Value {
    json!({"source_id": source, "target_id": target, "kind": kind, "start": "2018",
           "end": "2022-06", "approx_size": 40, "description": "über den Dachverband"})
}

fn source(title: &str) -> Value {
    json!({"title": title, "url": "https://example.org/studie", "accessed_on": "2024-03-01"})
}

/// `base` with the fields of `changes` set, or removed where the change is null.
fn patch(mut base: Value, changes: Value) -> Value {
    let fields = base.as_object_mut().unwrap();
    for (k, v) in changes.as_object().unwrap() {
        match v {
            Value::Null => fields.remove(k),
            _ => fields.insert(k.clone(), v.clone()),
        };
    }
    base
}

fn at(resource: &str, id: &str) -> String {
    format!("/api/v1/{resource}/{id}")
}

/// Every field of `want` has that value in `got`.
fn assert_has(got: &Value, want: &Value) {
    for (k, v) in want.as_object().unwrap() {
        assert_eq!(got[k], *v, "field {k} of {got}");
    }
}

fn actions(app: &TestApp, id: &str) -> Vec<String> {
    app.changes_of(id).into_iter().map(|(a, _)| a).collect()
}

impl Fx<'_> {
    fn post(&self, resource: &str, body: &Value) -> (Status, Value) {
        let path = format!("/api/v1/{resource}");
        self.app.post(&path, Some(&self.tok), body)
    }

    fn create(&self, resource: &str, body: Value) -> String {
        self.app.create(resource, &self.tok, body)
    }

    fn get(&self, resource: &str, id: &str) -> (Status, Value) {
        self.app.get(&at(resource, id), Some(&self.tok))
    }

    fn del(&self, resource: &str, id: &str) -> Status {
        self.app.delete(&at(resource, id), Some(&self.tok)).0
    }

    fn restore(&self, resource: &str, id: &str) -> Status {
        let path = format!("{}/restore", at(resource, id));
        self.app.post(&path, Some(&self.tok), &json!({})).0
    }

    /// The ids of a list answer, in order.
    fn list(&self, resource: &str, query: &str) -> Vec<String> {
        let path = format!("/api/v1/{resource}?limit=500&{query}");
        let (status, v) = self.app.get(&path, Some(&self.tok));
        assert_eq!(status, Status::Ok, "{path}: {v}");
        let items = v["items"].as_array().unwrap();
        assert_eq!(v["total"], items.len(), "{path}: total");
        let id = |i: &Value| i["id"].as_str().unwrap().to_string();
        items.iter().map(id).collect()
    }

    fn of_org(&self, resource: &str, org: &str) -> Vec<String> {
        self.list(resource, &format!("organisation={org}"))
    }

    /// Whether the record is found by id (else 404); it must be listed then, and only then.
    fn live(&self, resource: &str, id: &str) -> bool {
        let status = self.get(resource, id).0;
        assert!(matches!(status, Status::Ok | Status::NotFound), "{status}");
        let found = status == Status::Ok;
        let listed = self.list(resource, "").contains(&id.to_string());
        assert_eq!(found, listed, "{resource} {id}: get and list disagree");
        found
    }

    fn refuses_kind(&self, resource: &str, kind: &str) {
        let path = format!("/api/v1/{resource}?kind={kind}");
        let (status, v) = self.app.get(&path, None);
        assert_eq!(status, Status::UnprocessableEntity, "{v}");
        assert_eq!(TestApp::error_fields(&v), ["kind"]);
    }

    /// Create, get, replace, delete, restore, and the audit trail of all that. `changed`
    /// leaves out some fields of `body`, which the full replacement must then reset.
    fn lifecycle(&self, resource: &str, body: Value, changed: Value) -> String {
        let (status, created) = self.post(resource, &body);
        assert_eq!(status, Status::Created, "{created}");
        let id = created["id"].as_str().unwrap().to_string();
        let (status, got) = self.get(resource, &id);
        assert_eq!(status, Status::Ok, "{got}");
        assert_has(&got, &body);
        assert_eq!(got["deleted_at"], Value::Null);

        let (status, put) = self.app.put(&at(resource, &id), Some(&self.tok), &changed);
        assert_eq!(status, Status::Ok, "{put}");
        let replaced = self.get(resource, &id).1;
        assert_has(&replaced, &changed);
        for (k, v) in body.as_object().unwrap() {
            if changed.get(k).is_none() {
                assert_ne!(replaced[k], *v, "PUT kept the left-out field {k}");
            }
        }
        assert_eq!(replaced["created_at"], got["created_at"]);

        assert!(self.live(resource, &id));
        assert_eq!(self.del(resource, &id), Status::NoContent);
        assert!(!self.live(resource, &id), "{resource}: deleted");
        assert_eq!(self.restore(resource, &id), Status::Ok);
        assert!(self.live(resource, &id), "{resource}: restored");
        assert_has(&self.get(resource, &id).1, &changed);
        let expected = ["create", "update", "delete", "restore"];
        assert_eq!(actions(self.app, &id), expected, "{resource}");
        id
    }
}

fn persons_round_trip(app: &TestApp) {
    let fx = fixture(app);
    let src = fx.create("sources", source("Studie, Kapitel 4"));
    let mut body = person("Boris");
    body["is_pseudonym"] = json!(true);
    body["citations"] = json!([{"source_id": src, "locator": "4.3.2, I4.31"}]);
    let changed = json!({"display_name": "Boris Petrov", "visibility": "restricted",
                         "citations": [{"source_id": src, "locator": "4.4"}]});
    let id = fx.lifecycle("persons", body, changed);

    fx.create("affiliations", affiliation(&id, &fx.a, "chair"));
    assert_eq!(fx.list("persons", "q=PETROV"), [id.as_str()]);
    assert_eq!(fx.list("persons", "q=onesc"), [fx.person.as_str()]);
    assert_eq!(fx.of_org("persons", &fx.a), [id]);
    assert!(fx.of_org("persons", &fx.b).is_empty());
}

fn affiliations_round_trip(app: &TestApp) {
    let fx = fixture(app);
    let fund = fx.create("fundings", funding(&fx.c, &fx.a, "granted"));
    let mut body = affiliation(&fx.person, &fx.a, "chair");
    body["funding_id"] = json!(fund);
    let changed = json!({"person_id": fx.person, "organisation_id": fx.a, "role": "co_chair",
                         "start": "2019-05", "fields_of_work": ["youth"]});
    let id = fx.lifecycle("affiliations", body, changed);

    let other = fx.create("persons", person("Boris Petrov"));
    let second = fx.create("affiliations", affiliation(&other, &fx.b, "member"));
    assert_eq!(fx.of_org("affiliations", &fx.a), [id.as_str()]);
    let of_other = fx.list("affiliations", &format!("person={other}"));
    assert_eq!(of_other, [second.as_str()]);
    assert_eq!(fx.list("affiliations", "kind=co_chair"), [id]);
    assert_eq!(fx.list("affiliations", "kind=member"), [second]);
    fx.refuses_kind("affiliations", "boss");
}

fn fundings_round_trip(app: &TestApp) {
    let fx = fixture(app);
    let d = json!({"name": "Stiftung D", "kind": "funder"});
    let d = fx.create("organisations", d);
    let mut partners = [fx.c.clone(), d.clone()];
    partners.sort();
    let partners = json!({"co_applicant_ids": partners, "carrier_ids": [fx.c]});
    let body = patch(funding(&fx.a, &fx.b, "granted"), partners);
    let changed = json!({"funder_id": fx.a, "recipient_id": fx.b, "programme": "KOMM-AN NRW",
                         "amount_min": 1_500_050, "amount_max": 1_500_050, "start": "2020-01",
                         "status": "ended", "co_applicant_ids": [d]});
    let id = fx.lifecycle("fundings", body, changed);
    assert_eq!(fx.get("fundings", &id).1["currency"], "EUR", "the default");

    let second = fx.create("fundings", funding(&fx.c, &d, "applied"));
    assert_eq!(fx.of_org("fundings", &fx.a), [id.as_str()], "as funder");
    assert_eq!(fx.of_org("fundings", &fx.b), [id.as_str()], "as recipient");
    let of_d = fx.of_org("fundings", &d);
    assert_eq!(of_d, [second.as_str()], "not as partner");
    assert_eq!(fx.list("fundings", "kind=ended"), [id]);
    assert_eq!(fx.list("fundings", "kind=applied"), [second]);
    fx.refuses_kind("fundings", "pending");
}

fn relations_round_trip(app: &TestApp) {
    let fx = fixture(app);
    let src = fx.create("sources", source("Studie, Kapitel 4"));
    let mut body = relation(&fx.a, &fx.b, "member_of");
    body["citations"] = json!([{"source_id": src, "locator": "4.3.2, I4.31"}]);
    let changed = json!({"source_id": fx.a, "target_id": fx.b, "kind": "carrier_of",
                         "start": "2018"});
    let id = fx.lifecycle("relations", body, changed);

    let second = fx.create("relations", relation(&fx.b, &fx.c, "cooperates_with"));
    assert_eq!(fx.of_org("relations", &fx.a), [id.as_str()]);
    assert_eq!(
        fx.of_org("relations", &fx.b),
        [id.as_str(), second.as_str()]
    );
    assert_eq!(fx.of_org("relations", &fx.c), [second.as_str()]);
    assert_eq!(fx.list("relations", "kind=carrier_of"), [id]);
    assert_eq!(fx.list("relations", "kind=cooperates_with"), [second]);
    fx.refuses_kind("relations", "friends");
}

fn sources_round_trip(app: &TestApp) {
    let fx = fixture(app);
    let body = source("Zuwanderung aus Rumänien und Bulgarien");
    let changed = json!({"title": "Zuwanderung aus Rumänien und Bulgarien ins Ruhrgebiet"});
    let id = fx.lifecycle("sources", body, changed);
    let other = fx.create("sources", source("Integrationsbericht Dortmund"));
    assert_eq!(fx.list("sources", "q=RUHRGEBIET"), [id.as_str()]);
    assert_eq!(fx.list("sources", "q=bericht"), [other.as_str()]);
    assert!(fx.list("sources", "q=%25").is_empty(), "% is literal");
    assert_eq!(fx.list("sources", ""), [other, id]);
}

/// Each bad request is a 422 naming the field or a 409 naming the original; none writes.
fn bad_input(app: &TestApp) {
    let fx = fixture(app);
    let (p, a, b) = (fx.person.as_str(), fx.a.as_str(), fx.b.as_str());
    let src = fx.create("sources", source("Studie, Kapitel 4"));
    let aff = fx.create("affiliations", affiliation(p, a, "chair"));
    let fund = fx.create("fundings", funding(a, b, "granted"));
    let rel = fx.create("relations", relation(a, b, "member_of"));
    let nowhere = "0190aaaa-0000-7000-8000-000000000000";
    let reversed = || json!({"start": "2020", "end": "2019-12"});
    let no_source = json!([{"source_id": nowhere, "locator": "4.3"}]);
    #[rustfmt::skip]
    let cases = [
        ("persons", person("Boris Petrov"), vec![
            (json!({"display_name": null}), "display_name"),
            (json!({"display_name": " "}), "display_name"),
            (json!({"visibility": "secret"}), "visibility"),
            (json!({"nationality": "RO"}), "nationality"),
            (json!({"birth_date": "1980"}), "birth_date"),
            (json!({"citations": no_source}), "citations[0].source_id"),
        ]),
        ("affiliations", affiliation(p, a, "member"), vec![
            (json!({"role": null}), "role"),
            (json!({"role": "boss"}), "role"),
            (json!({"start": "2024-02-30"}), "start"),
            (reversed(), "end"),
            (json!({"person_id": nowhere}), "person_id"),
            (json!({"organisation_id": nowhere}), "organisation_id"),
            (json!({"funding_id": nowhere}), "funding_id"),
            (json!({"fields_of_work": ["gardening"]}), "fields_of_work[0]"),
        ]),
        ("fundings", funding(b, a, "granted"), vec![
            (json!({"status": null}), "status"),
            (json!({"status": "pending"}), "status"),
            (json!({"end": "2024-13"}), "end"),
            (reversed(), "end"),
            (json!({"funder_id": nowhere}), "funder_id"),
            (json!({"recipient_id": nowhere}), "recipient_id"),
            (json!({"co_applicant_ids": [nowhere]}), "co_applicant_ids[0]"),
            (json!({"amount_min": 9, "amount_max": 8}), "amount_max"),
            (json!({"recipient_id": b}), "recipient_id"),
            (json!({"currency": "euro"}), "currency"),
        ]),
        ("relations", relation(b, a, "member_of"), vec![
            (json!({"kind": null}), "kind"),
            (json!({"kind": "friends"}), "kind"),
            (json!({"start": "2024-02-30"}), "start"),
            (reversed(), "end"),
            (json!({"target_id": nowhere}), "target_id"),
            (json!({"target_id": b}), "target_id"),
            (json!({"approx_size": -1}), "approx_size"),
        ]),
        ("sources", source("Integrationsbericht"), vec![
            (json!({"title": null}), "title"),
            (json!({"url": "not a url"}), "url"),
            (json!({"accessed_on": "2024-13"}), "accessed_on"),
            (json!({"citations": []}), "citations"),
        ]),
    ];
    let before = app.snapshot();
    for (resource, valid, changes) in cases {
        for (change, field) in changes {
            let body = patch(valid.clone(), change);
            let (status, v) = fx.post(resource, &body);
            assert_eq!(status, Status::UnprocessableEntity, "{body}: {v}");
            let fields = TestApp::error_fields(&v);
            assert!(fields.contains(&field.into()), "{body}: want {field}: {v}");
            assert_eq!(app.snapshot(), before, "{resource} {body} wrote something");
        }
    }

    #[rustfmt::skip]
    let duplicates = [
        ("persons", person("ANA ionescu"), p),
        ("affiliations", patch(affiliation(p, a, "chair"), json!({"title": "Chair"})), &aff),
        ("fundings", patch(funding(a, b, "applied"), json!({"amount_min": 5})), &fund),
        ("relations", patch(relation(a, b, "member_of"), json!({"end": null})), &rel),
        ("sources", source("studie, KAPITEL 4"), &src),
    ];
    for (resource, body, existing) in duplicates {
        let (status, v) = fx.post(resource, &body);
        assert_eq!(status, Status::Conflict, "{resource} {body}: {v}");
        assert_eq!(v["existing_id"], existing, "{resource}");
        assert_eq!(app.snapshot(), before, "{resource}: duplicate written");
    }
}

/// Deleting an organisation or a person takes its links along; restoring brings back
/// those whose other end is live, and the others once their other end is restored.
fn cascade(app: &TestApp) {
    let fx = fixture(app);
    let (p, a, b, c) = (&fx.person, &fx.a, &fx.b, &fx.c);
    let aff = fx.create("affiliations", affiliation(p, a, "chair"));
    let gives = fx.create("fundings", funding(a, b, "granted"));
    let gets = fx.create("fundings", funding(c, a, "granted"));
    let rel = fx.create("relations", relation(b, a, "member_of"));
    let elsewhere = fx.create("relations", relation(b, c, "member_of"));

    assert_eq!(fx.del("organisations", a), Status::NoContent);
    assert!(!fx.live("affiliations", &aff) && !fx.live("fundings", &gives));
    assert!(!fx.live("fundings", &gets) && !fx.live("relations", &rel));
    assert!(fx.live("relations", &elsewhere));
    let (status, v) = fx.post("affiliations", &affiliation(p, a, "member"));
    assert_eq!(status, Status::UnprocessableEntity, "{v}");
    assert_eq!(TestApp::error_fields(&v), ["organisation_id"]);

    // B goes too, so the links between A and B have a deleted other end.
    assert_eq!(fx.del("organisations", b), Status::NoContent);
    assert_eq!(fx.restore("organisations", a), Status::Ok);
    assert!(fx.live("affiliations", &aff) && fx.live("fundings", &gets));
    assert!(!fx.live("fundings", &gives) && !fx.live("relations", &rel));
    assert!(!fx.live("relations", &elsewhere));
    // Restoring B brings back its own links and those that waited for it.
    assert_eq!(fx.restore("organisations", b), Status::Ok);
    assert!(fx.live("relations", &elsewhere));
    assert!(fx.live("fundings", &gives) && fx.live("relations", &rel));

    let of_person = format!("person={p}");
    assert_eq!(fx.del("persons", p), Status::NoContent);
    assert!(!fx.live("affiliations", &aff));
    assert!(fx.list("affiliations", &of_person).is_empty());
    assert_eq!(fx.restore("persons", p), Status::Ok);
    assert_eq!(fx.list("affiliations", &of_person), [aff.as_str()]);
    let expected = ["create", "delete", "restore", "delete", "restore"];
    assert_eq!(actions(app, &aff), expected);
}

/// A deleted record cannot be updated (404); a live one cannot be restored (409).
fn deleted_and_live(app: &TestApp) {
    let fx = fixture(app);
    let records = [
        ("persons", person("Boris Petrov")),
        ("affiliations", affiliation(&fx.person, &fx.a, "chair")),
        ("fundings", funding(&fx.a, &fx.b, "granted")),
        ("relations", relation(&fx.a, &fx.b, "member_of")),
        ("sources", source("Studie, Kapitel 4")),
    ];
    for (resource, body) in records {
        let id = fx.create(resource, body.clone());
        assert_eq!(fx.restore(resource, &id), Status::Conflict, "{resource}");
        assert_eq!(fx.del(resource, &id), Status::NoContent);
        let before = app.snapshot();
        let (status, v) = app.put(&at(resource, &id), Some(&fx.tok), &body);
        assert_eq!(status, Status::NotFound, "{resource}: {v}");
        assert_eq!(fx.del(resource, &id), Status::NotFound, "{resource}");
        assert_eq!(app.snapshot(), before, "{resource}");
        assert_eq!(fx.restore(resource, &id), Status::Ok, "{resource}");
        assert_eq!(fx.restore(resource, &id), Status::Conflict, "{resource}");
    }
}

/// A partner named twice is one partner, not a database error.
fn funding_partner_named_twice(app: &TestApp) {
    let fx = fixture(app);
    let twice = json!({"co_applicant_ids": [fx.c, fx.b, fx.c], "carrier_ids": [fx.c]});
    let (status, v) = fx.post("fundings", &patch(funding(&fx.a, &fx.b, "granted"), twice));
    assert_eq!(status, Status::Created, "{v}");
    assert_eq!(v["co_applicant_ids"].as_array().unwrap().len(), 2, "{v}");
}

/// Text filters and duplicate checks ignore case beyond ASCII too: a capital umlaut is
/// found when spelled exactly, and "ömer" duplicates "Ömer".
fn search_non_ascii(app: &TestApp) {
    let fx = fixture(app);
    let id = fx.create("sources", source("Überblick Ruhrgebiet"));
    let found = fx.list("sources", "q=%C3%9Cberblick");
    let omer = fx.create("persons", person("Ömer Yilmaz"));
    let (status, v) = fx.post("persons", &person("ömer yilmaz"));
    let got = (found, status, v["existing_id"].clone());
    assert_eq!(got, (vec![id], Status::Conflict, json!(omer)));
}

on_both_backends!(persons_round_trip, affiliations_round_trip);
on_both_backends!(fundings_round_trip, relations_round_trip);
on_both_backends!(sources_round_trip, bad_input, cascade, deleted_and_live);
on_both_backends!(funding_partner_named_twice, search_non_ascii);
