//! How kinds look: each organisation kind has a shape and a colour (shape too, so colour
//! is not the only cue; colours from the Okabe–Ito palette, readable with colour-vision
//! deficiencies), each link kind a colour and a dash pattern.
use crate::domain::OrgKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Square,
    Diamond,
    Triangle,
    TriangleDown,
    Hexagon,
}

/// The shape and fill of an organisation kind; `None` is a person.
pub fn node(kind: Option<OrgKind>) -> (Shape, &'static str) {
    use OrgKind::*;
    match kind {
        None => (Shape::Circle, "#555555"),
        Some(MigrantOrganisation) => (Shape::Circle, "#0072B2"),
        Some(RomaSelfOrganisation) => (Shape::Circle, "#D55E00"),
        Some(StateAssociation) => (Shape::Hexagon, "#009E73"),
        Some(FederalAssociation) => (Shape::Hexagon, "#56B4E9"),
        Some(EuropeanAssociation) => (Shape::Hexagon, "#004D40"),
        Some(Municipality) => (Shape::Square, "#CC79A7"),
        Some(MunicipalUnit) => (Shape::Square, "#E7A9CF"),
        Some(StateBody) => (Shape::Square, "#7F3C8D"),
        Some(Funder) => (Shape::Diamond, "#E69F00"),
        Some(WelfareOrganisation) => (Shape::Triangle, "#F0E442"),
        Some(ReligiousCommunity) => (Shape::TriangleDown, "#999999"),
        Some(InformalNetwork) => (Shape::TriangleDown, "#56B4E9"),
        Some(Project) => (Shape::Diamond, "#8C6D31"),
        Some(OriginMunicipality) => (Shape::Square, "#BBBBBB"),
        Some(Other) => (Shape::Circle, "#BBBBBB"),
    }
}

/// The SVG element of a shape centred at (x, y) with radius r (no closing attributes).
pub fn shape(shape: Shape, x: f32, y: f32, r: f32) -> String {
    let points = |corners: &[(f32, f32)]| {
        corners
            .iter()
            .map(|(dx, dy)| format!("{:.1},{:.1}", x + dx * r, y + dy * r))
            .collect::<Vec<_>>()
            .join(" ")
    };
    match shape {
        Shape::Circle => format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\""),
        Shape::Square => format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"",
            x - r * 0.9,
            y - r * 0.9,
            r * 1.8,
            r * 1.8
        ),
        Shape::Diamond => format!(
            "<polygon points=\"{}\"",
            points(&[(0.0, -1.2), (1.2, 0.0), (0.0, 1.2), (-1.2, 0.0)])
        ),
        Shape::Triangle => format!(
            "<polygon points=\"{}\"",
            points(&[(0.0, -1.2), (1.1, 0.8), (-1.1, 0.8)])
        ),
        Shape::TriangleDown => format!(
            "<polygon points=\"{}\"",
            points(&[(0.0, 1.2), (1.1, -0.8), (-1.1, -0.8)])
        ),
        Shape::Hexagon => format!(
            "<polygon points=\"{}\"",
            points(&[
                (1.0, 0.0),
                (0.5, 0.87),
                (-0.5, 0.87),
                (-1.0, 0.0),
                (-0.5, -0.87),
                (0.5, -0.87)
            ])
        ),
    }
}

/// Colour and dash pattern of a link kind.
pub fn edge(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "staff" => ("#444444", ""),
        "affiliation" => ("#888888", ""),
        "funding" => ("#E69F00", ""),
        "member_of" => ("#0072B2", "6 3"),
        "part_of" => ("#0072B2", "2 2"),
        "carrier_of" => ("#009E73", "8 3 2 3"),
        "relies_on" => ("#CC79A7", "4 2"),
        "founded_on_initiative_of" | "supported_founding_of" => ("#D55E00", "1 3"),
        "migration_link" => ("#7F3C8D", "10 4"),
        "round_table" | "partnership" => ("#999999", "3 3"),
        _ => ("#999999", ""),
    }
}

/// Every link kind a picture can hold, in legend order.
pub const EDGE_KINDS: [&str; 12] = [
    "staff",
    "affiliation",
    "funding",
    "member_of",
    "part_of",
    "carrier_of",
    "relies_on",
    "founded_on_initiative_of",
    "supported_founding_of",
    "cooperates_with",
    "round_table",
    "migration_link",
];

/// The ring of a highlighted node and the stroke of a highlighted link.
pub const MARK: &str = "#000000";
/// The ring of a node that would lose funding ("what if this funder stops").
pub const LOSS: &str = "#B3261E";

/// The colours of this table as JSON, for the page's canvas drawing (which draws every
/// node as a circle): `{"node": {kind or "person": fill}, "edge": {kind: colour},
/// "edge_default": …, "mark": …, "loss": …}`.
pub fn palette_json() -> String {
    let nodes: serde_json::Map<String, serde_json::Value> = OrgKind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), node(Some(*k)).1.into()))
        .chain([("person".to_string(), node(None).1.into())])
        .collect();
    let edges: serde_json::Map<String, serde_json::Value> = EDGE_KINDS
        .iter()
        .copied()
        .chain(crate::domain::RelationKind::ALL.iter().map(|k| k.as_str()))
        .map(|k| (k.to_string(), edge(k).0.into()))
        .collect();
    serde_json::json!({
        "node": nodes,
        "edge": edges,
        "edge_default": edge("").0,
        "mark": MARK,
        "loss": LOSS,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_palette_names_every_kind_in_this_table() {
        let palette: serde_json::Value = serde_json::from_str(&palette_json()).unwrap();
        for k in OrgKind::ALL {
            assert_eq!(palette["node"][k.as_str()], node(Some(*k)).1);
        }
        assert_eq!(palette["node"]["person"], node(None).1);
        for k in EDGE_KINDS {
            assert_eq!(palette["edge"][k], edge(k).0);
        }
        assert_eq!(palette["edge"]["partnership"], edge("partnership").0);
        assert_eq!(palette["loss"], LOSS);
    }
}
