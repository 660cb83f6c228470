//! Python's `repr` of a `str` and of a `list[str]`.

/// Python `repr(items)` for a `list[str]`, e.g. `['A1', 'B2']`.
///
/// Exists for parity with the Python reference, which interpolates lists of identifiers into
/// messages. Each item is quoted as Python's `str.__repr__` does; see [`py_str_repr`].
pub fn py_str_list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| py_str_repr(s)).collect();
    format!("[{}]", inner.join(", "))
}

/// Python `repr(s)` for a `str`.
///
/// Quotes with `'` unless the string contains `'` and no `"`; escapes `\`, the chosen quote,
/// `\t`, `\n`, `\r`, and non-printable characters as `\xNN`, `\uNNNN` or `\UNNNNNNNN`.
/// Printability follows Python 3.11 (Unicode 14.0) for every assigned code point; unassigned
/// code points (category `Cn`, which Python also escapes) are left as is.
pub fn py_str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c => {
                let cp = u32::from(c);
                if cp < 0x100 {
                    out.push_str(&format!("\\x{cp:02x}"));
                } else if cp < 0x1_0000 {
                    out.push_str(&format!("\\u{cp:04x}"));
                } else {
                    out.push_str(&format!("\\U{cp:08x}"));
                }
            }
        }
    }
    out.push(quote);
    out
}

/// Assigned non-ASCII code points that Python 3.11's `str.isprintable` rejects, apart from
/// control characters (`Cc`): categories `Cf`, `Co`, `Zl`, `Zp` and `Zs` other than the space.
/// Generated from `unicodedata` (Unicode 14.0), inclusive ranges, by
/// `tests/data/pyfmt/generate.py --non-printable`.
const NON_PRINTABLE: [(u32, u32); 27] = [
    (0x00A0, 0x00A0),
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x1680, 0x1680),
    (0x180E, 0x180E),
    (0x2000, 0x200F),
    (0x2028, 0x202F),
    (0x205F, 0x2064),
    (0x2066, 0x206F),
    (0x3000, 0x3000),
    (0xE000, 0xF8FF),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x13438),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
    (0xF0000, 0xFFFFD),
    (0x100000, 0x10FFFD),
];

fn is_printable(c: char) -> bool {
    if c.is_control() {
        return false;
    }
    let cp = u32::from(c);
    cp < 0x80
        || NON_PRINTABLE
            .binary_search_by(|&(lo, hi)| {
                if hi < cp {
                    std::cmp::Ordering::Less
                } else if lo > cp {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `[items, repr(items)]` per line, as CPython 3.11 prints them.
    const STR_LIST_CASES: &str = include_str!("../../tests/data/pyfmt/str_list_cases.jsonl");

    #[test]
    fn brief_examples() {
        assert_eq!(py_str_list(&[]), "[]");
        assert_eq!(py_str_list(&["A1".into(), "B2".into()]), "['A1', 'B2']");
    }

    #[test]
    fn str_list_table_matches_cpython() {
        let mut n = 0;
        // Not `lines`: the cases hold U+2028 and other line breaks, which JSON leaves raw.
        for line in STR_LIST_CASES.split_terminator('\n') {
            let (items, want): (Vec<String>, String) = serde_json::from_str(line).unwrap();
            assert_eq!(py_str_list(&items), want);
            n += 1;
        }
        assert!(n > 10, "{n}");
    }

    #[test]
    fn non_printable_table_is_sorted_and_disjoint() {
        for pair in NON_PRINTABLE.windows(2) {
            assert!(pair[0].0 <= pair[0].1 && pair[0].1 < pair[1].0, "{pair:?}");
        }
    }
}
