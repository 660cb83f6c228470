//! `slb frontier` and `slb sensitivity`: the analyst workflows of docs/analyses.md, run by the
//! engine on this machine (all cores), on a portfolio and a spec file like `slb evaluate`.
//!
//! A progress bar appears on a terminal once an analysis has run for a second (most finish
//! sooner and print nothing but their answer).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, Table};
use engine::EngineConfig;
use engine::analysis::frontier::metric_label;
use engine::analysis::{AnalysisInput, GridInput, frontier, sensitivity};
use engine::model::{
    CheckBounds, Frontier, FrontierMetric, FrontierOptions, SelectionStrategy, SelectorSpec,
    SensitivityAxis, SensitivityGrid, SensitivityOptions, SensitivityParameter,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::error::CliError;
use crate::format::{money_short, percent, ratio};
use crate::portfolio::{PortfolioArgs, read_json};
use crate::{parse_strategy, print_json, print_out};

#[derive(clap::Args)]
pub struct FrontierArgs {
    #[command(flatten)]
    portfolio: PortfolioArgs,
    /// SelectorSpec JSON file: its hard constraints and filters bind every point.
    #[arg(long)]
    spec: PathBuf,
    /// The metric traded against proceeds: reported_leverage, lease_adjusted_leverage,
    /// covenant_leverage, new_rent, critical_fraction.
    #[arg(long, value_parser = parse_metric)]
    metric: FrontierMetric,
    /// Metric ceilings to solve at (2–50): at most this many points.
    #[arg(long, default_value_t = 20)]
    points: i64,
    /// Strategy of the spec's own program, marked as "current" (the frontier is always exact).
    #[arg(long, value_parser = parse_strategy, default_value = "optimal")]
    strategy: SelectionStrategy,
    /// Print the frontier as JSON (the API's answer) instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct SensitivityArgs {
    #[command(flatten)]
    portfolio: PortfolioArgs,
    /// SelectorSpec JSON file every cell starts from.
    #[arg(long)]
    spec: PathBuf,
    /// An axis `PARAMETER=V1,V2,...` (2–9 values); give exactly two. Parameters:
    /// cap_rate_shift_bps, rent_multiplier, cost_of_debt, target_amount, max_net_leverage.
    #[arg(long = "axis", value_name = "PARAMETER=VALUES", value_parser = parse_axis)]
    axes: Vec<SensitivityAxis>,
    /// Selection strategy of every cell.
    #[arg(long, value_parser = parse_strategy, default_value = "optimal")]
    strategy: SelectionStrategy,
    /// Print the grid as JSON (the API's answer) instead of tables.
    #[arg(long)]
    json: bool,
}

fn parse_metric(s: &str) -> Result<FrontierMetric, String> {
    s.parse()
}

/// `cap_rate_shift_bps=-50,0,50` → an axis.
fn parse_axis(s: &str) -> Result<SensitivityAxis, String> {
    let (parameter, values) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?}: expected PARAMETER=V1,V2,..."))?;
    let parameter: SensitivityParameter = parameter.trim().parse()?;
    let values = values
        .split(',')
        .filter(|v| !v.trim().is_empty())
        .map(|v| {
            v.trim()
                .parse::<f64>()
                .map_err(|_| format!("{parameter}: {v:?} is not a number"))
        })
        .collect::<Result<Vec<f64>, String>>()?;
    Ok(SensitivityAxis { parameter, values })
}

/// Reports progress on stderr once the work has taken a second, on a terminal only.
struct Progress {
    bar: ProgressBar,
    started: Instant,
    show: bool,
}

impl Progress {
    fn new(what: &str) -> Progress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {bar:24} {pos}/{len} solves")
                .expect("valid template"),
        );
        bar.set_message(what.to_owned());
        Progress {
            bar,
            started: Instant::now(),
            show: std::io::stderr().is_terminal(),
        }
    }

    fn report(&self, done: usize, total: usize) {
        self.bar.set_length(total as u64);
        self.bar.set_position(done as u64);
        if self.show && self.bar.is_hidden() && self.started.elapsed() > Duration::from_secs(1) {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    fn finish(self) {
        self.bar.finish_and_clear();
    }
}

pub fn run_frontier(args: &FrontierArgs) -> Result<(), CliError> {
    let options = FrontierOptions {
        metric: args.metric,
        points: args.points,
    };
    let errors: Vec<_> = options
        .bounds_errors()
        .into_iter()
        .map(|mut e| {
            e.field = format!("--{}", e.field);
            e
        })
        .collect();
    if !errors.is_empty() {
        return Err(CliError::field_errors("invalid options:", &errors));
    }
    let portfolio = args.portfolio.load()?;
    let spec: SelectorSpec = read_json(&args.spec)?;
    let config = EngineConfig::default().for_run(portfolio.assumptions.as_ref());
    let input = AnalysisInput {
        portfolio: &portfolio.assets,
        state: &portfolio.corporate_state,
        spec: &spec,
        config: &config,
        strategy: args.strategy,
    };
    let progress = Progress::new("frontier");
    let report = |done, total| progress.report(done, total);
    let traced = frontier(&input, args.metric, args.points as usize, &report);
    progress.finish();
    if args.json {
        print_json(&traced)
    } else {
        print_out(&frontier_table(&traced))
    }
}

pub fn run_sensitivity(args: &SensitivityArgs) -> Result<(), CliError> {
    let options = SensitivityOptions {
        axes: args.axes.clone(),
    };
    let portfolio = args.portfolio.load()?;
    let mut errors = options.bounds_errors();
    if errors.is_empty() {
        let request = portfolio.clone().slb_request("sensitivity", args.strategy);
        errors = options.cap_rate_errors(&request);
    }
    if !errors.is_empty() {
        // Name the command-line option, not the API's field.
        let errors: Vec<_> = errors
            .into_iter()
            .map(|mut e| {
                e.field = e.field.replacen("axes", "--axis", 1);
                e
            })
            .collect();
        return Err(CliError::field_errors("invalid options:", &errors));
    }
    let spec: SelectorSpec = read_json(&args.spec)?;
    let config = EngineConfig::default();
    let input = GridInput {
        portfolio: &portfolio.assets,
        state: &portfolio.corporate_state,
        spec: &spec,
        base_config: &config,
        assumptions: portfolio.assumptions.as_ref(),
        strategy: args.strategy,
    };
    let progress = Progress::new("grid");
    let report = |done, total| progress.report(done, total);
    let grid = sensitivity(&input, &options.axes, &report);
    progress.finish();
    if args.json {
        print_json(&grid)
    } else {
        print_out(&grid_tables(&grid))
    }
}

fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_header(header.to_vec());
    t
}

