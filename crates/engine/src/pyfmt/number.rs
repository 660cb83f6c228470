//! Fixed-point, grouped and percent formatting: Python's `.{d}f`, `,.0f` and `.{d}%`.

/// Python `format(x, f".{decimals}f")`.
///
/// Exists for parity with the Python reference: rounds the exact binary value half-to-even
/// (`0.125` → `"0.12"`, `2.675` → `"2.67"`), keeps the sign of negative zero (`-0.001` →
/// `"-0.00"`) and spells non-finite values `nan`, `inf`, `-inf`.
pub fn fixed(x: f64, decimals: usize) -> String {
    if x.is_nan() {
        return "nan".to_owned();
    }
    // Rust prints the exact decimal expansion rounded half-to-even, "inf" and "-inf",
    // and "-0.00" for negative values that round to zero, all as Python does.
    fixed_by_integers(x, decimals).unwrap_or_else(|| format!("{x:.decimals$}"))
}

/// `10^d` for the decimal counts [`fixed_by_integers`] takes; each is exact in an `f64`.
const POWERS_OF_TEN: [u64; 7] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

/// [`fixed`] by rounding `|x|·10^d` to an integer, when that rounding cannot differ from
/// rounding the exact decimal value; `None` otherwise.
///
/// Exact float formatting walks the whole binary expansion (and often falls back to
/// big-integer arithmetic); messages format dozens of amounts per run. The product `|x|·10^d`
/// is rounded once, by at most half an ulp: below 2^40 that is under 2^-13. So when its
/// fractional part is further than 2^-12 from one half, the exact value lies on the same side
/// of the half and both round alike. Ties and near-ties, large magnitudes, non-finite values
/// and more than six decimals go to the exact formatter.
fn fixed_by_integers(x: f64, decimals: usize) -> Option<String> {
    const LIMIT: f64 = (1u64 << 40) as f64;
    const NEAR_HALF: f64 = 1.0 / 4096.0;
    let unit = *POWERS_OF_TEN.get(decimals)?;
    let scaled = x.abs() * unit as f64;
    // Also rejects infinities and NaN.
    if scaled.is_nan() || scaled >= LIMIT {
        return None;
    }
    let whole = scaled.floor();
    let fraction = scaled - whole;
    if (fraction - 0.5).abs() <= NEAR_HALF {
        return None;
    }
    // `whole` < 2^40: exact as an integer.
    let rounded = whole as u64 + u64::from(fraction > 0.5);
    let sign = if x.is_sign_negative() { "-" } else { "" };
    let integer = rounded / unit;
    Some(if decimals == 0 {
        format!("{sign}{integer}")
    } else {
        let digits = rounded % unit;
        format!("{sign}{integer}.{digits:0decimals$}")
    })
}

/// Python `format(x, ",.0f")`: rounded to an integer (half-to-even) with `,` thousands separators.
///
/// Exists for parity with the Python reference (`1234567.5` → `"1,234,568"`, `2.5` → `"2"`).
pub fn thousands0(x: f64) -> String {
    let s = fixed(x, 0);
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s.as_str()),
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return s; // nan, inf, -inf
    }
    let mut out = String::with_capacity(s.len() + digits.len() / 3);
    out.push_str(sign);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Python `format(x, f".{decimals}%")`.
