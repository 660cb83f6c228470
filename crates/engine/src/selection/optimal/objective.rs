//! The objectives as branch-and-bound programs over the reduced problem.
//!
//! * `maximize_proceeds`: most proceeds.
//! * `minimize_risk`: least critical NOI sold, then least proceeds over the threshold.
//! * `balanced`: least proceeds over the threshold, then highest total score.
//!
//! A lexicographic objective runs as successive stages: the second keeps the first one's
//! optimum as a cap. Ties of the last criterion go to the higher total preference score.

use super::problem::{Row, SelectionProblem};
use super::search::{Direction, Item, Program};

/// A linear quantity of a selection that a stage optimises or caps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    Proceeds,
    CriticalNoi,
}

impl Quantity {
    /// The quantity's value for the eligible asset at `index`.
    pub fn of(self, problem: &SelectionProblem, index: usize) -> f64 {
        let contribution = &problem.choices[index].contribution;
        match self {
            Quantity::Proceeds => contribution.proceeds,
            Quantity::CriticalNoi if contribution.is_critical => contribution.noi,
            Quantity::CriticalNoi => 0.0,
        }
    }
}

/// One search: optimise `quantity` under the hard rows, a proceeds floor and an optional cap.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    pub maximise: bool,
    pub quantity: Quantity,
    /// Proceeds the selection must reach.
    pub proceeds_floor: f64,
    /// `quantity ≤ value`, from an earlier stage of a lexicographic objective.
    pub cap: Option<(Quantity, f64)>,
}

impl Stage {
    pub fn maximise_proceeds(proceeds_floor: f64) -> Self {
        Stage {
            maximise: true,
            quantity: Quantity::Proceeds,
            proceeds_floor,
            cap: None,
        }
    }

    pub fn minimise(quantity: Quantity, proceeds_floor: f64, cap: Option<(Quantity, f64)>) -> Self {
        Stage {
            maximise: false,
            quantity,
            proceeds_floor,
            cap,
        }
    }

    fn mentions(&self, quantity: Quantity) -> bool {
        self.quantity == quantity || self.cap.is_some_and(|(capped, _)| capped == quantity)
    }
}

/// Builds the branch-and-bound program of `stage`, with money scaled by the total proceeds of
/// the eligible assets so that every number is of order one.
pub fn program(problem: &SelectionProblem, stage: &Stage) -> Program {
    let count = problem.choices.len();
    let column = |quantity: Quantity, sign: f64| -> Vec<f64> {
        (0..count)
            .map(|index| sign * quantity.of(problem, index))
            .collect()
    };
    let floor_row = Row::loosened(column(Quantity::Proceeds, -1.0), -stage.proceeds_floor);
    let cap_row = stage
        .cap
        .map(|(quantity, cap)| Row::loosened(column(quantity, 1.0), cap));
    let rows: Vec<&Row> = problem
        .rows
        .iter()
        .chain([&floor_row])
        .chain(cap_row.as_ref())
        .collect();
    let objective = column(stage.quantity, if stage.maximise { 1.0 } else { -1.0 });

    let scale = problem
        .choices
        .iter()
        .map(|c| c.contribution.proceeds)
        .sum::<f64>()
        .max(1.0);
    // All coefficients of an asset are its proceeds times a factor set by its cap rate (and
    // its criticality, when that matters), so assets sharing those share one direction.
    let criticality_matters = problem.has_critical_row || stage.mentions(Quantity::CriticalNoi);
    // A count (one per asset) is not proportional to proceeds, and a relaxation sharing it
    // across a class would be too weak to prune: with a count row every asset is a class of its
    // own. (A taxable-gain row is handled by the classes' loosest direction, below.)
    let own_classes = problem.has_count_row;
    let mut class_keys: Vec<(u64, bool)> = Vec::new();
    let mut items = Vec::with_capacity(count);
    for (index, choice) in problem.choices.iter().enumerate() {
        let key = (
            choice.cap_rate.to_bits(),
            criticality_matters && choice.contribution.is_critical,
        );
        let class = if own_classes {
            class_keys.push(key);
            index
        } else {
            class_keys
                .iter()
                .position(|known| *known == key)
                .unwrap_or_else(|| {
                    class_keys.push(key);
                    class_keys.len() - 1
                })
        };
        items.push(Item {
            class,
            mass: choice.contribution.proceeds / scale,
            objective: objective[index] / scale,
            coefficients: rows
                .iter()
                .map(|row| row.coefficients[index] / scale)
                .collect(),
            tie_break: choice.score,
        });
    }
    Program {
        rhs: rows.iter().map(|row| row.rhs / scale).collect(),
        classes: class_directions(&items, class_keys.len(), rows.len(), problem.has_gain_row),
        items,
        scale,
    }
}

/// Objective and row coefficients per unit of mass of each class: the mass-weighted mean of
/// its items' (equal up to rounding: the class key fixes them). With a taxable-gain row
/// (`loosest`), items of a class differ on it (the gain depends on each asset's tax basis), so
/// each row coefficient is instead the smallest of the items' per unit of mass: the
/// class-level relaxation is then a relaxation of every item, and its bounds stay valid, only
/// looser.
fn class_directions(
    items: &[Item],
    class_count: usize,
    row_count: usize,
    loosest: bool,
) -> Vec<Direction> {
    let start = if loosest { f64::INFINITY } else { 0.0 };
    let mut classes = vec![
        Direction {
            objective: 0.0,
            coefficients: vec![start; row_count]
        };
        class_count
    ];
    let mut masses = vec![0.0; class_count];
    for item in items {
        masses[item.class] += item.mass;
        let class = &mut classes[item.class];
        class.objective += item.objective;
        for (total, value) in class.coefficients.iter_mut().zip(&item.coefficients) {
            if loosest {
                *total = total.min(value / item.mass);
            } else {
                *total += value;
            }
        }
    }
    for (class, &mass) in classes.iter_mut().zip(&masses) {
        if mass > 0.0 {
            class.objective /= mass;
            if !loosest {
                class.coefficients.iter_mut().for_each(|c| *c /= mass);
            }
        } else {
            class.coefficients.iter_mut().for_each(|c| *c = 0.0);
        }
    }
    classes
}
