//! The same behavioural suite against both backends: an SQLite file and a real PostgreSQL server.

use engine::model::Role;
use engine::model::{RunListItem, RunRecord, RunStatus, ScenarioKind, ScenarioSetSummary};
use store::{NewApiKey, RunQuery, RunStore, SqlStore, StoreError};

async fn sqlite() -> (SqlStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    (SqlStore::open_sqlite_dir(dir.path()).await.unwrap(), dir)
}

async fn postgres() -> (SqlStore, ()) {
    let url = testkit::postgres::fresh_database_url();
    (SqlStore::open_postgres(&url).await.unwrap(), ())
}

fn run(id: &str, created_at: &str, fund: Option<&str>) -> RunRecord {
    RunRecord {
        run_id: id.to_string(),
        fund_id: fund.map(str::to_string),
        program_description: format!("brief of {id}"),
        status: RunStatus::Failed,
        response: None,
        error: Some(format!("error of {id}\nsecond line")),
        created_at: created_at.to_string(),
        scenario_set_id: None,
        scenario_kind: None,
        scenario_label: None,
        scenario_rationale: None,
        request: None,
        created_by: None,
    }
}

fn fund(fund_id: &str, limit: u32) -> RunQuery {
    RunQuery {
        fund_id: Some(fund_id.to_owned()),
        ..RunQuery::newest(limit)
    }
}

fn ts(second: u32) -> String {
    format!("2026-11-24T10:00:{second:02}.000000+00:00")
}

fn ids(items: &[RunListItem]) -> Vec<&str> {
    items.iter().map(|r| r.run_id.as_str()).collect()
}

async fn round_trips_a_failed_and_a_completed_run(store: &dyn RunStore) {
    let failed = run("r-failed", &ts(1), Some("F1"));
    store.insert_run(&failed).await.unwrap();
    assert_eq!(store.get_run("r-failed").await.unwrap(), Some(failed));

    let text = std::fs::read_to_string(
        testkit::fixtures_dir().join("reference/orchestrator_mock_cases.json"),
    )
    .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut response = doc["cases"][0]["expected"]["response"].clone();
    response["audit_trace"]["started_at"] = ts(2).into();
    response["audit_trace"]["completed_at"] = ts(3).into();
    for entry in response["audit_trace"]["entries"].as_array_mut().unwrap() {
        entry["timestamp"] = ts(2).into();
    }
    let mut completed = run("r-done", &ts(2), None);
    completed.status = RunStatus::Completed;
    completed.error = None;
    completed.response = Some(serde_json::from_value(response).unwrap());
    completed.request = Some(
        serde_json::from_value(serde_json::json!({
            "assets": [{"asset_id": "A1", "asset_type": "store", "market": "Dallas, TX",
                        "noi": 1.5e6, "book_value": 2e7, "criticality": 0.3,
                        "leaseability_score": 0.8, "tax_basis": 1.2e7}],
            "corporate_state": {"net_debt": 1e8, "ebitda": 3e7, "interest_expense": 5e6},
            "program_type": "slb",
            "program_description": "Raise $20M",
            "selection_strategy": "optimal",
            "assumptions": {"tax_rate": 0.21, "cap_rate_shift_bps": -25},
        }))
        .unwrap(),
    );
    store.insert_run(&completed).await.unwrap();
    let stored = store.get_run("r-done").await.unwrap().unwrap();
    assert_eq!(stored, completed);
    let listed = store.list_runs(&RunQuery::newest(1)).await.unwrap();
    let expected = completed.response.as_ref().unwrap();
    assert_eq!(
        listed[0].target_amount,
        Some(expected.selector_spec.target_amount)
    );
    assert_eq!(listed[0].proceeds, Some(expected.outcome.proceeds));
    assert_eq!(listed[0].outcome_status, Some(expected.outcome.status));
    assert_eq!(
        listed[0].selection_strategy,
        Some(engine::model::SelectionStrategy::Optimal)
    );
    assert_eq!(store.get_run("missing").await.unwrap(), None);
}