fn right(text: impl Into<String>) -> Cell {
    Cell::new(text.into()).set_alignment(CellAlignment::Right)
}

/// A metric value as its kind reads: leverage `4.20x`, rent `$12.3M`, a share `35.0%`.
fn metric_text(metric: FrontierMetric, value: Option<f64>) -> String {
    match metric {
        FrontierMetric::NewRent => value.map_or("—".into(), money_short),
        FrontierMetric::CriticalFraction => value.map_or("—".into(), percent),
        _ => ratio(value),
    }
}

fn frontier_table(frontier: &Frontier) -> String {
    let metric = frontier.metric;
    let mut out = format!(
        "Frontier: most gross proceeds for each ceiling on {} ({} solves, node budget {} each{})\n",
        metric_label(metric),
        frontier.solves,
        frontier.node_budget,
        if frontier.proven {
            ", all proven"
        } else {
            ", NOT all proven"
        }
    );
    let mut t = table(&["#", "Proceeds", "Metric", "Ceiling", "Assets", "Proven"]);
    for (i, point) in frontier.points.iter().enumerate() {
        t.add_row(vec![
            right((i + 1).to_string()),
            right(money_short(point.proceeds)),
            right(metric_text(metric, Some(point.metric_value))),
            right(metric_text(metric, Some(point.level))),
            right(point.assets_sold.to_string()),
            Cell::new(if point.proven { "yes" } else { "no" }),
        ]);
    }
    out.push_str(&t.to_string());
    out.push('\n');
    let current = &frontier.current;
    out.push_str(&format!(
        "Current program ({}): {} at {}; before any sale {}; spec limit {}; target {}\n",
        current.status,
        money_short(current.proceeds),
        metric_text(metric, current.metric_value),
        metric_text(metric, frontier.metric_before),
        frontier
            .limit
            .map_or("none".into(), |limit| metric_text(metric, Some(limit))),
        money_short(frontier.target_amount),
    ));
    for note in &frontier.notes {
        out.push_str(&format!("  · {note}\n"));
    }
    out
}

/// A value of an axis as its parameter reads.
fn axis_value(parameter: SensitivityParameter, value: f64) -> String {
    match parameter {
        SensitivityParameter::CapRateShiftBps => format!("{value:+} bps"),
        SensitivityParameter::RentMultiplier => format!("{value}x NOI"),
        SensitivityParameter::CostOfDebt => percent(value),
        SensitivityParameter::TargetAmount => money_short(value),
        SensitivityParameter::MaxNetLeverage => ratio(Some(value)),
    }
}

fn grid_tables(grid: &SensitivityGrid) -> String {
    let (Some(rows), Some(cols)) = (grid.axes.first(), grid.axes.get(1)) else {
        return String::new();
    };
    let mut out = format!(
        "Sensitivity ({}): rows {}, columns {}; * marks the request's own values\n",
        grid.strategy, rows.parameter, cols.parameter
    );
    type Field = fn(&engine::model::SensitivityCell) -> String;
    let views: [(&str, Field); 3] = [
        ("Proceeds (✗ = infeasible)", |c| {
            format!(
                "{}{}",
                money_short(c.proceeds),
                if c.feasible { "" } else { " ✗" }
            )
        }),
        ("Lease-adjusted leverage", |c| {
            ratio(c.lease_adjusted_leverage)
        }),
        ("After-tax cost of the capital", |c| {
            c.after_tax_cost.map_or("—".into(), percent)
        }),
    ];
    for (title, field) in views {
        let mut header = vec![rows.parameter.as_str().to_owned()];
        header.extend(cols.values.iter().enumerate().map(|(k, &v)| {
            let mark = if grid.base.col == Some(k as i64) {
                "*"
            } else {
                ""
            };
            format!("{}{mark}", axis_value(cols.parameter, v))
        }));
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED).set_header(header);
        for (i, &value) in rows.values.iter().enumerate() {
            let mark = if grid.base.row == Some(i as i64) {
                "*"
            } else {
                ""
            };
            let mut line = vec![Cell::new(format!(
                "{}{mark}",
                axis_value(rows.parameter, value)
            ))];
            line.extend(
                grid.cells
                    .iter()
                    .filter(|c| c.row == i as i64)
                    .map(|c| right(field(c))),
            );
            t.add_row(line);
        }
        out.push_str(&format!("\n{title}\n{t}\n"));
    }
    out
}
