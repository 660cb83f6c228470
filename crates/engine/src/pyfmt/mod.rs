//! CPython 3.11 compatible number and string formatting.
//!
//! Engine messages are compared byte for byte with a Python reference implementation, so every
//! number that ends up in a message must be rendered exactly as CPython would render it. The
//! functions here reproduce the handful of Python format specs the reference uses:
//!
//! | Rust                     | Python                      |
//! |--------------------------|-----------------------------|
//! | [`fixed`]`(x, d)`        | `format(x, f".{d}f")`       |
//! | [`thousands0`]`(x)`      | `format(x, ",.0f")`         |
//! | [`percent`]`(x, d)`      | `format(x, f".{d}%")`       |
//! | [`repr`]`(x)`            | `repr(x)` for a `float`     |
//! | [`py_str_list`]`(items)` | `repr(items)` for a `list[str]` |
//!
//! Rust's `{:.N}` formatting of `f64` already rounds the exact binary value half-to-even, like
//! CPython's `dtoa`, so it is used for the digits; only the spelling of NaN, digit grouping and
//! the layout of `repr` need adapting. One difference does exist for `repr`: when two shortest
//! round-trip candidates are equally close (e.g. `9386424833273.0625`), Rust's shortest `{:e}`
//! rounds the last digit up (`...273.063`) while CPython rounds it to even (`...273.062`), so
//! [`repr`] only takes the digit count from Rust's shortest output.
//!
//! The tests compare every function with tables CPython printed; the tables and the script
//! that regenerates them live in `tests/data/pyfmt/`.

mod number;
mod repr;
mod strings;

pub use number::{fixed, percent, thousands0};
pub use repr::repr;
pub use strings::{py_str_list, py_str_repr};

#[cfg(test)]
mod tables {
    // The CPython tables and their generator: `tests/data/pyfmt/` (see `generate.py` there).

    /// `bits repr .0f .1f .2f .3f .4f .6f ,.0f .0% .1% .2%`, as CPython 3.11 prints them.
    pub(super) const FLOAT_CASES: &str = include_str!("../../tests/data/pyfmt/float_cases.txt");

    /// `(x, columns)` of a table whose lines are `bits column…` (bits in hex).
    pub(super) fn rows(table: &str) -> impl Iterator<Item = (f64, Vec<&str>)> {
        table.lines().map(|line| {
            let mut cols = line.split(' ');
            let bits = u64::from_str_radix(cols.next().unwrap(), 16).unwrap();
            (f64::from_bits(bits), cols.collect())
        })
    }
}
