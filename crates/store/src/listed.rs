//! Listings stay small whatever is stored: a description or brief longer than
//! [`LISTED_TEXT_CHARS`] (runs stored before requests were capped, say) is cut in the query
//! and shown with an ellipsis. Fetching the one run or set still gives the whole text.

/// Most characters of a description or brief in a listing (the request cap).
pub const LISTED_TEXT_CHARS: usize = engine::model::MAX_DESCRIPTION_CHARS;

/// `column` as a listing selects it: one character more than is shown, so that a longer
/// text is known to be cut.
pub(crate) fn listed_column(column: &str) -> String {
    format!("substr({column}, 1, {}) AS {column}", LISTED_TEXT_CHARS + 1)
}

/// Cuts a text longer than [`LISTED_TEXT_CHARS`] to that many characters, the last an
/// ellipsis.
pub(crate) fn shorten(text: &mut String) {
    if text.len() <= LISTED_TEXT_CHARS {
        return;
    }
    if let Some((cut, _)) = text.char_indices().nth(LISTED_TEXT_CHARS - 1)
        && text[cut..].chars().nth(1).is_some()
    {
        text.truncate(cut);
        text.push('…');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_cut_with_an_ellipsis() {
        let mut exact = "é".repeat(LISTED_TEXT_CHARS);
        shorten(&mut exact);
        assert_eq!(exact.chars().count(), LISTED_TEXT_CHARS);
        assert!(!exact.ends_with('…'));

        let mut long = "a".repeat(LISTED_TEXT_CHARS + 1);
        shorten(&mut long);
        assert_eq!(long.chars().count(), LISTED_TEXT_CHARS);
        assert!(long.ends_with("a…"));
    }
}
