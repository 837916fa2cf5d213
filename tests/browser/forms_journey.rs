//! An editor fills in the organisation form badly — no name, no kind, month 13, more
//! members "from" than "to", a web address without http — and sees every problem at once
//! in a list above the form that has the focus, each a link to its field; follows a link
//! to the field, fixes everything, saves and reads "Gespeichert". Once at desktop size
//! (1366×900) and once on a phone (390×844), where the page does not scroll sideways.
use super::*;

/// The ids the links of the list of problems point to.
async fn summary_targets(c: &Client) -> Vec<String> {
    let found = js(
        c,
        "return Array.from(document.querySelectorAll('#form-errors a')) \
           .map(a => a.getAttribute('href').slice(1));",
    )
    .await;
    serde_json::from_value(found).expect("links of the list")
}

async fn active_id(c: &Client) -> String {
    js(
        c,
        "return document.activeElement ? document.activeElement.id : '';",
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// Fills the form badly, sees every problem, follows a link, fixes all and saves.
async fn bad_form_then_fixed(c: &Client, base: &str, size: &str, name: &str) {
    c.goto(&format!("{base}/organisations/new"))
        .await
        .expect("form");
    text_with(c, "h1", "Organisation eintragen").await;
    fill(c, "#founded", "2021-13").await;
    fill(c, "#member_count_min", "50").await;
    fill(c, "#member_count_max", "10").await;
    fill(c, "#website", "verein.example").await;
    click_to_next_page(c, "#save").await;

    let list = text_with(c, "#form-errors", "Nicht gespeichert").await;
    let targets = summary_targets(c).await;
    for field in ["name", "kind", "founded", "member_count_max", "website"] {
        assert!(
            targets.iter().any(|t| t == field),
            "{field} listed: {targets:?}"
        );
    }
    for words in [
        "Name: Bitte ausfüllen",
        "Art: Bitte auswählen",
        "Kein gültiges Datum",
    ] {
        assert!(list.contains(words), "{words}: {list}");
    }
    assert!(!list.contains('_'), "no field codes: {list}");
    until(
        c,
        "the focus on the list of problems",
        "return document.activeElement && document.activeElement.id === 'form-errors';",
    )
    .await;
    let invalid = js(
        c,
        "return Array.from(document.querySelectorAll('[aria-invalid=true]')).map(e => e.id);",
    )
    .await;
    assert_eq!(
        invalid,
        json!(["name", "kind", "founded", "website", "member_count_max"]),
        "fields marked"
    );
    let described = js(
        c,
        "const f = document.getElementById('founded'); \
         return f.getAttribute('aria-describedby').split(' ') \
           .map(id => document.getElementById(id).textContent);",
    )
    .await;
    assert!(
        described.to_string().contains("14.05.2019"),
        "the field reads its hint and message: {described}"
    );
    let page = widths(c).await;
    assert!(fits(&page), "{size}: no sideways scrolling: {page}");
    shot(c, &format!("form-errors-{size}")).await;

    // A link of the list leads to its field.
    click(c, "#form-errors a[href='#founded']").await;
    until(
        c,
        "the founded field in view with its label",
        "const l = document.querySelector('label[for=founded]').getBoundingClientRect(); \
         const r = document.getElementById('founded').getBoundingClientRect(); \
         return location.hash === '#founded' && l.top >= 0 && r.bottom <= innerHeight;",
    )
    .await;
    assert_eq!(
        active_id(c).await,
        "founded",
        "{size}: the link focuses its field"
    );

    fill(c, "#name", name).await;
    choose(c, "#kind", "migrant_organisation").await;
    fill(c, "#founded", "05.2021").await;
    fill(c, "#member_count_min", "10").await;
    fill(c, "#member_count_max", "50").await;
    fill(c, "#website", "https://verein.example").await;
    click_to_next_page(c, "#save").await;
    text_with(c, "#done", "Gespeichert").await;
    text_with(c, "#org-name", name).await;
    assert!(text(c, "#org-founded").await.contains("2021"));
    let page = widths(c).await;
    assert!(fits(&page), "{size}: the profile fits: {page}");
    shot(c, &format!("form-saved-{size}")).await;
}

/// On the new organisation's page: "a person with a role" whose name is taken offers to
/// give the role, as typed, to the existing person; one click does it.
async fn role_for_an_existing_person(c: &Client) {
    const EXISTING: &str = "Co-Vorsitz Romano Drom (1)";
    click_to_next_page(c, "#add-person").await;
    fill(c, "#display_name", EXISTING).await;
    choose(c, "#role", "adviser").await;
    fill(c, "#title", "Beratung Elternarbeit").await;
    fill(c, "#start", "2023").await;
    click_to_next_page(c, "#save").await;
    text_with(c, "#existing-person", "schon eingetragen").await;
    let kept = c
        .find(Locator::Css("#title"))
        .await
        .expect("field")
        .prop("value")
        .await
        .expect("value");
    assert_eq!(kept.as_deref(), Some("Beratung Elternarbeit"), "typed kept");
    shot(c, "form-existing-person").await;
    click_to_next_page(c, "#add-to-existing").await;
    text_with(c, "#done", "Gespeichert").await;
    text_with(c, "#people", EXISTING).await;
}

pub async fn forms_journey(c: &Client, base: &str) {
    c.goto(&format!("{base}/signin"))
        .await
        .expect("sign-in page");
    fill(c, "#name", USER).await;
    fill(c, "#password", PASSWORD).await;
    click(c, "#signin-submit").await;
    text_with(c, ".who", USER).await;

    c.set_window_size(1366, 900).await.expect("desktop size");
    bad_form_then_fixed(c, base, "desktop", "Kulturverein Sonnenblume e.V.").await;
    role_for_an_existing_person(c).await;
    c.set_window_size(390, 844).await.expect("phone size");
    bad_form_then_fixed(c, base, "phone", "Elternverein Regenbogen e.V.").await;
}
