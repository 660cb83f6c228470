//! Number formats for terminal output, as a treasury analyst reads them.

use engine::pyfmt;

/// `$1,234,567`.
pub fn money(x: f64) -> String {
    if x < 0.0 {
        format!("-${}", pyfmt::thousands0(-x))
    } else {
        format!("${}", pyfmt::thousands0(x))
    }
}

/// `$250.0M` / `$1.20B` / `$750K` for compact columns.
pub fn money_short(x: f64) -> String {
    let a = x.abs();
    let sign = if x < 0.0 { "-" } else { "" };
    if a >= 1e9 {
        format!("{sign}${}B", pyfmt::fixed(a / 1e9, 2))
    } else if a >= 1e6 {
        format!("{sign}${}M", pyfmt::fixed(a / 1e6, 1))
    } else if a >= 1e3 {
        format!("{sign}${}K", pyfmt::fixed(a / 1e3, 0))
    } else {
        format!("{sign}${}", pyfmt::fixed(a, 0))
    }
}

/// `3.75x`, or `N/M` (not meaningful) for an undefined ratio.
pub fn ratio(x: Option<f64>) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{}x", pyfmt::fixed(v, 2)),
        _ => "N/M".to_string(),
    }
}

/// `12.5%`.
pub fn percent(x: f64) -> String {
    pyfmt::percent(x, 1)
}
