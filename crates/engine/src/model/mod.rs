//! The domain model and wire contract. Field names, order and enum strings are exactly the
//! reference's (SPEC §2); every declared field is always serialised, `null` when absent, and
//! non-finite floats leave as `null`. Unknown input fields are ignored.

mod analysis;
mod api;
mod assumptions;
mod audit;
mod bounds;
mod credit;
mod enums;
mod explanation;
mod outcome;
mod portfolio;
mod scenario;
mod spec;

pub use analysis::*;
pub use api::*;
pub use assumptions::*;
pub use audit::*;
pub use bounds::{
    CheckBounds, Checker, MAX_DESCRIPTION_CHARS, MAX_ID_CHARS, NUL_MESSAGE,
    check_adjusted_cap_rates, check_portfolio, parse_checked,
};
pub use credit::*;
pub use enums::*;
pub use explanation::*;
pub use outcome::*;
pub use portfolio::*;
pub use scenario::*;
pub use spec::*;
