//! `Idempotency-Key` on `POST /api/runs` and `POST /api/scenario_sets`: a request retried
//! with the key of one that was stored gets that stored result (201, the same body, header
//! `Idempotent-Replayed: true`) instead of running again; the same key with a different request
//! (method, path, query, body, or caller) is a 422 `IDEMPOTENCY_KEY_REUSED`. Requests that
//! stored nothing (a 503 from the planner, say) keep no key: retrying them runs them.

use store::{IdempotencyRecord, IdempotentKind};

use crate::error::ApiError;
use crate::extract::IdempotencyKey;
use crate::state::AppState;

/// Header set on a replayed answer.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";

impl IdempotencyKey {
    /// The key as its caller's: the same key sent by another caller is another request.
    pub fn for_caller(mut self, caller: Option<&str>) -> IdempotencyKey {
        if let Some(name) = caller {
            self.request_hash = format!("{}:{name}", self.request_hash);
        }
        self
    }

    /// The record stored with the result `result_id`.
    pub fn record(&self, kind: IdempotentKind, result_id: &str) -> IdempotencyRecord {
        IdempotencyRecord {
            key: self.key.clone(),
            kind,
            request_hash: self.request_hash.clone(),
            result_id: result_id.to_owned(),
            created_at: agent::clock::now_iso(),
        }
    }
}

/// The id of the result stored for `key`, if its request was this one; 422 if the key came
/// with another request.
pub async fn stored_result(
    state: &AppState,
    request_id: &str,
    key: &IdempotencyKey,
    kind: IdempotentKind,
) -> Result<Option<String>, ApiError> {
    let found = state
        .store
        .find_idempotency_key(&key.key)
        .await
        .map_err(|e| ApiError::store(request_id, &e))?;
    match found {
        None => Ok(None),
        Some(stored) if stored.kind == kind && stored.request_hash == key.request_hash => {
            Ok(Some(stored.result_id))
        }
        Some(_) => Err(ApiError::idempotency_key_reused()),
    }
}
