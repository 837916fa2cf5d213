//! Dependencies between organisations on a small hand-built fixture: what an
//! organisation depends on and who depends on it, with reasons, hidden staff, time
//! filters, and cycles under `/api/v1/dependencies/cycles`.
//! Every expected answer below is worked out by hand from the fixture it follows.
mod common;

use common::graph::{list, names, not_found, org_ref, refused, sorted, texts, Fx};
use common::TestApp;
use serde_json::{json, Value};

fn reason(kind: &str, record_id: Option<&str>) -> Value {
    json!({"kind": kind, "record_id": record_id, "share": null, "person": null})
}

fn dependencies(app: &TestApp) {
    let fx = Fx::new(app);
    let city = fx.org("Stadt Xhausen", "municipality", "Xhausen");
    let v = fx.org("Verein Vau", "roma_self_organisation", "Xhausen");
    let f = fx.org("Fonds Eff", "funder", "Berlin");
    let u = fx.org("Dachverband Uh", "federal_association", "Berlin");
    let q = fx.org("Quartiersbüro Xhausen", "municipal_unit", "Xhausen");
    let j = app.create(
        "organisations",
        &fx.editor,
        json!({"name": "Jugendamt Xhausen", "kind": "municipal_unit", "city": "Xhausen", "parent_id": city}),
    );
    let r_init = fx.relation(&v, &city, "founded_on_initiative_of", Some("2016"), None);
    let r_rel = fx.relation(&city, &v, "relies_on", None, None);
    let r_mem = fx.relation(&v, &u, "member_of", None, None);
    let r_part = fx.relation(&j, &city, "part_of", None, None);
    let r_sup = fx.relation(&q, &v, "supported_founding_of", None, None);
    let g = fx.grant(
        &f,
        &v,
        json!({"amount_min": 1000, "amount_max": 1000, "start": "2019", "end": "2020"}),
    );
    let p = fx.person("Vorstand Vau", "restricted");
    fx.role(&p, &v, "board_member", Some("2019"), None);
    fx.role(&p, &j, "employee", Some("2018"), Some("2020"));
    // A plain cooperation is no dependency.
    fx.relation(&v, &q, "cooperates_with", None, None);

    let city_ref = org_ref(&city, "Stadt Xhausen", "municipality", "Xhausen");
    let v_ref = org_ref(&v, "Verein Vau", "roma_self_organisation", "Xhausen");
    let j_ref = org_ref(&j, "Jugendamt Xhausen", "municipal_unit", "Xhausen");
    let staffing = |person: Value| json!({"kind": "staffing", "record_id": null, "share": null, "person": person});
    let editor = fx.editor.as_str();

    // Verein Vau depends on five organisations, sorted by name.
    let deps = app.ok(&format!("/api/v1/dependencies/{v}"), None);
    assert_eq!(deps["organisation"], v_ref);
    let expected = json!([
        {"organisation": org_ref(&u, "Dachverband Uh", "federal_association", "Berlin"),
         "reasons": [reason("member_of", Some(&r_mem))]},
        {"organisation": org_ref(&f, "Fonds Eff", "funder", "Berlin"),
         "reasons": [{"kind": "funding", "record_id": g, "share": {"mid": 1.0, "min": 1.0, "max": 1.0}, "person": null}]},
        {"organisation": j_ref, "reasons": [staffing(Value::Null)]},
        {"organisation": org_ref(&q, "Quartiersbüro Xhausen", "municipal_unit", "Xhausen"),
         "reasons": [reason("founding_support", Some(&r_sup))]},
        {"organisation": city_ref, "reasons": [reason("founding_initiative", Some(&r_init))]},
    ]);
    assert_eq!(deps["depends_on"], expected);
    let text = deps.to_string();
    assert!(
        !text.contains(&p) && !text.contains("Vorstand Vau"),
        "{text}"
    );
    let named = app.ok(&format!("/api/v1/dependencies/{v}"), Some(editor));
    assert_eq!(
        named["depends_on"][2]["reasons"],
        json!([staffing(json!({"id": p, "name": "Vorstand Vau"}))])
    );
    // In 2017 neither the funding (2019–2020) nor the board role (from 2019) counts.
    let y2017 = app.ok(&format!("/api/v1/dependencies/{v}?as_of=2017"), None);
    assert_eq!(
        names(&y2017["depends_on"], "organisation"),
        ["Dachverband Uh", "Quartiersbüro Xhausen", "Stadt Xhausen"]
    );

    assert_eq!(
        app.ok(&format!("/api/v1/dependencies/{city}"), None)["depends_on"],
        json!([{"organisation": v_ref, "reasons": [reason("relies_on", Some(&r_rel))]}])
    );
    assert_eq!(
        app.ok(&format!("/api/v1/dependencies/{j}"), None)["depends_on"],
        json!([{"organisation": city_ref,
                "reasons": [reason("parent", None), reason("part_of", Some(&r_part))]}])
    );

    // Dependents: who depends on the city, on the Jugendamt, on the fund.
    let on_city = app.ok(&format!("/api/v1/dependents/{city}"), None);
    assert_eq!(on_city["organisation"], city_ref);
    assert_eq!(
        on_city["dependents"],
        json!([
            {"organisation": j_ref, "reasons": [reason("parent", None), reason("part_of", Some(&r_part))]},
            {"organisation": v_ref, "reasons": [reason("founding_initiative", Some(&r_init))]},
        ])
    );
    let on_j = app.ok(&format!("/api/v1/dependents/{j}"), None);
    assert_eq!(
        on_j["dependents"],
        json!([{"organisation": v_ref, "reasons": [staffing(Value::Null)]}])
    );
    assert!(!on_j.to_string().contains(&p));
    let on_j_named = app.ok(&format!("/api/v1/dependents/{j}"), Some(editor));
    assert_eq!(
        on_j_named["dependents"][0]["reasons"][0]["person"]["name"],
        "Vorstand Vau"
    );
    let on_f = app.ok(&format!("/api/v1/dependents/{f}"), None);
    assert_eq!(names(&on_f["dependents"], "organisation"), ["Verein Vau"]);
    assert_eq!(on_f["dependents"][0]["reasons"][0]["kind"], "funding");
    assert_eq!(
        app.ok(&format!("/api/v1/dependents/{f}?as_of=2021"), None)["dependents"],
        json!([])
    );
    assert_eq!(
        app.ok(&format!("/api/v1/dependents/{v}"), None)["dependents"],
        json!([{"organisation": city_ref, "reasons": [reason("relies_on", Some(&r_rel))]}])
    );

    // Cycles. With everything: V → City (founding initiative), City → V (relies on),
    // V → J (staffing, 2019–2020), J → City (parent, part of) → one component of three.
    let cycles = app.ok("/api/v1/dependencies/cycles", None);
    assert_eq!(list(&cycles).len(), 1, "{cycles}");
    let members: Vec<&str> = list(&cycles[0]["organisations"])
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        members,
        ["Jugendamt Xhausen", "Stadt Xhausen", "Verein Vau"]
    );
    assert_eq!(
        sorted(&cycles[0]["edges"]),
        texts(&[
            json!([j, city, ["parent", "part_of"]]),
            json!([city, v, ["relies_on"]]),
            json!([v, city, ["founding_initiative"]]),
            json!([v, j, ["staffing"]]),
        ])
    );
    // In 2017 the staffing link is not there yet: the founding initiative and reliance
    // alone make the cycle.
    let y2017 = app.ok("/api/v1/dependencies/cycles?as_of=2017", None);
    assert_eq!(list(&y2017).len(), 1, "{y2017}");
    assert_eq!(
        y2017[0]["organisations"],
        json!([city_ref, v_ref]),
        "{y2017}"
    );
    assert_eq!(
        sorted(&y2017[0]["edges"]),
        texts(&[
            json!([city, v, ["relies_on"]]),
            json!([v, city, ["founding_initiative"]]),
        ])
    );
    // Before the founding initiative (2016) there is no cycle.
    assert_eq!(
        app.ok("/api/v1/dependencies/cycles?as_of=2015", None),
        json!([])
    );

    refused(
        app,
        &format!("/api/v1/dependencies/{v}?as_of=2019-00"),
        "as_of",
    );
    refused(app, &format!("/api/v1/dependents/{v}?to=abc"), "to");
    refused(app, "/api/v1/dependencies/cycles?as_of=19", "as_of");
    not_found(app, "/api/v1/dependencies/no-such-id", None);
    not_found(app, "/api/v1/dependents/no-such-id", None);
    not_found(app, &format!("/api/v1/dependencies/{p}"), Some(editor));
}

on_both_backends!(dependencies);
