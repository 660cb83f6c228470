//! A dense bounded-variable simplex for the tiny linear programs of the search.
//!
//! The relaxations solved here have one column per asset class (a few dozen at most) and one
//! row per linear constraint (at most five), so a dense tableau is both the simplest and the
//! fastest choice. The solver never has to be trusted for correctness: callers turn its row
//! prices into a Lagrangian bound, which is a valid upper bound for *any* non-negative prices.

/// Pivots smaller than this are treated as zero.
const PIVOT_TOLERANCE: f64 = 1e-11;
/// A reduced cost must exceed this to improve the objective.
const OPTIMALITY_TOLERANCE: f64 = 1e-12;
/// Total infeasibility above this after phase one means the program has no solution.
const FEASIBILITY_TOLERANCE: f64 = 1e-10;

/// `maximise objective·t  subject to  rows·t ≤ rhs,  0 ≤ t ≤ upper`.
///
/// `rows` is row-major: row `r` occupies `rows[r * columns .. (r + 1) * columns]`.
#[derive(Debug, Clone, Copy)]
pub struct LinearProgram<'a> {
    pub objective: &'a [f64],
    pub rows: &'a [f64],
    pub rhs: &'a [f64],
    pub upper: &'a [f64],
}

impl LinearProgram<'_> {
    fn columns(&self) -> usize {
        self.objective.len()
    }

    fn row_count(&self) -> usize {
        self.rhs.len()
    }

    fn coefficient(&self, row: usize, column: usize) -> f64 {
        self.rows[row * self.columns() + column]
    }

    /// The Lagrangian bound `prices·rhs + Σ_j upper_j · max(0, objective_j − prices·column_j)`:
    /// an upper bound on the program's optimum for any non-negative `prices`.
    pub fn lagrangian_bound(&self, prices: &[f64]) -> f64 {
        let mut bound: f64 = prices
            .iter()
            .zip(self.rhs)
            .map(|(price, rhs)| price * rhs)
            .sum();
        for column in 0..self.columns() {
            bound += self.upper[column] * self.reduced_cost(prices, column).max(0.0);
        }
        bound
    }

    /// `objective_j − prices·column_j`: what one unit of column `j` gains at these prices.
    pub fn reduced_cost(&self, prices: &[f64], column: usize) -> f64 {
        let mut cost = self.objective[column];
        for (row, price) in prices.iter().enumerate() {
            cost -= price * self.coefficient(row, column);
        }
        cost
    }
}

/// The outcome of one solve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// An optimal basis was found: `values` and `prices` are optimal.
    Optimal,
    /// No point satisfies the rows and bounds.
    Infeasible,
    /// The iteration cap was hit; `prices` are still usable for a (weaker) bound.
    Stalled,
}

/// Reusable solver state, so the search allocates nothing per node.
#[derive(Debug, Default)]
pub struct Simplex {
    /// `B⁻¹·[A | I | ±I]`, row-major, `rows × width`.
    tableau: Vec<f64>,
    width: usize,
    /// Current value of the basic variable of each row.
    basic_values: Vec<f64>,
    /// Column index of the basic variable of each row.
    basis: Vec<usize>,
    is_basic: Vec<bool>,
    at_upper: Vec<bool>,
    upper: Vec<f64>,
    costs: Vec<f64>,
    /// Primal values of the structural columns after [`Simplex::solve`].
    pub values: Vec<f64>,
    /// Non-negative row prices after [`Simplex::solve`].
    pub prices: Vec<f64>,
}

