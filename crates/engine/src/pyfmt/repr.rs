//! Python's `repr` of a `float`: the shortest digits that round-trip, in Python's layout.

/// Python `repr(x)` for a `float`: the shortest digits that round-trip.
///
/// Exists for parity with the Python reference. Uses positional notation when the decimal
/// exponent `e` of `d.ddd × 10^e` satisfies `-4 <= e < 16` (always with a `.`: `1.0`,
/// `-100.0`, `0.0001`), scientific otherwise with a signed exponent of at least two digits
/// (`1e+16`, `1.5e-07`); `nan`, `inf`, `-inf` for non-finite values.
pub fn repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    // `{:e}` without precision yields the shortest round-trip digit count, e.g. "-1.2345e-5".
    // When two candidates of that length are equally close to `x`, Rust rounds the last
    // digit up whereas CPython's dtoa rounds it to even, so re-round the exact value to that
    // many significant digits (Rust's `{:.N}` is exact and half-to-even).
    let shortest = format!("{x:e}");
    let mantissa_len = shortest.find('e').expect("`{:e}` always contains 'e'");
    let n_digits = shortest[..mantissa_len]
        .bytes()
        .filter(u8::is_ascii_digit)
        .count();
    let sci = format!("{x:.prec$e}", prec = n_digits - 1);
    let (mantissa, exp) = sci.split_once('e').expect("`{:e}` always contains 'e'");
    let exp: i32 = exp.parse().expect("`{:e}` exponent is an integer");
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|&c| c != '.').collect();
    let digits = match digits.trim_end_matches('0') {
        "" => "0",
        trimmed => trimmed,
    };

    let mut out = String::from(sign);
    if (-4..16).contains(&exp) {
        if exp < 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-exp - 1) as usize));
            out.push_str(digits);
        } else {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                out.push_str(digits);
                out.extend(std::iter::repeat_n('0', int_len - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let exp_sign = if exp < 0 { '-' } else { '+' };
        out.push_str(&format!("e{exp_sign}{:02}", exp.unsigned_abs()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pyfmt::tables::{FLOAT_CASES, rows};

    /// `bits repr` for random bit patterns, as CPython 3.11 prints them.
    const REPR_CASES: &str = include_str!("../../tests/data/pyfmt/repr_cases.txt");

    #[test]
    fn brief_examples() {
        for (x, want) in [
            (1.0, "1.0"),
            (0.7, "0.7"),
            (-100.0, "-100.0"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (1e-05, "1e-05"),
            (0.0001, "0.0001"),
            (2.5e20, "2.5e+20"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (-1e-07, "-1e-07"),
            (9_386_424_833_273.0 + 0.0625, "9386424833273.062"), // shortest-digit tie: to even
            (1_566_593_982_899_119.0 + 0.25, "1566593982899119.2"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (f64::NAN, "nan"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
        ] {
            assert_eq!(repr(x), want, "repr({x:?})");
        }
    }

    #[test]
    fn float_table_matches_cpython() {
        for (x, cols) in rows(FLOAT_CASES) {
            assert_eq!(repr(x), cols[0], "repr({x:?})");
        }
    }

    #[test]
    fn repr_table_matches_cpython() {
        let mut n = 0;
        for (x, cols) in rows(REPR_CASES) {
            assert_eq!(repr(x), cols[0], "repr({:#x})", x.to_bits());
            n += 1;
        }
        assert!(n > 300, "{n}");
    }

    #[test]
    fn repr_round_trips() {
        let table = rows(FLOAT_CASES).chain(rows(REPR_CASES)).map(|(x, _)| x);
        // xorshift64*: deterministic random bit patterns covering every exponent.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let random = std::iter::repeat_with(move || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            f64::from_bits(state.wrapping_mul(0x2545_F491_4F6C_DD1D))
        })
        .take(20_000);
        for x in table.chain(random).filter(|x| x.is_finite()) {
            let s = repr(x);
            assert!(s.contains('.') || s.contains('e'), "{s}");
            let back: f64 = s.parse().unwrap();
            assert_eq!(back.to_bits(), x.to_bits(), "{s}");
        }
    }
}
