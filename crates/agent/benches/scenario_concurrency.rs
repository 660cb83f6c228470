//! How much faster a scenario set is than running its scenarios one after another (issue 5,
//! item 7; DECISIONS S3).
//!
//! A local chat-completions server answers every call after 200 ms with valid content (the
//! cooperative model of `testkit::chat_server`), so wall time is dominated by LLM latency as it
//! is in production. Measured, as the median of a few repetitions:
//!
//! * each of the 5 scenarios alone, via `run_program` with the request its set builds for it;
//! * the whole 5-scenario set via `run_scenario_set` at concurrency 4 (the default) and 5.
//!
//! The target is set ≤ 1.3 × the slowest single scenario. The set also waits for the one
//! scenario-generation call before any scenario starts; its time is printed separately.
//!
//! Run with `cargo bench -p slb-agent --bench scenario_concurrency`.

use std::time::{Duration, Instant};

use agent::openai::{OpenAiConfig, OpenAiPlanner};
use agent::{
    Planner, PortfolioContext, RunSettings, ScenarioSetOptions, build_scenario_request,
    run_program, run_scenario_set,
};
use engine::model::{ProgramRequest, ProgramType, ScenarioDefinition};
use testkit::chat_server::{ChatServer, cooperative};

const LATENCY: Duration = Duration::from_millis(200);
const BRIEF: &str = "Raise $200M via SLB.";
const BASE_TARGET: f64 = 200e6;
const SCENARIOS: usize = 5;
const REPEATS: usize = 3;
const TARGET_RATIO: f64 = 1.3;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(benchmark());
}

/// A brief and how many LLM calls its scenarios need.
struct Workload {
    name: &'static str,
    /// The request's own coverage floor; every scenario keeps at least this one.
    min_coverage_override: Option<f64>,
}

/// The demo portfolio starts at 3.16x fixed-charge coverage ($600M EBITDA over $190M of interest
/// and rent), so a scenario whose floor is above that stays infeasible and goes through the
/// whole revision loop: 4 LLM calls instead of 2.
const WORKLOADS: [Workload; 2] = [
    Workload {
        name: "the brief as written: only Conservative (coverage >= 3.5x) revises",
        min_coverage_override: None,
    },
    Workload {
        name: "coverage >= 3.5x demanded: every scenario revises",
        min_coverage_override: Some(3.5),
    },
];

async fn benchmark() {
    let server = ChatServer::start(LATENCY, |call| cooperative(call, BASE_TARGET)).await;
    let mut config = OpenAiConfig::new(server.base_url(), "bench-model", None);
    config.max_retries = 0;
    let planner = OpenAiPlanner::new(config);
    let settings = RunSettings::default();

    println!(
        "scenario sets of {SCENARIOS} on the demo portfolio, every LLM call answered after {} ms, \
         median of {REPEATS} runs",
        LATENCY.as_millis()
    );
    for workload in &WORKLOADS {
        println!("\n== {}", workload.name);
        let mut base = base_request();
        base.min_coverage_override = workload.min_coverage_override;
        measure(&server, &planner, &settings, &base).await;
    }
}

async fn measure(
    server: &ChatServer,
    planner: &OpenAiPlanner,
    settings: &RunSettings,
    base: &ProgramRequest,
) {
    let context = PortfolioContext::from_assets(&base.assets);
    let (generation, scenarios) = median_of(|| async {
        let started = Instant::now();
        let scenarios = planner
            .generate_scenario_definitions(BRIEF, &context, SCENARIOS)
            .await
            .expect("scenario generation");
        (started.elapsed(), scenarios)
    })
    .await;
    println!("scenario generation alone: {}", ms(generation));

    let mut slowest = Duration::ZERO;
    let mut sequential = generation;
    for scenario in &scenarios {
        let (elapsed, calls) = time_single(server, planner, settings, base, scenario).await;
        println!(
            "  {:<18} alone: {:>7}  ({calls} LLM calls)",
            scenario.label,
            ms(elapsed)
        );
        slowest = slowest.max(elapsed);
        sequential += elapsed;
    }
    println!("slowest single scenario: {}", ms(slowest));
    println!(
        "one after another (generation + sum): {}  ratio {:.2}",
        ms(sequential),
        ratio(sequential, slowest)
    );

    for concurrency in [4, SCENARIOS] {
        let options = ScenarioSetOptions {
            num_scenarios: SCENARIOS,
            fund_id: None,
            concurrency,
        };
        let (elapsed, calls) = median_of(|| async {
            let before = server.requests();
            let started = Instant::now();
            let outcome = run_scenario_set(BRIEF, base, planner, settings, &options)
                .await
                .expect("scenario set");
            assert_eq!(outcome.runs.len(), SCENARIOS);
            (started.elapsed(), server.requests() - before)
        })
        .await;
        let set_ratio = ratio(elapsed, slowest);
        let verdict = if set_ratio <= TARGET_RATIO {
            "meets"
        } else {
            "MISSES"
        };
        println!(
            "set, concurrency {concurrency}: {:>7}  ({calls} LLM calls)  ratio {set_ratio:.2} \
             ({verdict} the {TARGET_RATIO} target); without generation {:.2}",
            ms(elapsed),
            ratio(elapsed.saturating_sub(generation), slowest)
        );
    }
}

/// Wall time and LLM calls of one scenario run alone (median of the repetitions).
async fn time_single(
    server: &ChatServer,
    planner: &dyn Planner,
    settings: &RunSettings,
    base: &ProgramRequest,
    scenario: &ScenarioDefinition,
) -> (Duration, usize) {
    let request = build_scenario_request(base, scenario);
    median_of(|| async {
        let before = server.requests();
        let started = Instant::now();
        run_program(&request, planner, settings)
            .await
            .expect("scenario run");
        (started.elapsed(), server.requests() - before)
    })
    .await
}

/// The repetition with the median time, with what it returned.
async fn median_of<T, F, Fut>(measure: F) -> (Duration, T)
where
    F: Fn() -> Fut,
    Fut: Future<Output = (Duration, T)>,
{
    let mut samples = Vec::with_capacity(REPEATS);
    for _ in 0..REPEATS {
        samples.push(measure().await);
    }
    samples.sort_by_key(|(elapsed, _)| *elapsed);
    samples.swap_remove(REPEATS / 2)
}

fn base_request() -> ProgramRequest {
    let path = testkit::fixtures_dir().join("briefs/demo_portfolio.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let file: serde_json::Value = serde_json::from_str(&text).expect("demo portfolio JSON");
    ProgramRequest {
        assets: serde_json::from_value(file["assets"].clone()).expect("assets"),
        corporate_state: serde_json::from_value(file["corporate_state"].clone())
            .expect("corporate state"),
        program_type: ProgramType::Slb,
        program_description: BRIEF.to_owned(),
        floor_override: None,
        max_leverage_override: None,
        min_coverage_override: None,
        target_amount_override: None,
        selection_strategy: None,
        assumptions: None,
        selector_spec: None,
    }
}

fn ms(duration: Duration) -> String {
    format!("{} ms", duration.as_millis())
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}
