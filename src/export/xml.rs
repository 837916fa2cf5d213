//! Escaping for XML text and attribute values.
use std::borrow::Cow;

/// `text` safe inside an attribute value in double quotes or element text. Characters
/// XML 1.0 cannot hold at all (other control characters) are dropped; stored texts are
/// refused with them anyway.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| {
        matches!(c, '&' | '<' | '>' | '"' | '\'')
            || is_forbidden(c)
            || c == '\t'
            || c == '\n'
            || c == '\r'
    }) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Kept as characters: an attribute value would turn them into spaces.
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if is_forbidden(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn is_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_and_quotes_are_escaped_and_plain_text_is_borrowed() {
        assert_eq!(
            escape("Verein \"A\" & <B>"),
            "Verein &quot;A&quot; &amp; &lt;B&gt;"
        );
        assert_eq!(escape("a\nb\u{1}"), "a&#10;b");
        assert!(matches!(
            escape("Romano Drom e.V."),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
