//! Values of FtM properties as the import's cells: ids, amounts, dates, places, codes.
use super::*;

/// The record id an FtM entity id stands for: the UUID behind `kp-`, else a UUID made
/// from the id (version 8, SHA-256 of a fixed namespace and the id, RFC 9562 B.2).
pub fn entity_record_id(ftm_id: &str) -> String {
    if let Some(uuid) = ftm_id
        .strip_prefix("kp-")
        .filter(|rest| is_record_id(rest))
        .and_then(|rest| uuid::Uuid::try_parse(rest).ok())
    {
        return uuid.hyphenated().to_string();
    }
    let mut hash = Sha256::new();
    hash.update(NAMESPACE.as_bytes());
    hash.update(ftm_id.as_bytes());
    let digest = hash.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}

/// An FtM amount (a decimal number of the currency's units: `30000`, `30000.5`) in
/// cents, rounded half up beyond the cent.
pub fn cents(text: &str) -> std::result::Result<i64, String> {
    let bad = || format!("\"{text}\" is not an amount such as 30000 or 30000.5");
    let t = text.trim();
    let t = t.strip_prefix('+').unwrap_or(t);
    let (whole, fraction) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return Err(bad());
    }
    let units: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let mut f = fraction.bytes().map(|b| i64::from(b - b'0'));
    let (tenths, hundredths, rest) = (
        f.next().unwrap_or(0),
        f.next().unwrap_or(0),
        f.next().unwrap_or(0),
    );
    units
        .checked_mul(100)
        .and_then(|c| c.checked_add(tenths * 10 + hundredths + i64::from(rest >= 5)))
        .ok_or_else(bad)
}

/// The cell the import's euro columns read (`30000,50`).
pub(super) fn euro_cell(cents: i64) -> String {
    format!("{},{:02}", cents / 100, cents % 100)
}

/// The bounds a range says as the export writes it: `A bis B`, `mindestens A`,
/// `höchstens B`, `A` (exact).
pub(super) fn bounds(text: &str) -> (Option<&str>, Option<&str>) {
    let text = text.trim();
    if let Some((a, b)) = text.split_once(" bis ") {
        (Some(a.trim()), Some(b.trim()))
    } else if let Some(a) = text.strip_prefix("mindestens ") {
        (Some(a.trim()), None)
    } else if let Some(b) = text.strip_prefix("höchstens ") {
        (None, Some(b.trim()))
    } else {
        (Some(text), Some(text))
    }
}

/// An amount range in cents and its currency: (minimum, maximum, currency).
pub(super) type AmountRange = (Option<i64>, Option<i64>, Option<String>);

/// An amount range as the export writes it in a payment's description (`30000 bis 70000
/// EUR`).
pub(super) fn amount_range(text: &str) -> std::result::Result<AmountRange, String> {
    let text = text.trim();
    let (rest, currency) = match text.rsplit_once(' ') {
        Some((rest, unit)) if unit.len() == 3 && unit.bytes().all(|b| b.is_ascii_alphabetic()) => {
            (rest, Some(unit.to_ascii_uppercase()))
        }
        _ => (text, None),
    };
    let (min, max) = bounds(rest);
    Ok((
        min.map(cents).transpose()?,
        max.map(cents).transpose()?,
        currency,
    ))
}

/// The date part of an FtM date or date-time (`2019-05-14T10:00:00` → `2019-05-14`).
pub(super) fn date(value: &str) -> String {
    value
        .trim()
        .split(['T', ' '])
        .next()
        .unwrap_or_default()
        .to_string()
}

/// A city from an FtM address: the address itself (the export writes the city), or in a
/// postal address the place after the postcode (`Musterstr. 1, 47051 Duisburg`).
pub(super) fn city_of(address: &str) -> String {
    let after_postcode = |part: &str| -> Option<String> {
        let part = part.trim();
        let part = ["D-", "DE-"]
            .iter()
            .find_map(|p| part.strip_prefix(p))
            .unwrap_or(part);
        let (code, place) = part.split_once(char::is_whitespace)?;
        let place = place.trim();
        ((4..=5).contains(&code.len())
            && code.bytes().all(|b| b.is_ascii_digit())
            && !place.is_empty())
        .then(|| place.to_string())
    };
    address
        .split([',', '\n'])
        .find_map(after_postcode)
        .unwrap_or_else(|| address.trim().to_string())
}

/// A legal form: the code, or a few common German and English names of it.
pub(super) fn legal_form(text: &str) -> Option<LegalForm> {
    if let Ok(f) = text.trim().parse() {
        return Some(f);
    }
    let key: String = text
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    Some(match key.as_str() {
        "ev" | "eingetragenerverein" | "registeredassociation" | "verein" => {
            LegalForm::RegisteredAssociation
        }
        "stiftung" | "foundation" => LegalForm::Foundation,
        "gmbh" | "ggmbh" | "ag" | "ug" | "ughaftungsbeschränkt" | "company" | "gesellschaft" => {
            LegalForm::Company
        }
        "kdör" | "körperschaftdesöffentlichenrechts" | "publicbody" => LegalForm::PublicBody,
        _ => return None,
    })
}

/// A code or the German label of one (`Bildung` → education).
pub(super) fn code_or_label<T: Copy + std::str::FromStr>(
    text: &str,
    all: &[T],
    label: fn(&T) -> &'static str,
) -> Option<T> {
    let text = text.trim();
    text.parse()
        .ok()
        .or_else(|| all.iter().find(|v| label(v) == text).copied())
}
