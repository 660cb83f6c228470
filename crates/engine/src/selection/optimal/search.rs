//! Depth-first branch and bound for a 0-1 program with a handful of linear rows.
//!
//! Items come in classes whose objective and row coefficients are proportional to one
//! positive "mass" (for sale-leasebacks: proceeds; every coefficient of an asset is its
//! proceeds times a factor fixed by its cap rate and criticality). The linear relaxation of a
//! node therefore only needs one column per class — the free mass taken from it — which keeps
//! every relaxation a few dozen columns wide whatever the portfolio size.
//!
//! Each node:
//! 1. fixes the items a row leaves no choice about (bound propagation);
//! 2. solves the relaxation; its bound is the Lagrangian bound at the relaxation's row prices,
//!    valid for any prices, so numerical trouble in the simplex can only weaken pruning;
//! 3. rounds the relaxation to selections (down and up) and, at the root, completes it with an
//!    exact knapsack ([`knapsack`]) over the items cheapest to flip, on the rows combined with
//!    the relaxation's prices;
//! 4. fixes the items whose reduced cost alone would sink the bound below the incumbent;
//! 5. when few free items are left, bounds the node by the exact knapsack over all of them;
//! 6. otherwise branches on the heaviest free item of the most fractional class.
//!
//! Every candidate is confirmed by the caller's `verify` before it becomes the incumbent.

use super::knapsack::{self, Knapsack};
use super::lp::{LinearProgram, Simplex, Status};

/// Core sizes of the knapsack completion tried at the root, cheapest first.
const ROOT_CORES: [usize; 2] = [24, knapsack::MAX_ITEMS];
/// Largest core completed against two rows at once (the two-row knapsack is the costlier).
const TWO_ROW_CORE: usize = 24;
/// Knapsack solves are charged to the node budget at this many listed subsets per node.
const SUBSETS_PER_NODE: u64 = 128;

/// A 0-1 program: maximise `Σ objective_i·x_i` subject to `Σ coefficients_i[r]·x_i ≤ rhs[r]`.
#[derive(Debug, Clone)]
pub struct Program {
    pub rhs: Vec<f64>,
    pub items: Vec<Item>,
    /// Per class, the objective and row coefficients of one unit of mass.
    pub classes: Vec<Direction>,
    /// Money per unit of objective and row values (the program is scaled to about 1).
    pub scale: f64,
}

impl Program {
    /// Objective of the items `chosen`, summed in the order given.
    fn objective_of(&self, chosen: &[usize]) -> f64 {
        chosen.iter().map(|&i| self.items[i].objective).sum()
    }

    /// What the items `chosen` use of `row`, summed in the order given.
    fn row_use(&self, chosen: &[usize], row: usize) -> f64 {
        chosen
            .iter()
            .map(|&i| self.items[i].coefficients[row])
            .sum()
    }
}

/// One selectable item.
#[derive(Debug, Clone)]
pub struct Item {
    pub class: usize,
    /// Positive weight that all of the item's coefficients are proportional to.
    pub mass: f64,
    pub objective: f64,
    /// One coefficient per row of the program.
    pub coefficients: Vec<f64>,
    /// Breaks exact ties of the objective: higher is preferred.
    pub tie_break: f64,
}

/// Objective and row coefficients per unit of mass.
#[derive(Debug, Clone)]
pub struct Direction {
    pub objective: f64,
    pub coefficients: Vec<f64>,
}

/// How far the search may go.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Nodes to explore (knapsack solves are charged in node equivalents).
    pub max_nodes: u64,
    /// A node is pruned unless it may beat the incumbent by more than this share of it…
    pub relative_gap: f64,
    /// …and by more than this absolute amount (in objective units).
    pub absolute_gap: f64,
}

/// The best selection found and whether the search proved it optimal.
#[derive(Debug, Clone)]
pub struct SearchResult {
    pub best: Option<Candidate>,
    /// True when the whole tree was explored (within the relative gap): `best` is optimal, or
    /// no selection satisfies the rows when it is `None`.
    pub complete: bool,
    /// Nodes used, including knapsack work.
    pub nodes: u64,
}

/// A selection with its objective value.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Item indices in ascending order.
    pub items: Vec<usize>,
    pub objective: f64,
    pub tie_break: f64,
}