impl Simplex {
    /// Solves `lp`, leaving the solution in [`Simplex::values`] and [`Simplex::prices`].
    pub fn solve(&mut self, lp: &LinearProgram<'_>) -> Status {
        let (n, m) = (lp.columns(), lp.row_count());
        self.load(lp);
        let needs_phase_one = (0..m).any(|row| lp.rhs[row] < 0.0);
        if needs_phase_one {
            self.costs.iter_mut().for_each(|cost| *cost = 0.0);
            for row in 0..m {
                if lp.rhs[row] < 0.0 {
                    self.costs[n + m + row] = -1.0;
                }
            }
            let status = self.iterate();
            let infeasibility: f64 = (0..m)
                .filter(|&row| self.basis[row] >= n + m)
                .map(|row| self.basic_values[row])
                .sum();
            if infeasibility > FEASIBILITY_TOLERANCE {
                self.extract(lp);
                return if status == Status::Stalled {
                    Status::Stalled
                } else {
                    Status::Infeasible
                };
            }
            for row in 0..m {
                self.upper[n + m + row] = 0.0;
            }
            for row in 0..m {
                if self.basis[row] >= n + m {
                    self.basic_values[row] = 0.0;
                }
            }
        }
        self.costs.iter_mut().for_each(|cost| *cost = 0.0);
        self.costs[..n].copy_from_slice(lp.objective);
        let status = self.iterate();
        self.extract(lp);
        status
    }

    /// Starts from the all-lower basis: slacks basic on rows with a non-negative right-hand
    /// side, artificials on the others.
    fn load(&mut self, lp: &LinearProgram<'_>) {
        let (n, m) = (lp.columns(), lp.row_count());
        let width = n + 2 * m;
        self.width = width;
        self.tableau.clear();
        self.tableau.resize(m * width, 0.0);
        self.basic_values.clear();
        self.basis.clear();
        self.is_basic.clear();
        self.is_basic.resize(width, false);
        self.at_upper.clear();
        self.at_upper.resize(width, false);
        self.upper.clear();
        self.upper.extend_from_slice(lp.upper);
        self.upper.extend(std::iter::repeat_n(f64::INFINITY, m));
        self.upper.extend(std::iter::repeat_n(0.0, m));
        self.costs.clear();
        self.costs.resize(width, 0.0);
        for row in 0..m {
            let sign = if lp.rhs[row] < 0.0 { -1.0 } else { 1.0 };
            let line = &mut self.tableau[row * width..(row + 1) * width];
            for (column, cell) in line[..n].iter_mut().enumerate() {
                *cell = sign * lp.coefficient(row, column);
            }
            line[n + row] = sign;
            line[n + m + row] = -sign;
            let basic = if sign < 0.0 { n + m + row } else { n + row };
            if sign < 0.0 {
                self.upper[basic] = f64::INFINITY;
            }
            self.basis.push(basic);
            self.is_basic[basic] = true;
            self.basic_values.push(sign * lp.rhs[row]);
        }
    }

    /// Primal simplex iterations with the current costs until optimal or the cap is hit.
    fn iterate(&mut self) -> Status {
        let m = self.basis.len();
        let cap = 50 * (self.width + m) + 50;
        let bland_after = 4 * (self.width + m);
        for iteration in 0..cap {
            let Some((entering, increasing)) = self.entering(iteration >= bland_after) else {
                return Status::Optimal;
            };
            let direction = if increasing { 1.0 } else { -1.0 };
            let mut step = self.upper[entering];
            let mut leaving: Option<(usize, bool)> = None;
            let mut best_pivot = 0.0;
            for row in 0..m {
                let alpha = direction * self.tableau[row * self.width + entering];
                let basic = self.basis[row];
                let (limit, to_upper) = if alpha > PIVOT_TOLERANCE {
                    (self.basic_values[row].max(0.0) / alpha, false)
                } else if alpha < -PIVOT_TOLERANCE && self.upper[basic].is_finite() {
                    (
                        ((self.upper[basic] - self.basic_values[row]).max(0.0)) / -alpha,
                        true,
                    )
                } else {
                    continue;
                };
                if limit < step || (limit == step && leaving.is_some() && alpha.abs() > best_pivot)
                {
                    step = limit;
                    leaving = Some((row, to_upper));
                    best_pivot = alpha.abs();
                }
            }
            if !step.is_finite() {
                return Status::Stalled;
            }
            for row in 0..m {
                let alpha = self.tableau[row * self.width + entering];
                self.basic_values[row] -= direction * step * alpha;
            }
            match leaving {
                None => self.at_upper[entering] = increasing,
                Some((row, to_upper)) => {
                    let entering_value = if increasing {
                        step
                    } else {
                        self.upper[entering] - step
                    };
                    let left = self.basis[row];
                    self.is_basic[left] = false;
                    self.at_upper[left] = to_upper;
                    self.is_basic[entering] = true;
                    self.at_upper[entering] = false;
                    self.basis[row] = entering;
                    self.basic_values[row] = entering_value;
                    self.pivot(row, entering);
                }
            }
        }
        Status::Stalled
    }