async fn lists_newest_first_with_fund_filter_before_limit(store: &dyn RunStore) {
    // Inserted out of creation order on purpose: listing follows created_at, not insertion.
    store
        .insert_run(&run("b", &ts(2), Some("F1")))
        .await
        .unwrap();
    store
        .insert_run(&run("c", &ts(3), Some("F2")))
        .await
        .unwrap();
    store
        .insert_run(&run("a", &ts(1), Some("F1")))
        .await
        .unwrap();
    store.insert_run(&run("d", &ts(4), None)).await.unwrap();

    assert_eq!(
        ids(&store.list_runs(&RunQuery::newest(10)).await.unwrap()),
        ["d", "c", "b", "a"]
    );
    assert_eq!(
        ids(&store.list_runs(&RunQuery::newest(2)).await.unwrap()),
        ["d", "c"]
    );
    assert_eq!(
        ids(&store.list_runs(&fund("F1", 10)).await.unwrap()),
        ["b", "a"]
    );
    assert_eq!(ids(&store.list_runs(&fund("F1", 1)).await.unwrap()), ["b"]);
    assert!(store.list_runs(&fund("nope", 10)).await.unwrap().is_empty());
    let item = &store.list_runs(&fund("F2", 1)).await.unwrap()[0];
    assert_eq!(item.status, RunStatus::Failed);
    assert_eq!(item.program_description, "brief of c");
}

async fn pages_by_cursor_and_filters_by_fund_prefix(store: &dyn RunStore) {
    // Two runs share a timestamp: insertion order breaks the tie, and no page repeats or
    // skips one.
    for (id, second, fund) in [
        ("r1", 1, Some("EU-1")),
        ("r2", 2, Some("EU-2")),
        ("r3", 2, Some("US-1")),
        ("r4", 3, Some("eu-3")),
        ("r5", 4, None),
        ("r6", 5, Some("E%")),
    ] {
        store.insert_run(&run(id, &ts(second), fund)).await.unwrap();
    }
    let page = |before: Option<&str>, limit| RunQuery {
        before: before.map(str::to_owned),
        ..RunQuery::newest(limit)
    };
    let mut seen = Vec::new();
    let mut before: Option<String> = None;
    loop {
        let items = store.list_runs(&page(before.as_deref(), 2)).await.unwrap();
        if items.is_empty() {
            break;
        }
        seen.extend(items.iter().map(|r| r.run_id.clone()));
        before = items.last().map(|r| r.run_id.clone());
    }
    assert_eq!(seen, ["r6", "r5", "r4", "r3", "r2", "r1"]);

    let prefixed = |prefix: &str| RunQuery {
        fund_prefix: Some(prefix.to_owned()),
        ..RunQuery::newest(10)
    };
    assert_eq!(
        ids(&store.list_runs(&prefixed("EU-")).await.unwrap()),
        ["r2", "r1"]
    );
    // `%` is a literal character, not a wildcard.
    assert_eq!(
        ids(&store.list_runs(&prefixed("E%")).await.unwrap()),
        ["r6"]
    );
    let with_cursor = RunQuery {
        fund_prefix: Some("EU".to_owned()),
        before: Some("r2".to_owned()),
        ..RunQuery::newest(10)
    };
    assert_eq!(ids(&store.list_runs(&with_cursor).await.unwrap()), ["r1"]);
    assert!(matches!(
        store.list_runs(&page(Some("nope"), 2)).await,
        Err(StoreError::UnknownCursor(_))
    ));
    assert_eq!(
        store.list_funds().await.unwrap(),
        ["E%", "EU-1", "EU-2", "US-1", "eu-3"]
    );
}