/// Runs the search from an optional starting selection. `verify` receives the items of a
/// candidate in ascending order and must return whether it is acceptable; only verified
/// candidates become the incumbent.
pub fn search(
    program: &Program,
    budget: Budget,
    start: Option<&[usize]>,
    verify: &mut dyn FnMut(&[usize]) -> bool,
) -> SearchResult {
    let mut search = Search::new(program, budget, verify);
    if let Some(items) = start {
        search.offer(items);
    }
    search.run();
    SearchResult {
        best: search.incumbent,
        complete: !search.stopped,
        nodes: search.nodes,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fix {
    Free,
    In,
    Out,
}

/// Where the depth-first walk resumes after a subtree.
struct Frame {
    /// Trail length when the node was entered (before its own fixings).
    entry_mark: usize,
    /// Trail length after the node's fixings (before the branching fix).
    branch_mark: usize,
    item: usize,
    second_child: Option<bool>,
}

/// What one knapsack completion produced.
struct Fill {
    /// Objective of the completed selection.
    objective: f64,
    /// Rows the completed selection breaks (the knapsack only sees combinations of rows).
    broken_rows: Vec<usize>,
}

/// What the relaxation of a node says.
struct Relaxation {
    bound: f64,
    /// Mass taken from each class.
    taken: Vec<f64>,
    /// Reduced cost per unit of mass of each class.
    gains: Vec<f64>,
    /// Non-negative row prices.
    prices: Vec<f64>,
}

/// The sums a node needs, in one flat vector so that saving and restoring a node is one copy:
/// `[fixed objective, fixed use per row…, free mass per class…, free negative use per row…,
/// free positive objective]`. "Fixed" sums run over the items fixed in, "free" ones over the
/// items not fixed yet.
struct Totals {
    values: Vec<f64>,
    rows: usize,
    classes: usize,
}

impl Totals {
    /// Every item free.
    fn new(program: &Program) -> Self {
        let (rows, classes) = (program.rhs.len(), program.classes.len());
        let mut totals = Totals {
            values: vec![0.0; 2 + 2 * rows + classes],
            rows,
            classes,
        };
        for item in &program.items {
            totals.values[1 + rows + item.class] += item.mass;
            for (row, coefficient) in item.coefficients.iter().enumerate() {
                totals.values[1 + rows + classes + row] += coefficient.min(0.0);
            }
            totals.values[1 + 2 * rows + classes] += item.objective.max(0.0);
        }
        totals
    }

    fn objective(&self) -> f64 {
        self.values[0]
    }

    fn used(&self, row: usize) -> f64 {
        self.values[1 + row]
    }

    fn free_masses(&self) -> &[f64] {
        &self.values[1 + self.rows..1 + self.rows + self.classes]
    }

    /// The least use of `row` any completion can reach: fixed use plus every free negative.
    fn least_use(&self, row: usize) -> f64 {
        self.used(row) + self.values[1 + self.rows + self.classes + row]
    }

    /// The most objective any completion can reach, ignoring the rows.
    fn most_objective(&self) -> f64 {
        self.values[0] + self.values[1 + 2 * self.rows + self.classes]
    }

    /// Moves a free `item` to fixed, in or out.
    fn fix(&mut self, item: &Item, take: bool) {
        let (rows, classes) = (self.rows, self.classes);
        self.values[1 + rows + item.class] -= item.mass;
        for (row, coefficient) in item.coefficients.iter().enumerate() {
            self.values[1 + rows + classes + row] -= coefficient.min(0.0);
            if take {
                self.values[1 + row] += coefficient;
            }
        }
        self.values[1 + 2 * rows + classes] -= item.objective.max(0.0);
        if take {
            self.values[0] += item.objective;
        }
    }
}

struct Search<'a> {
    program: &'a Program,
    budget: Budget,
    verify: &'a mut dyn FnMut(&[usize]) -> bool,
    rows: usize,
    classes: usize,
    /// Items of each class, heaviest first.
    members: Vec<Vec<usize>>,
    fix: Vec<Fix>,
    /// Number of free items.
    free: usize,
    trail: Vec<usize>,
    totals: Totals,
    /// Totals saved at the open frames, for backtracking without drift.
    saved: Vec<f64>,
    /// Largest |coefficient| of any item, per row, and largest |objective|: when even these
    /// cannot break a row (or the cutoff), propagation has nothing to fix.
    widest_coefficient: Vec<f64>,
    widest_objective: f64,
    class_objective: Vec<f64>,
    /// Class coefficients, row-major.
    class_rows: Vec<f64>,
    simplex: Simplex,
    knapsack: Knapsack,
    incumbent: Option<Candidate>,
    nodes: u64,
    stopped: bool,
}

impl<'a> Search<'a> {
    fn new(
        program: &'a Program,
        budget: Budget,
        verify: &'a mut dyn FnMut(&[usize]) -> bool,
    ) -> Self {
        let rows = program.rhs.len();
        let classes = program.classes.len();
        let mut members = vec![Vec::new(); classes];
        for (index, item) in program.items.iter().enumerate() {
            members[item.class].push(index);
        }
        let heaviest_first = |a: &usize, b: &usize| {
            program.items[*b]
                .mass
                .total_cmp(&program.items[*a].mass)
                .then(a.cmp(b))
        };
        members
            .iter_mut()
            .for_each(|list| list.sort_by(heaviest_first));
        let widest_coefficient = (0..rows)
            .map(|row| {
                let magnitudes = program
                    .items
                    .iter()
                    .map(|item| item.coefficients[row].abs());
                magnitudes.fold(0.0, f64::max)
            })
            .collect();
        let widest_objective = program
            .items
            .iter()
            .map(|item| item.objective.abs())
            .fold(0.0, f64::max);
        let mut class_rows = vec![0.0; rows * classes];
        for (class, direction) in program.classes.iter().enumerate() {
            for row in 0..rows {
                class_rows[row * classes + class] = direction.coefficients[row];
            }
        }
        Search {
            program,
            budget,
            verify,
            rows,
            classes,
            members,
            fix: vec![Fix::Free; program.items.len()],
            free: program.items.len(),
            trail: Vec::new(),
            totals: Totals::new(program),
            saved: Vec::new(),
            widest_coefficient,
            widest_objective,
            class_objective: program.classes.iter().map(|c| c.objective).collect(),
            class_rows,
            simplex: Simplex::default(),
            knapsack: Knapsack::default(),
            incumbent: None,
            nodes: 0,
            stopped: false,
        }
    }

    fn run(&mut self) {
        let width = self.totals.values.len();
        let mut frames: Vec<Frame> = Vec::new();
        let mut evaluate = true;
        loop {
            if evaluate {
                let entry_mark = self.trail.len();
                if let Some((item, first)) = self.evaluate() {
                    frames.push(Frame {
                        entry_mark,
                        branch_mark: self.trail.len(),
                        item,
                        second_child: Some(!first),
                    });
                    self.saved.extend_from_slice(&self.totals.values);
                    self.set(item, first);
                    continue;
                }
                if self.stopped {
                    return;
                }
                self.undo_to(entry_mark);
            }
            // Backtrack to the deepest node with an unexplored child.
            let Some(frame) = frames.last_mut() else {
                return;
            };
            self.undo_to(frame.branch_mark);
            let saved_at = self.saved.len() - width;
            self.totals.values.copy_from_slice(&self.saved[saved_at..]);
            if let Some(second) = frame.second_child.take() {
                let item = frame.item;
                self.set(item, second);
                evaluate = true;
            } else {
                self.undo_to(frame.entry_mark);
                self.saved.truncate(saved_at);
                frames.pop();
                evaluate = false;
            }
        }
    }

    /// Fixes `item` in or out, updating the node state.
    fn set(&mut self, item: usize, take: bool) {
        let entry = &self.program.items[item];
        self.fix[item] = if take { Fix::In } else { Fix::Out };
        self.free -= 1;
        self.trail.push(item);
        self.totals.fix(entry, take);
    }

    /// Frees the items fixed after trail position `mark` (the state is restored separately).
    fn undo_to(&mut self, mark: usize) {
        for item in self.trail.drain(mark..) {
            self.fix[item] = Fix::Free;
            self.free += 1;
        }
    }

    fn free_items(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.program.items.len()).filter(|&item| self.fix[item] == Fix::Free)
    }

    /// The objective a node must beat (by more than the gap) to be worth exploring.
    fn cutoff(&self) -> f64 {
        match &self.incumbent {
            Some(best) => {
                best.objective
                    + (self.budget.relative_gap * best.objective.abs())
                        .max(self.budget.absolute_gap)
            }
            None => f64::NEG_INFINITY,
        }
    }

    /// Processes the current node; returns the item to branch on and the side to try first,
    /// or `None` when the node is finished (pruned, solved, or out of budget).
    fn evaluate(&mut self) -> Option<(usize, bool)> {
        if self.nodes >= self.budget.max_nodes {
            self.stopped = true;
            return None;
        }
        self.nodes += 1;
        if !self.propagate() {
            return None;
        }
        let relaxation = self.relax()?;
        if relaxation.bound <= self.cutoff() {
            return None;
        }
        self.round(&relaxation.taken, false);
        self.round(&relaxation.taken, true);
        if self.nodes == 1 {
            self.complete_root(&relaxation);
        }
        if relaxation.bound <= self.cutoff() {
            return None;
        }
        self.fix_by_reduced_cost(&relaxation);
        // Few free items left: the knapsack over all of them, on the priced rows combined
        // into one, bounds the node exactly enough to settle it or not.
        if self.free <= knapsack::MAX_ITEMS {
            let combos = [relaxation.prices.clone()];
            match self.complete_by_knapsack(&relaxation, &combos, knapsack::MAX_ITEMS) {
                None => return None,
                Some(fill) if fill.objective <= self.cutoff() => return None,
                Some(_) => {}
            }
        }
        self.branching_choice(&relaxation.taken)
    }

    /// Fixes the free items that a row leaves no choice about: an item that cannot fit even
    /// when everything else helps is out; an item without which the row cannot hold is in.
    /// The objective is treated alike: an item that alone would keep every completion from
    /// beating the incumbent is fixed the other way. Returns false when the node is empty.
    fn propagate(&mut self) -> bool {
        let mut changed = true;
        while changed {
            changed = false;
            for row in 0..self.rows {
                let least_use = self.totals.least_use(row);
                let rhs = self.program.rhs[row];
                if least_use > rhs {
                    return false;
                }
                if least_use + self.widest_coefficient[row] > rhs {
                    changed |= self.fix_where(|item| {
                        let coefficient = item.coefficients[row];
                        (least_use + coefficient.abs() > rhs).then_some(coefficient < 0.0)
                    });
                }
            }
            let cutoff = self.cutoff();
            let most = self.totals.most_objective();
            if most <= cutoff {
                return false;
            }
            if most - self.widest_objective <= cutoff {
                changed |= self.fix_where(|item| {
                    let objective = item.objective;
                    (objective != 0.0 && most - objective.abs() <= cutoff)
                        .then_some(objective > 0.0)
                });
            }
        }
        true
    }

    /// Fixes every free item for which `side` says in (`Some(true)`) or out (`Some(false)`);
    /// returns whether any was fixed.
    fn fix_where(&mut self, side: impl Fn(&Item) -> Option<bool>) -> bool {
        let mut fixed = false;
        for item in 0..self.program.items.len() {
            if self.fix[item] == Fix::Free
                && let Some(take) = side(&self.program.items[item])
            {
                self.set(item, take);
                fixed = true;
            }
        }
        fixed
    }

    /// Solves the class-level relaxation of the node; `None` when it is infeasible.
    fn relax(&mut self) -> Option<Relaxation> {
        let rhs: Vec<f64> = (0..self.rows)
            .map(|row| self.program.rhs[row] - self.totals.used(row))
            .collect();
        let upper: Vec<f64> = self
            .totals
            .free_masses()
            .iter()
            .map(|mass| mass.max(0.0))
            .collect();
        let lp = LinearProgram {
            objective: &self.class_objective,
            rows: &self.class_rows,
            rhs: &rhs,
            upper: &upper,
        };
        if self.simplex.solve(&lp) == Status::Infeasible {
            return None;
        }
        let prices = &self.simplex.prices;
        Some(Relaxation {
            bound: self.totals.objective() + lp.lagrangian_bound(prices),
            taken: self.simplex.values.clone(),
            gains: (0..self.classes)
                .map(|class| lp.reduced_cost(prices, class))
                .collect(),
            prices: prices.clone(),
        })
    }

    /// An item whose flip alone would sink the bound to the cutoff keeps its relaxation side
    /// in the whole subtree.
    fn fix_by_reduced_cost(&mut self, relaxation: &Relaxation) {
        let cutoff = self.cutoff();
        for item in 0..self.program.items.len() {
            if self.fix[item] != Fix::Free {
                continue;
            }
            let entry = &self.program.items[item];
            let gain = relaxation.gains[entry.class] * entry.mass;
            if relaxation.bound - gain.abs() <= cutoff && gain != 0.0 {
                self.set(item, gain > 0.0);
            }
        }
    }

    /// Picks the heaviest free item of the most fractional class, trying first the side the
    /// relaxation leans to; any free item when no class is fractional.
    fn branching_choice(&self, taken: &[f64]) -> Option<(usize, bool)> {
        let mut best: Option<(usize, f64)> = None;
        for (class, &mass) in taken.iter().enumerate() {
            let free = self.totals.free_masses()[class];
            if free <= 0.0 || self.first_free(class).is_none() {
                continue;
            }
            let share = (mass / free).clamp(0.0, 1.0);
            let fractionality = share.min(1.0 - share);
            if fractionality > 1e-9 && best.is_none_or(|(_, most)| fractionality > most) {
                best = Some((class, fractionality));
            }
        }
        let class = match best {
            Some((class, _)) => class,
            None => (0..self.classes).find(|&class| self.first_free(class).is_some())?,
        };
        let item = self.first_free(class)?;
        Some((item, taken[class] >= 0.5 * self.program.items[item].mass))
    }

    fn first_free(&self, class: usize) -> Option<usize> {
        self.members[class]
            .iter()
            .copied()
            .find(|&item| self.fix[item] == Fix::Free)
    }

    /// Rounds the relaxation class by class, heaviest items first: down (never more mass
    /// than the relaxation takes) or up (until at least that much), and offers the result.
    fn round(&mut self, taken: &[f64], up: bool) {
        let mut chosen: Vec<bool> = self.fix.iter().map(|&fix| fix == Fix::In).collect();
        for (members, &mass) in self.members.iter().zip(taken) {
            let mut room = mass * (1.0 + 1e-12);
            for &item in members {
                if self.fix[item] != Fix::Free || room <= 0.0 {
                    continue;
                }
                let mass = self.program.items[item].mass;
                if up || mass <= room {
                    room -= mass;
                    chosen[item] = true;
                }
            }
        }
        let chosen: Vec<usize> = (0..chosen.len()).filter(|&item| chosen[item]).collect();
        self.offer(&chosen);
    }

    /// Re-decides the `core_size` free items cheapest to flip by an exact knapsack, and
    /// offers the result. The knapsack respects one or two combined rows: each of `combos`
    /// holds one price per row (any non-negative prices give a valid combined row). Every
    /// other free item starts on its side in the rounded relaxation; the cheapest of them are
    /// then flipped until the core can fill about half (±25 %) of what is left of the first
    /// combined row, so that it has room to manoeuvre both ways. Returns the completed
    /// selection's objective, which bounds the node when the core holds every free item (the
    /// knapsack optimum over a relaxation of the rows); `None` when no fill keeps the
    /// combined rows.
    fn complete_by_knapsack(
        &mut self,
        relaxation: &Relaxation,
        combos: &[Vec<f64>],
        core_size: usize,
    ) -> Option<Fill> {
        let items = &self.program.items;
        let weight = |combo: &[f64], item: usize| -> f64 {
            combo
                .iter()
                .zip(&items[item].coefficients)
                .map(|(price, coefficient)| price * coefficient)
                .sum()
        };
        let first = combos[0].as_slice();
        let flip_cost =
            |item: usize| (relaxation.gains[items[item].class] * items[item].mass).abs();
        let mut free: Vec<usize> = self.free_items().collect();
        free.sort_by(|&a, &b| {
            flip_cost(a)
                .total_cmp(&flip_cost(b))
                .then(weight(first, a).abs().total_cmp(&weight(first, b).abs()))
                .then(a.cmp(&b))
        });
        let (core, outer) = free.split_at(core_size.min(free.len()));
        let mut core = core.to_vec();
        core.sort_unstable();
        let mut taken: Vec<bool> = self.fix.iter().map(|&fix| fix == Fix::In).collect();
        for class in 0..self.classes {
            let mut room = relaxation.taken[class] * (1.0 + 1e-12);
            for &item in &self.members[class] {
                if self.fix[item] == Fix::Free
                    && core.binary_search(&item).is_err()
                    && items[item].mass <= room
                {
                    room -= items[item].mass;
                    taken[item] = true;
                }
            }
        }
        // A core item with a negative first weight starts taken, so that every core decision
        // (a flip) uses room of the first combined row.
        for &item in &core {
            taken[item] = weight(first, item) < 0.0;
        }
        let room_of = |combo: &[f64], taken: &[bool]| -> f64 {
            let capacity: f64 = combo
                .iter()
                .zip(&self.program.rhs)
                .map(|(price, rhs)| price * rhs)
                .sum();
            capacity
                - (0..items.len())
                    .filter(|&i| taken[i])
                    .map(|i| weight(combo, i))
                    .sum::<f64>()
        };
        let flip_weight = |combo: &[f64], item: usize, taken: &[bool]| {
            if taken[item] {
                -weight(combo, item)
            } else {
                weight(combo, item)
            }
        };
        let mut room = room_of(first, &taken);
        let centre = core
            .iter()
            .map(|&i| flip_weight(first, i, &taken))
            .sum::<f64>()
            / 2.0;
        for &item in outer {
            if (room - centre).abs() <= centre / 4.0 {
                break;
            }
            let change = -flip_weight(first, item, &taken);
            if (room + change - centre).abs() < (room - centre).abs() {
                taken[item] = !taken[item];
                room += change;
            }
        }
        let flip_profit = |item: usize| {
            if taken[item] {
                -items[item].objective
            } else {
                items[item].objective
            }
        };
        let profits: Vec<f64> = core.iter().map(|&i| flip_profit(i)).collect();
        let weights = |combo: &[f64]| -> Vec<f64> {
            core.iter()
                .map(|&i| flip_weight(combo, i, &taken))
                .collect()
        };
        self.nodes += knapsack::work(core.len(), combos.len()) / SUBSETS_PER_NODE;
        let (mask, _) = match combos {
            [one] => self.knapsack.solve(&weights(one), &profits, room)?,
            [one, two, ..] => knapsack::solve_two_rows(
                [&weights(one), &weights(two)],
                &profits,
                [room, room_of(two, &taken)],
            )?,
            [] => return None,
        };
        for (bit, &item) in core.iter().enumerate() {
            if mask >> bit & 1 == 1 {
                taken[item] = !taken[item];
            }
        }
        let chosen: Vec<usize> = (0..items.len()).filter(|&i| taken[i]).collect();
        let objective = self.program.objective_of(&chosen);
        let broken_rows = (0..self.rows)
            .filter(|&row| self.program.row_use(&chosen, row) > self.program.rhs[row])
            .collect();
        self.offer_valued(&chosen, objective);
        Some(Fill {
            objective,
            broken_rows,
        })
    }

    /// The root's completions, cheap core first, then the largest, on the rows combined with
    /// the relaxation's prices. A completion that breaks a row is retried with that row kept
    /// as a second knapsack row.
    fn complete_root(&mut self, relaxation: &Relaxation) {
        for core in ROOT_CORES {
            let mut combos = vec![relaxation.prices.clone()];
            loop {
                if relaxation.bound <= self.cutoff() {
                    return;
                }
                let Some(fill) = self.complete_by_knapsack(relaxation, &combos, core) else {
                    break;
                };
                match fill.broken_rows.first() {
                    Some(&row) if combos.len() == 1 && core <= TWO_ROW_CORE => {
                        let mut alone = vec![0.0; self.rows];
                        alone[row] = 1.0;
                        combos.push(alone);
                    }
                    _ => break,
                }
            }
        }
    }

    /// Makes `chosen` (ascending) the incumbent if it satisfies every row, beats the incumbent
    /// and passes `verify`.
    fn offer(&mut self, chosen: &[usize]) {
        self.offer_valued(chosen, self.program.objective_of(chosen));
    }

    /// [`offer`](Self::offer) for a selection whose objective is already summed.
    fn offer_valued(&mut self, chosen: &[usize], objective: f64) {
        let items = &self.program.items;
        let tie_break = || chosen.iter().map(|&i| items[i].tie_break).sum::<f64>();
        let better = match &self.incumbent {
            None => true,
            Some(best) => {
                let tie = 1e-12 * best.objective.abs();
                objective > best.objective + tie
                    || (objective >= best.objective - tie && tie_break() > best.tie_break)
            }
        };
        let fits =
            || (0..self.rows).all(|row| self.program.row_use(chosen, row) <= self.program.rhs[row]);
        if better && fits() && (self.verify)(chosen) {
            self.incumbent = Some(Candidate {
                items: chosen.to_vec(),
                objective,
                tie_break: tie_break(),
            });
        }
    }
}
