//! What Excel does with a cell it opens: the one rule both the exports and the importer's rejects file need,
//! kept below both so neither depends on the other.

/// A text cell Excel would take for a formula (`=`, `+`, `-`, `@`, or a leading tab or carriage return:
/// the CSV-injection characters) gets a leading apostrophe, which Excel shows as plain text.
pub fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}
