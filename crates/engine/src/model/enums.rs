//! Enumerations of the wire contract. String values are exactly the reference's.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $wire)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The exact string used on the wire.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($wire => Ok($name::$variant),)+
                    other => Err(format!(
                        "unknown {} {:?}; expected one of: {}",
                        stringify!($name), other, [$($wire),+].join(", ")
                    )),
                }
            }
        }
    };
}

wire_enum!(
    /// Kind of property.
    AssetType {
        Store => "store",
        DistributionCenter => "distribution_center",
        Office => "office",
        MixedUse => "mixed_use",
        Other => "other",
    }
);

wire_enum!(
    /// Capital-raising program. Only sale-leaseback exists.
    ProgramType { Slb => "slb" }
);

wire_enum!(
    /// What the planner asked to optimise. The greedy selector ignores it; the optimal one honours it.
    Objective {
        MaximizeProceeds => "maximize_proceeds",
        MinimizeRisk => "minimize_risk",
        Balanced => "balanced",
    }
);

wire_enum!(
    /// Result of one engine run.
    SelectionStatus {
        Ok => "ok",
        Infeasible => "infeasible",
        NumericError => "numeric_error",
    }
);

wire_enum!(
    /// What a selection breaks: a hard constraint, the target, or no asset passed the filters.
    /// Reported in this order (SPEC §4.5; the lease-aware limits and the count after the
    /// reference's four).
    ViolationCode {
        MaxNetLeverage => "MAX_NET_LEVERAGE",
        MinInterestCoverage => "MIN_INTEREST_COVERAGE",
        MinFixedChargeCoverage => "MIN_FIXED_CHARGE_COVERAGE",
        MaxCriticalFraction => "MAX_CRITICAL_FRACTION",
        MaxLeaseAdjustedLeverage => "MAX_LEASE_ADJUSTED_LEVERAGE",
        MaxCovenantLeverage => "MAX_COVENANT_LEVERAGE",
        MaxAssetsSold => "MAX_ASSETS_SOLD",
        TargetNotMet => "TARGET_NOT_MET",
        NoEligibleAssets => "NO_ELIGIBLE_ASSETS",
    }
);

wire_enum!(
    /// Why the revision policy clamped or rejected a revised spec.
    PolicyViolationCode {
        TargetIncreased => "target_increased",
        TargetDropExceeded => "target_drop_exceeded",
        TargetBelowFloor => "target_below_floor",
        LeverageRelaxed => "leverage_relaxed",
        InterestCoverageRelaxed => "interest_coverage_relaxed",
        FixedChargeCoverageRelaxed => "fixed_charge_coverage_relaxed",
        CriticalFractionRelaxed => "critical_fraction_relaxed",
        LeaseAdjustedLeverageRelaxed => "lease_adjusted_leverage_relaxed",
        CovenantLeverageRelaxed => "covenant_leverage_relaxed",
        AssetsSoldRelaxed => "assets_sold_relaxed",
        ConstraintDeleted => "constraint_deleted",
        CriticalityStepExceeded => "criticality_step_exceeded",
        LeaseabilityStepExceeded => "leaseability_step_exceeded",
        FilterDeleted => "filter_deleted",
        ProgramTypeChanged => "program_type_changed",
    }
);

wire_enum!(
    /// Role of one scenario inside a scenario set.
    ScenarioKind {
        Base => "base",
        RiskOff => "risk_off",
        Aggressive => "aggressive",
        GeoFocus => "geo_focus",
        Custom => "custom",
    }
);

wire_enum!(
    /// Severity of an explanation node.
    Severity {
        Info => "info",
        Warning => "warning",
        Error => "error",
    }
);

wire_enum!(
    /// Group of an explanation node.
    NodeCategory {
        Constraint => "constraint",
        Driver => "driver",
        Risk => "risk",
        Alternative => "alternative",
    }
);

wire_enum!(
    /// Whether an audit entry is the first run or a revision.
    AuditPhase {
        Initial => "initial",
        Revision => "revision",
    }
);

wire_enum!(
    /// Where the program's target came from.
    TargetSource {
        UserOverride => "user_override",
        LlmExtraction => "llm_extraction",
    }
);

wire_enum!(
    /// Where a field of a planned spec came from.
    SpecFieldSource {
        /// Read from the brief.
        Brief => "brief",
        /// Filled by the planner because the brief was silent.
        Default => "default",
        /// Set by the request's overrides or a spec the user confirmed.
        UserOverride => "user_override",
        /// Derived from the portfolio (e.g. a state resolved to the portfolio's markets).
        Portfolio => "portfolio",
    }
);

wire_enum!(
    /// Who wrote a run's initial spec.
    InitialSpecSource {
        /// The planner, from the brief.
        Planner => "planner",
        /// The request's `selector_spec` (a spec the user confirmed).
        Request => "request",
    }
);

wire_enum!(
    /// Derived status of a stored run.
    RunStatus {
        Completed => "completed",
        Failed => "failed",
    }
);

wire_enum!(
    /// What an API key (or a proxy's user) may do. Each role includes the ones before it.
    Role {
        /// Reads runs, scenario sets and funds.
        Viewer => "viewer",
        /// Also runs planners: creates runs and scenario sets, previews plans, `/program`.
        Analyst => "analyst",
        /// Also manages keys (`slb keys`).
        Admin => "admin",
    }
);