async fn stores_a_scenario_set_with_runs_in_scenario_order(store: &dyn RunStore) {
    let kinds = [
        ScenarioKind::Base,
        ScenarioKind::RiskOff,
        ScenarioKind::Aggressive,
    ];
    // Run ids deliberately not in alphabetical order.
    let run_ids = ["z-base", "a-cons", "m-aggr"];
    let runs: Vec<RunRecord> = run_ids
        .iter()
        .zip(kinds)
        .map(|(id, kind)| RunRecord {
            scenario_set_id: Some("set-1".into()),
            scenario_kind: Some(kind),
            scenario_label: Some(format!("label {id}")),
            scenario_rationale: Some(format!("why {id}")),
            ..run(id, &ts(5), Some("F9"))
        })
        .collect();
    let set = ScenarioSetSummary {
        id: "set-1".into(),
        brief: "Raise $100M".into(),
        created_at: ts(5),
        run_ids: run_ids.iter().map(|s| s.to_string()).collect(),
        notes: vec!["Geographic focus dropped: same spec as Base Case".into()],
    };
    store.insert_scenario_set(&set, &runs).await.unwrap();

    let found = store.get_scenario_set("set-1").await.unwrap().unwrap();
    assert_eq!(found.scenario_set, set);
    assert_eq!(found.runs, runs);
    assert!(store.get_scenario_set("other").await.unwrap().is_none());
    let listed = store.list_runs(&fund("F9", 10)).await.unwrap();
    assert_eq!(listed.len(), 3);
    assert!(
        listed
            .iter()
            .all(|r| r.scenario_set_id.as_deref() == Some("set-1"))
    );

    let older = ScenarioSetSummary {
        id: "set-0".into(),
        brief: "b".into(),
        created_at: ts(1),
        run_ids: vec![],
        notes: Vec::new(),
    };
    store.insert_scenario_set(&older, &[]).await.unwrap();
    let sets = store.list_scenario_sets(10, None, None).await.unwrap();
    assert_eq!(
        sets.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["set-1", "set-0"]
    );
    assert_eq!(sets[0].run_ids, set.run_ids);
    assert_eq!(
        store.list_scenario_sets(1, None, None).await.unwrap().len(),
        1
    );
}

async fn scenario_set_is_all_or_nothing(store: &dyn RunStore) {
    store.insert_run(&run("taken", &ts(1), None)).await.unwrap();
    let runs = vec![
        RunRecord {
            scenario_set_id: Some("set-x".into()),
            ..run("fresh", &ts(2), None)
        },
        // Duplicate id: the insert fails inside the transaction.
        RunRecord {
            scenario_set_id: Some("set-x".into()),
            ..run("taken", &ts(2), None)
        },
    ];
    let set = ScenarioSetSummary {
        id: "set-x".into(),
        brief: "b".into(),
        created_at: ts(2),
        run_ids: vec![],
        notes: Vec::new(),
    };
    assert!(store.insert_scenario_set(&set, &runs).await.is_err());
    assert!(store.get_scenario_set("set-x").await.unwrap().is_none());
    assert!(
        store.get_run("fresh").await.unwrap().is_none(),
        "no partial set may be stored"
    );
}

async fn concurrent_inserts_all_land(store: std::sync::Arc<dyn RunStore>) {
    let tasks: Vec<_> = (0..100)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .insert_run(&run(&format!("c{i:03}"), &ts(i % 60), None))
                    .await
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(
        store.list_runs(&RunQuery::newest(100)).await.unwrap().len(),
        100
    );
}

async fn a_duplicate_among_concurrent_inserts_fails_alone(store: std::sync::Arc<dyn RunStore>) {
    store.insert_run(&run("dup", &ts(1), None)).await.unwrap();
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let store = store.clone();
            // Every tenth insert reuses the taken id; the others must all land.
            let id = if i % 10 == 0 {
                "dup".to_string()
            } else {
                format!("ok{i:02}")
            };
            tokio::spawn(async move { (i, store.insert_run(&run(&id, &ts(2), None)).await) })
        })
        .collect();
    for t in tasks {
        let (i, result) = t.await.unwrap();
        assert_eq!(result.is_err(), i % 10 == 0, "insert {i}: {result:?}");
    }
    assert_eq!(
        store.list_runs(&RunQuery::newest(100)).await.unwrap().len(),
        37
    );
}