    /// The nonbasic column to bring in and whether it increases; `None` when optimal.
    fn entering(&self, bland: bool) -> Option<(usize, bool)> {
        let mut best: Option<(usize, bool)> = None;
        let mut best_gain = OPTIMALITY_TOLERANCE;
        for column in 0..self.width {
            if self.is_basic[column] {
                continue;
            }
            let cost = self.reduced_cost(column);
            let candidate = if !self.at_upper[column]
                && cost > OPTIMALITY_TOLERANCE
                && self.upper[column] > 0.0
            {
                Some(true)
            } else if self.at_upper[column] && cost < -OPTIMALITY_TOLERANCE {
                Some(false)
            } else {
                None
            };
            if let Some(increasing) = candidate {
                if bland {
                    return Some((column, increasing));
                }
                if cost.abs() > best_gain {
                    best_gain = cost.abs();
                    best = Some((column, increasing));
                }
            }
        }
        best
    }

    fn reduced_cost(&self, column: usize) -> f64 {
        let mut cost = self.costs[column];
        for (row, &basic) in self.basis.iter().enumerate() {
            cost -= self.costs[basic] * self.tableau[row * self.width + column];
        }
        cost
    }

    fn pivot(&mut self, pivot_row: usize, pivot_column: usize) {
        let width = self.width;
        let pivot = self.tableau[pivot_row * width + pivot_column];
        for column in 0..width {
            self.tableau[pivot_row * width + column] /= pivot;
        }
        for row in 0..self.basis.len() {
            if row == pivot_row {
                continue;
            }
            let factor = self.tableau[row * width + pivot_column];
            if factor == 0.0 {
                continue;
            }
            for column in 0..width {
                self.tableau[row * width + column] -=
                    factor * self.tableau[pivot_row * width + column];
            }
        }
    }

    /// Copies the structural values and the row prices out of the tableau.
    fn extract(&mut self, lp: &LinearProgram<'_>) {
        let (n, m) = (lp.columns(), lp.row_count());
        self.values.clear();
        for column in 0..n {
            self.values.push(if self.at_upper[column] {
                self.upper[column]
            } else {
                0.0
            });
        }
        for (row, &basic) in self.basis.iter().enumerate() {
            if basic < n {
                self.values[basic] = self.basic_values[row].clamp(0.0, self.upper[basic]);
            }
        }
        self.prices.clear();
        for row in 0..m {
            // The slack of row r has cost 0 and column e_r, so its reduced cost is −price_r.
            let price = if self.is_basic[n + row] {
                0.0
            } else {
                -self.reduced_cost(n + row)
            };
            self.prices.push(price.max(0.0));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_a_bounded_program_with_a_lower_bound_row() {
        // max 3a + 2b  s.t.  a + b ≤ 4,  −a − b ≤ −1 (a + b ≥ 1),  a ≤ 3, b ≤ 2  →  a = 3, b = 1.
        let lp = LinearProgram {
            objective: &[3.0, 2.0],
            rows: &[1.0, 1.0, -1.0, -1.0],
            rhs: &[4.0, -1.0],
            upper: &[3.0, 2.0],
        };
        let mut simplex = Simplex::default();
        assert_eq!(simplex.solve(&lp), Status::Optimal);
        assert!((simplex.values[0] - 3.0).abs() < 1e-12 && (simplex.values[1] - 1.0).abs() < 1e-12);
        assert!((simplex.prices[0] - 2.0).abs() < 1e-12 && simplex.prices[1] == 0.0);
        assert!((lp.lagrangian_bound(&simplex.prices) - 11.0).abs() < 1e-12);
    }

    #[test]
    fn reports_an_infeasible_program() {
        // a ≥ 2 with a ≤ 1.
        let lp = LinearProgram {
            objective: &[1.0],
            rows: &[-1.0],
            rhs: &[-2.0],
            upper: &[1.0],
        };
        assert_eq!(Simplex::default().solve(&lp), Status::Infeasible);
    }
}
