//! Near matches: names that differ only in spacing, punctuation, case or a trailing
//! legal form ("Romano Drom e. V." and "Romano Drom e.V.", "Romano-Drom eV"). The
//! duplicate rule (same name, kind and city) catches exact repeats; these are for the
//! user to confirm.
use std::collections::HashMap;

/// Legal forms that may trail a name, as word sequences after punctuation is dropped.
const TRAILING_FORMS: [&[&str]; 6] = [
    &["e", "v"],
    &["ev"],
    &["ggmbh"],
    &["gmbh"],
    &["g", "e", "v"],
    &["gev"],
];

/// The name reduced to its letters and digits in lower case, without a trailing legal form.
pub fn loose(name: &str) -> String {
    let lower = name.to_lowercase();
    let mut words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    for form in TRAILING_FORMS {
        if words.len() > form.len() && words.ends_with(form) {
            words.truncate(words.len() - form.len());
            break;
        }
    }
    words.concat()
}

/// Records by loose key, per table: (id, label).
#[derive(Default)]
pub struct NearIndex {
    keys: HashMap<(&'static str, String), (String, String)>,
    loaded: Vec<&'static str>,
}

impl NearIndex {
    pub fn is_loaded(&self, table: &'static str) -> bool {
        self.loaded.contains(&table)
    }

    pub fn mark_loaded(&mut self, table: &'static str) {
        self.loaded.push(table);
    }

    pub fn add(&mut self, table: &'static str, key: String, id: &str, label: &str) {
        self.keys
            .entry((table, key))
            .or_insert_with(|| (id.to_string(), label.to_string()));
    }

    pub fn get(&self, table: &'static str, key: &str) -> Option<&(String, String)> {
        self.keys.get(&(table, key.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::loose;

    #[test]
    fn spelling_variants_meet() {
        let key = loose("Romano Drom e.V.");
        assert_eq!(key, "romanodrom");
        for variant in [
            "Romano Drom e. V.",
            "romano-drom eV",
            "ROMANO DROM",
            "Romano Drom",
        ] {
            assert_eq!(loose(variant), key, "{variant}");
        }
        assert_ne!(loose("Romano Drom Köln"), key);
        assert_eq!(
            loose("e.V."),
            "ev",
            "a name that is only a legal form stays"
        );
        assert_eq!(loose("Kiev"), "kiev");
    }
}