async fn keys_are_found_by_token_only_and_revoked(store: &dyn RunStore) {
    assert!(!store.has_api_keys().await.unwrap());
    let new = |name: &str, role, funds: Option<Vec<&str>>| NewApiKey {
        name: name.into(),
        role,
        funds: funds.map(|f| f.into_iter().map(String::from).collect()),
        created_at: ts(1),
    };
    let alice = store
        .create_api_key(&new("alice", Role::Analyst, Some(vec!["F1", "F2"])))
        .await
        .unwrap();
    let bob = store
        .create_api_key(&new("bob", Role::Viewer, Some(vec![])))
        .await
        .unwrap();
    assert_ne!(alice, bob);
    assert!(store.has_api_keys().await.unwrap());

    let found = store.find_api_key(&alice).await.unwrap().unwrap();
    assert_eq!(found.name, "alice");
    assert_eq!(found.role, Role::Analyst);
    assert_eq!(found.funds, Some(vec!["F1".to_string(), "F2".to_string()]));
    assert!(!found.is_revoked());
    // No funds is every fund.
    assert_eq!(store.find_api_key(&bob).await.unwrap().unwrap().funds, None);
    assert!(store.find_api_key("slb_nope").await.unwrap().is_none());
    assert!(
        store
            .find_api_key(&alice[..alice.len() - 1])
            .await
            .unwrap()
            .is_none(),
        "a prefix of a token is no token"
    );

    assert!(matches!(
        store.create_api_key(&new("alice", Role::Admin, None)).await,
        Err(StoreError::KeyNameTaken(_))
    ));
    assert!(store.revoke_api_key("alice", &ts(2)).await.unwrap());
    assert!(!store.revoke_api_key("alice", &ts(3)).await.unwrap());
    assert!(!store.revoke_api_key("nobody", &ts(3)).await.unwrap());
    let revoked = store.find_api_key(&alice).await.unwrap().unwrap();
    assert_eq!(revoked.revoked_at.as_deref(), Some(ts(2).as_str()));

    // A revoked name can be issued again; lookups by name prefer the active key.
    let again = store
        .create_api_key(&new("alice", Role::Admin, None))
        .await
        .unwrap();
    assert!(
        store
            .find_api_key(&alice)
            .await
            .unwrap()
            .unwrap()
            .is_revoked()
    );
    assert_eq!(
        store.find_api_key(&again).await.unwrap().unwrap().role,
        Role::Admin
    );
    let by_name = store.find_api_key_by_name("alice").await.unwrap().unwrap();
    assert_eq!((by_name.role, by_name.revoked_at), (Role::Admin, None));
    store.revoke_api_key("alice", &ts(4)).await.unwrap();
    let by_name = store.find_api_key_by_name("alice").await.unwrap().unwrap();
    assert_eq!(by_name.revoked_at.as_deref(), Some(ts(4).as_str()));
    assert!(store.find_api_key_by_name("carol").await.unwrap().is_none());

    let listed: Vec<(String, Role, bool)> = store
        .list_api_keys()
        .await
        .unwrap()
        .into_iter()
        .map(|k| (k.name.clone(), k.role, k.is_revoked()))
        .collect();
    assert_eq!(
        listed,
        [
            ("alice".to_string(), Role::Analyst, true),
            ("bob".to_string(), Role::Viewer, false),
            ("alice".to_string(), Role::Admin, true),
        ]
    );
    assert!(matches!(
        store
            .create_api_key(&new(" spaced", Role::Viewer, None))
            .await,
        Err(StoreError::Config(_))
    ));
}

