//! Preference score of an asset (SPEC §4.7). Higher is better.

use crate::model::{Asset, SoftPreferences};

/// `(0 − w_c·criticality) + w_l·leaseability`, each term only when its preference is on.
/// The operations run in the reference's order so equal scores tie exactly as they do there.
#[inline]
pub fn score(asset: &Asset, preferences: &SoftPreferences) -> f64 {
    score_of(asset.criticality, asset.leaseability_score, preferences)
}

/// [`score`] of an asset known by the two fields it depends on.
#[inline]
pub fn score_of(criticality: f64, leaseability_score: f64, preferences: &SoftPreferences) -> f64 {
    let mut score = 0.0;
    if preferences.prefer_low_criticality {
        score -= preferences.weight_criticality * criticality;
    }
    if preferences.prefer_high_leaseability {
        score += preferences.weight_leaseability * leaseability_score;
    }
    score
}