wire_enum!(
    /// How the engine picks assets: the reference greedy walk or the exact optimiser.
    SelectionStrategy {
        Greedy => "greedy",
        Optimal => "optimal",
    }
);

/// Market tier: 1 primary, 2 secondary, 3 tertiary. An **integer** on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MarketTier {
    Primary = 1,
    Secondary = 2,
    Tertiary = 3,
}

impl MarketTier {
    pub fn number(self) -> u8 {
        self as u8
    }

    pub fn from_number(n: i64) -> Option<Self> {
        match n {
            1 => Some(MarketTier::Primary),
            2 => Some(MarketTier::Secondary),
            3 => Some(MarketTier::Tertiary),
            _ => None,
        }
    }
}

impl Serialize for MarketTier {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.number())
    }
}

impl<'de> Deserialize<'de> for MarketTier {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(d)?;
        MarketTier::from_number(n).ok_or_else(|| {
            serde::de::Error::custom(format!("market_tier must be 1, 2 or 3 (got {n})"))
        })
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for MarketTier {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "MarketTier".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "integer",
            "enum": [1, 2, 3],
            "description": "1 = primary, 2 = secondary, 3 = tertiary market"
        })
    }
}

/// Declared by hand because the serde impl is manual: the wire value is the tier number.
#[cfg(feature = "ts")]
impl ts_rs::TS for MarketTier {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;

    fn docs() -> Option<String> {
        Some(ts_rs::format_docs(&[
            " Market tier: 1 primary, 2 secondary, 3 tertiary. An **integer** on the wire.",
        ]))
    }

    fn name(_: &ts_rs::Config) -> String {
        "MarketTier".to_owned()
    }

    fn inline(_: &ts_rs::Config) -> String {
        "1 | 2 | 3".to_owned()
    }

    fn decl(cfg: &ts_rs::Config) -> String {
        format!("type MarketTier = {};", Self::inline(cfg))
    }

    fn decl_concrete(cfg: &ts_rs::Config) -> String {
        Self::decl(cfg)
    }

    /// Makes the tier visible as a dependency of the types that use it.
    fn output_path() -> Option<std::path::PathBuf> {
        Some("MarketTier.ts".into())
    }
}

impl AssetType {
    /// How the type reads in prose ("distribution center", not `distribution_center`).
    pub fn label(self) -> &'static str {
        match self {
            AssetType::Store => "store",
            AssetType::DistributionCenter => "distribution center",
            AssetType::Office => "office",
            AssetType::MixedUse => "mixed-use",
            AssetType::Other => "other",
        }
    }
}

impl Objective {
    /// How the objective reads in prose ("maximize proceeds", not `maximize_proceeds`).
    pub fn label(self) -> &'static str {
        match self {
            Objective::MaximizeProceeds => "maximize proceeds",
            Objective::MinimizeRisk => "minimize risk",
            Objective::Balanced => "balanced",
        }
    }
}

impl ScenarioKind {
    /// How the kind reads in prose ("risk-off", not `risk_off`).
    pub fn label(self) -> &'static str {
        match self {
            ScenarioKind::Base => "base",
            ScenarioKind::RiskOff => "risk-off",
            ScenarioKind::Aggressive => "aggressive",
            ScenarioKind::GeoFocus => "geographic focus",
            ScenarioKind::Custom => "custom",
        }
    }
}

impl SelectionStrategy {
    /// How the strategy reads in prose.
    pub fn label(self) -> &'static str {
        match self {
            SelectionStrategy::Greedy => "reference greedy",
            SelectionStrategy::Optimal => "optimal",
        }
    }
}

wire_enum!(
    /// The credit metric a proceeds frontier trades against (docs/analyses.md).
    FrontierMetric {
        /// The reference's net leverage after the program (`leverage_after`).
        ReportedLeverage => "reported_leverage",
        /// Rating-agency leverage, rent capitalised at the lease multiple.
        LeaseAdjustedLeverage => "lease_adjusted_leverage",
        /// US GAAP covenant leverage: the new rent reduces EBITDA.
        CovenantLeverage => "covenant_leverage",
        /// Annual rent of the new leases, $.
        NewRent => "new_rent",
        /// Share of the NOI sold that is critical.
        CriticalFraction => "critical_fraction",
    }
);

wire_enum!(
    /// A parameter a sensitivity grid varies along one axis (docs/analyses.md).
    SensitivityParameter {
        /// `assumptions.cap_rate_shift_bps`, −500 … 500.
        CapRateShiftBps => "cap_rate_shift_bps",
        /// `assumptions.rent_multiplier`, (0, 3].
        RentMultiplier => "rent_multiplier",
        /// `assumptions.cost_of_debt`, (0, 0.5).
        CostOfDebt => "cost_of_debt",
        /// The spec's `target_amount`, $ (> 0).
        TargetAmount => "target_amount",
        /// The spec's `hard_constraints.max_net_leverage`, (0, 10).
        MaxNetLeverage => "max_net_leverage",
    }
);
