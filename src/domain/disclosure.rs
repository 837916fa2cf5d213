//! The persons an answer shows its caller. Every answer that can show a person carries
//! one; the read log is written from it (never from the response body), so every output
//! format is covered the same way.
use std::collections::BTreeSet;

/// Ids of the persons an answer discloses, without repeats, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Disclosure(BTreeSet<String>);

impl Disclosure {
    pub fn none() -> Disclosure {
        Disclosure::default()
    }

    pub fn of<S: AsRef<str>>(ids: impl IntoIterator<Item = S>) -> Disclosure {
        Disclosure(ids.into_iter().map(|i| i.as_ref().to_string()).collect())
    }

    pub fn add(&mut self, id: impl Into<String>) {
        self.0.insert(id.into());
    }

    pub fn extend(&mut self, other: Disclosure) {
        self.0.extend(other.0);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, id: &str) -> bool {
        self.0.contains(id)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

impl FromIterator<String> for Disclosure {
    fn from_iter<I: IntoIterator<Item = String>>(iter: I) -> Self {
        Disclosure(iter.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::Disclosure;

    #[test]
    fn keeps_each_person_once() {
        let mut d = Disclosure::of(["b", "a"]);
        d.add("a");
        d.extend(Disclosure::of(["c"]));
        assert_eq!(d.ids().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert!(Disclosure::none().is_empty());
    }
}

/// A record that shows a person when it is shown: a person, or a person's role.
pub trait ShowsPerson {
    fn person_shown(&self) -> Option<&str>;
}

macro_rules! shows_no_person {
    ($($t:ty),*) => {
        $(impl ShowsPerson for super::Record<$t> {
            fn person_shown(&self) -> Option<&str> {
                None
            }
        })*
    };
}
shows_no_person!(
    super::Organisation,
    super::Funding,
    super::Relation,
    super::Source
);

impl ShowsPerson for super::Record<super::Person> {
    fn person_shown(&self) -> Option<&str> {
        Some(&self.id)
    }
}

impl ShowsPerson for super::Record<super::Affiliation> {
    fn person_shown(&self) -> Option<&str> {
        Some(&self.data.person_id)
    }
}

impl Disclosure {
    /// The persons among some shown records.
    pub fn of_records<'a, R: ShowsPerson + 'a>(records: impl IntoIterator<Item = &'a R>) -> Self {
        Disclosure::of(records.into_iter().filter_map(ShowsPerson::person_shown))
    }
}
