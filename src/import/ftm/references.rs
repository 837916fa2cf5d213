//! Reference entities (organisations by name only) resolved against the registry.
use super::*;

/// Makes the reference entities' rows (`REFERENCES`) organisation rows that name a record
/// and never change one: an organisation the registry has under the entity's id keeps
/// its name, kind and city (the row is then unchanged); else one live organisation of
/// that name (case ignored) lends its kind and city, so that the row matches it by
/// identity; else the row makes a new organisation (kind `other`, or `state_body` for a
/// `PublicBody`). `None` when there are no references (the tables as they are).
pub fn resolve_references(conn: &mut DbConn, tables: &[Table]) -> Result<Option<Vec<Table>>> {
    if !tables.iter().any(|t| t.name == REFERENCES) {
        return Ok(None);
    }
    // (name, kind, city) by id and the ids by lower-case name, of every live organisation.
    let mut by_id: HashMap<String, (String, &'static str, String)> = HashMap::new();
    let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
    let mut after = String::new();
    loop {
        let page = Organisation::live_after(conn, &after, 1000)?;
        for r in &page {
            by_name
                .entry(r.data.name.trim().to_lowercase())
                .or_default()
                .push(r.id.clone());
            let city = r.data.city.clone().unwrap_or_default();
            by_id.insert(
                r.id.clone(),
                (r.data.name.clone(), r.data.kind.as_str(), city),
            );
        }
        match page.last() {
            Some(last) if page.len() == 1000 => after = last.id.clone(),
            _ => break,
        }
    }
    let resolved = tables
        .iter()
        .map(|t| {
            if t.name != REFERENCES {
                return t.clone();
            }
            let rows = t
                .rows
                .iter()
                .map(|row| {
                    let mut cells = row.cells.clone();
                    cells.resize(REFERENCE_COLUMNS.len(), String::new());
                    let same_name = by_name
                        .get(&cells[1].trim().to_lowercase())
                        .filter(|ids| ids.len() == 1)
                        .and_then(|ids| by_id.get(&ids[0]));
                    if let Some((name, kind, city)) = by_id.get(&cells[0]) {
                        cells[1] = name.clone();
                        cells[2] = kind.to_string();
                        cells[3] = city.clone();
                    } else if let Some((_, kind, city)) = same_name {
                        cells[2] = kind.to_string();
                        cells[3] = city.clone();
                    }
                    Row {
                        line: row.line,
                        cells,
                    }
                })
                .collect();
            Table {
                file: t.file.clone(),
                name: "organisations",
                header: t.header.clone(),
                rows,
            }
        })
        .collect();
    Ok(Some(resolved))
}