///
/// Exists for parity with the Python reference, which multiplies by 100 in double precision
/// (so the product is rounded once before formatting) and then formats it like [`fixed`].
pub fn percent(x: f64, decimals: usize) -> String {
    let mut s = fixed(x * 100.0, decimals);
    s.push('%');
    s
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::pyfmt::tables::{FLOAT_CASES, rows};

    proptest! {
        /// The integer path agrees with exact formatting everywhere, ties and near-ties
        /// (multiples of 1/8 and 1/1000, with a few ulps either way) included.
        #[test]
        fn fixed_agrees_with_exact_formatting(
            magnitude in prop_oneof![
                (0u64..100_000_000).prop_map(|k| k as f64 / 8.0),
                (0u64..100_000_000).prop_map(|k| k as f64 / 1000.0),
                (0u64..100_000_000).prop_map(|k| k as f64 / 200.0),
                -1e13..1e13f64,
                -2.0..2.0f64,
                proptest::num::f64::ANY,
            ],
            nudge in -3i64..=3,
            decimals in 0usize..9,
        ) {
            let magnitude = magnitude.abs();
            let x = if magnitude.is_finite() {
                f64::from_bits(magnitude.to_bits().saturating_add_signed(nudge))
            } else {
                magnitude
            };
            for x in [x, -x] {
                let expected = if x.is_nan() { "nan".to_owned() } else { format!("{x:.decimals$}") };
                prop_assert_eq!(fixed(x, decimals), expected, "{:e} at {} decimals", x, decimals);
            }
        }
    }

    /// Every tie and near-tie the integer path must hand to the exact formatter: multiples
    /// of 1/2^k (exact ties at some decimal count) and of 1/10^k (never exact), each with a
    /// few ulps either way, at every decimal count.
    #[test]
    fn fixed_agrees_with_exact_formatting_on_ties() {
        for denominator in [2.0, 8.0, 64.0, 1000.0, 200.0, 3.0] {
            for k in 0..5_000u64 {
                let centre = k as f64 / denominator;
                for nudge in -2i64..=2 {
                    let x = f64::from_bits(centre.to_bits().saturating_add_signed(nudge));
                    for decimals in 0..=7 {
                        for x in [x, -x] {
                            assert_eq!(fixed(x, decimals), format!("{x:.decimals$}"), "{x:e}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn brief_examples() {
        assert_eq!(fixed(0.125, 2), "0.12");
        assert_eq!(fixed(0.375, 2), "0.38");
        assert_eq!(fixed(2.675, 2), "2.67");
        assert_eq!(fixed(0.5, 0), "0");
        assert_eq!(fixed(1.5, 0), "2");
        assert_eq!(fixed(2.5, 0), "2");
        assert_eq!(fixed(-0.0, 2), "-0.00");
        assert_eq!(fixed(-0.001, 2), "-0.00");
        assert_eq!(fixed(f64::NAN, 2), "nan");
        assert_eq!(fixed(-f64::NAN, 2), "nan");
        assert_eq!(fixed(f64::INFINITY, 2), "inf");
        assert_eq!(fixed(f64::NEG_INFINITY, 2), "-inf");
        assert_eq!(thousands0(1234567.5), "1,234,568");
        assert_eq!(thousands0(2.5), "2");
        assert_eq!(thousands0(-1234.4), "-1,234");
        assert_eq!(thousands0(1e20), "100,000,000,000,000,000,000");
        assert_eq!(thousands0(f64::NAN), "nan");
        assert_eq!(thousands0(f64::NEG_INFINITY), "-inf");
        assert_eq!(percent(0.125, 1), "12.5%");
        assert_eq!(percent(0.5, 0), "50%");
        assert_eq!(percent(f64::NAN, 1), "nan%");
        assert_eq!(percent(f64::INFINITY, 1), "inf%");
    }

    #[test]
    fn float_table_matches_cpython() {
        let mut n = 0;
        for (x, cols) in rows(FLOAT_CASES) {
            assert_eq!(cols.len(), 11, "{x:?}");
            for (i, d) in [0, 1, 2, 3, 4, 6].into_iter().enumerate() {
                assert_eq!(fixed(x, d), cols[1 + i], "fixed({x:?}, {d})");
            }
            assert_eq!(thousands0(x), cols[7], "thousands0({x:?})");
            for d in 0..3 {
                assert_eq!(percent(x, d), cols[8 + d], "percent({x:?}, {d})");
            }
            n += 1;
        }
        assert!(n > 600, "{n}");
    }
}