async fn listings_are_scoped_to_funds_and_keep_the_creator(store: &dyn RunStore) {
    for (id, second, fund, by) in [
        ("a1", 1, Some("A"), Some("alice")),
        ("b1", 2, Some("B"), None),
        ("n1", 3, None, None),
        ("c1", 4, Some("C"), Some("carol")),
    ] {
        let record = RunRecord {
            created_by: by.map(String::from),
            ..run(id, &ts(second), fund)
        };
        store.insert_run(&record).await.unwrap();
    }
    let scoped = |funds: &[&str]| RunQuery {
        funds: Some(funds.iter().map(|f| f.to_string()).collect()),
        ..RunQuery::newest(10)
    };
    assert_eq!(
        ids(&store.list_runs(&scoped(&["A", "C"])).await.unwrap()),
        ["c1", "a1"]
    );
    assert!(store.list_runs(&scoped(&[])).await.unwrap().is_empty());
    let outside = RunQuery {
        fund_id: Some("B".into()),
        ..scoped(&["A"])
    };
    assert!(store.list_runs(&outside).await.unwrap().is_empty());
    let listed = store.list_runs(&RunQuery::newest(10)).await.unwrap();
    let creators: Vec<Option<&str>> = listed.iter().map(|r| r.created_by.as_deref()).collect();
    assert_eq!(creators, [Some("carol"), None, None, Some("alice")]);
    assert_eq!(
        store
            .get_run("a1")
            .await
            .unwrap()
            .unwrap()
            .created_by
            .as_deref(),
        Some("alice")
    );

    let set = |id: &str, second, fund: Option<&str>| {
        let runs: Vec<RunRecord> = (0..2)
            .map(|i| RunRecord {
                scenario_set_id: Some(id.into()),
                ..run(&format!("{id}-{i}"), &ts(second), fund)
            })
            .collect();
        let summary = ScenarioSetSummary {
            id: id.into(),
            brief: "b".into(),
            created_at: ts(second),
            run_ids: runs.iter().map(|r| r.run_id.clone()).collect(),
            notes: Vec::new(),
        };
        (summary, runs)
    };
    for (id, second, fund) in [("sa", 5, Some("A")), ("sb", 6, Some("B")), ("sn", 7, None)] {
        let (summary, runs) = set(id, second, fund);
        store.insert_scenario_set(&summary, &runs).await.unwrap();
    }
    let set_ids =
        |sets: Vec<ScenarioSetSummary>| -> Vec<String> { sets.into_iter().map(|s| s.id).collect() };
    let a_and_b = ["A".to_string(), "B".to_string()];
    assert_eq!(
        set_ids(
            store
                .list_scenario_sets(10, None, Some(&a_and_b))
                .await
                .unwrap()
        ),
        ["sb", "sa"]
    );
    assert_eq!(
        set_ids(
            store
                .list_scenario_sets(10, Some("sb"), Some(&a_and_b))
                .await
                .unwrap()
        ),
        ["sa"]
    );
    assert!(
        store
            .list_scenario_sets(10, None, Some(&[]))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        set_ids(store.list_scenario_sets(10, None, None).await.unwrap()),
        ["sn", "sb", "sa"]
    );
}

macro_rules! suite {
    ($backend:ident) => {
        mod $backend {
            use super::*;

            #[tokio::test]
            async fn round_trips_runs() {
                let (store, _guard) = super::$backend().await;
                round_trips_a_failed_and_a_completed_run(&store).await;
            }

            #[tokio::test]
            async fn lists_newest_first() {
                let (store, _guard) = super::$backend().await;
                lists_newest_first_with_fund_filter_before_limit(&store).await;
            }

            #[tokio::test]
            async fn pages_and_prefixes() {
                let (store, _guard) = super::$backend().await;
                pages_by_cursor_and_filters_by_fund_prefix(&store).await;
            }

            #[tokio::test]
            async fn scenario_sets() {
                let (store, _guard) = super::$backend().await;
                stores_a_scenario_set_with_runs_in_scenario_order(&store).await;
            }

            #[tokio::test]
            async fn scenario_set_atomic() {
                let (store, _guard) = super::$backend().await;
                scenario_set_is_all_or_nothing(&store).await;
            }

            #[tokio::test]
            async fn api_keys() {
                let (store, _guard) = super::$backend().await;
                keys_are_found_by_token_only_and_revoked(&store).await;
            }

            #[tokio::test]
            async fn fund_scoped_listings() {
                let (store, _guard) = super::$backend().await;
                listings_are_scoped_to_funds_and_keep_the_creator(&store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn concurrent_inserts() {
                let (store, _guard) = super::$backend().await;
                concurrent_inserts_all_land(std::sync::Arc::new(store)).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn duplicate_fails_alone() {
                let (store, _guard) = super::$backend().await;
                a_duplicate_among_concurrent_inserts_fails_alone(std::sync::Arc::new(store)).await;
            }
        }
    };
}

suite!(sqlite);
suite!(postgres);

#[tokio::test]
async fn sqlite_data_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = SqlStore::open_sqlite_dir(dir.path()).await.unwrap();
        store.insert_run(&run("kept", &ts(1), None)).await.unwrap();
        store.close().await;
    }
    let store = SqlStore::open_sqlite_dir(dir.path()).await.unwrap();
    assert!(store.get_run("kept").await.unwrap().is_some());
}

#[tokio::test]
async fn rejects_unknown_url_schemes() {
    let err = SqlStore::open_url("mysql://x")
        .await
        .err()
        .expect("must fail");
    assert!(err.to_string().contains("postgres://"), "{err}");
}
