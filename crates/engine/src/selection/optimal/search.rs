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

struct Search<'a> {
    program: &'a Program,
    budget: Budget,
    verify: &'a mut dyn FnMut(&[usize]) -> bool,
    rows: usize,
    classes: usize,
    /// Items of each class, heaviest first.
    members: Vec<Vec<usize>>,
    fix: Vec<Fix>,
    trail: Vec<usize>,
    /// `[objective of fixed-in items, row use of fixed-in items…, free mass per class…]`.
    state: Vec<f64>,
    /// States saved at the open frames, for backtracking without drift.
    saved: Vec<f64>,
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
        let mut state = vec![0.0; 1 + rows + classes];
        for item in &program.items {
            state[1 + rows + item.class] += item.mass;
        }
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
            trail: Vec::new(),
            state,
            saved: Vec::new(),
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
        let width = self.state.len();
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
                    self.saved.extend_from_slice(&self.state);
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
            self.state.copy_from_slice(&self.saved[saved_at..]);
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
        self.trail.push(item);
        self.state[1 + self.rows + entry.class] -= entry.mass;
        if take {
            self.state[0] += entry.objective;
            for row in 0..self.rows {
                self.state[1 + row] += entry.coefficients[row];
            }
        }
    }

    /// Frees the items fixed after trail position `mark` (the state is restored separately).
    fn undo_to(&mut self, mark: usize) {
        for item in self.trail.drain(mark..) {
            self.fix[item] = Fix::Free;
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
            for core in ROOT_CORES {
                if relaxation.bound <= self.cutoff() {
                    break;
                }
                self.complete_by_knapsack(&relaxation, core);
            }
        }
        if relaxation.bound <= self.cutoff() {
            return None;
        }
        self.fix_by_reduced_cost(&relaxation);
        // Few free items left: the knapsack over all of them, on the priced rows combined
        // into one, bounds the node exactly enough to settle it or not.
        if self.free_items().count() <= knapsack::MAX_ITEMS {
            match self.complete_by_knapsack(&relaxation, knapsack::MAX_ITEMS) {
                None => return None,
                Some(bound) if bound <= self.cutoff() => return None,
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
                let least_use = self.state[1 + row]
                    + self
                        .free_items()
                        .map(|i| self.program.items[i].coefficients[row].min(0.0))
                        .sum::<f64>();
                let rhs = self.program.rhs[row];
                if least_use > rhs {
                    return false;
                }
                for item in 0..self.program.items.len() {
                    let coefficient = self.program.items[item].coefficients[row];
                    if self.fix[item] == Fix::Free && least_use + coefficient.abs() > rhs {
                        self.set(item, coefficient < 0.0);
                        changed = true;
                    }
                }
            }
            let cutoff = self.cutoff();
            if cutoff.is_finite() {
                let most = self.state[0]
                    + self
                        .free_items()
                        .map(|i| self.program.items[i].objective.max(0.0))
                        .sum::<f64>();
                if most <= cutoff {
                    return false;
                }
                for item in 0..self.program.items.len() {
                    let objective = self.program.items[item].objective;
                    if self.fix[item] == Fix::Free
                        && objective != 0.0
                        && most - objective.abs() <= cutoff
                    {
                        self.set(item, objective > 0.0);
                        changed = true;
                    }
                }
            }
        }
        true
    }

    /// Solves the class-level relaxation of the node; `None` when it is infeasible.
    fn relax(&mut self) -> Option<Relaxation> {
        let rhs: Vec<f64> = (0..self.rows)
            .map(|row| self.program.rhs[row] - self.state[1 + row])
            .collect();
        let upper: Vec<f64> = self.state[1 + self.rows..]
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
            bound: self.state[0] + lp.lagrangian_bound(prices),
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
            let free = self.state[1 + self.rows + class];
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
        let mut chosen: Vec<usize> = (0..self.program.items.len())
            .filter(|&i| self.fix[i] == Fix::In)
            .collect();
        for (members, &mass) in self.members.iter().zip(taken) {
            let mut room = mass * (1.0 + 1e-12);
            for &item in members {
                if self.fix[item] != Fix::Free || room <= 0.0 {
                    continue;
                }
                let mass = self.program.items[item].mass;
                if up || mass <= room {
                    room -= mass;
                    chosen.push(item);
                }
            }
        }
        chosen.sort_unstable();
        self.offer(&chosen);
    }

    /// Combines the rows with the relaxation's prices into one surrogate row (valid for any
    /// prices) and re-decides the `core_size` free items cheapest to flip by an exact
    /// knapsack on that row. Every other free item starts on its side in the rounded
    /// relaxation; the cheapest of them are then flipped until the core can fill about half
    /// (±25 %) of what is left of the row, so that it has room to manoeuvre both ways. Offers the
    /// result and returns the objective of the best knapsack fill (an upper bound on the node
    /// when the core holds every free item, as the other rows are relaxed); `None` when no
    /// fill keeps the surrogate row.
    fn complete_by_knapsack(&mut self, relaxation: &Relaxation, core_size: usize) -> Option<f64> {
        let items = &self.program.items;
        let prices = &relaxation.prices;
        let weight = |item: usize| -> f64 {
            prices
                .iter()
                .zip(&items[item].coefficients)
                .map(|(price, coefficient)| price * coefficient)
                .sum()
        };
        let flip_cost =
            |item: usize| (relaxation.gains[items[item].class] * items[item].mass).abs();
        let mut free: Vec<usize> = self.free_items().collect();
        free.sort_by(|&a, &b| {
            flip_cost(a)
                .total_cmp(&flip_cost(b))
                .then(weight(a).abs().total_cmp(&weight(b).abs()))
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
        // A core item with a negative weight starts taken and dropping it uses room, so every
        // core decision has a non-negative weight.
        let capacity: f64 = prices
            .iter()
            .zip(&self.program.rhs)
            .map(|(price, rhs)| price * rhs)
            .sum();
        let mut room = capacity
            - (0..items.len())
                .filter(|&i| taken[i])
                .map(weight)
                .sum::<f64>();
        let mut weights = Vec::with_capacity(core.len());
        let mut profits = Vec::with_capacity(core.len());
        for &item in &core {
            let (w, objective) = (weight(item), items[item].objective);
            if w < 0.0 {
                room -= w;
                taken[item] = true;
            }
            weights.push(w.abs());
            profits.push(if w < 0.0 { -objective } else { objective });
        }
        let centre = weights.iter().sum::<f64>() / 2.0;
        for &item in outer {
            if (room - centre).abs() <= centre / 4.0 {
                break;
            }
            let change = if taken[item] {
                weight(item)
            } else {
                -weight(item)
            };
            if (room + change - centre).abs() < (room - centre).abs() {
                taken[item] = !taken[item];
                room += change;
            }
        }
        self.nodes += knapsack::work(core.len()) / SUBSETS_PER_NODE;
        let (mask, _) = self.knapsack.solve(&weights, &profits, room)?;
        for (bit, &item) in core.iter().enumerate() {
            if mask >> bit & 1 == 1 {
                taken[item] = !taken[item];
            }
        }
        let chosen: Vec<usize> = (0..items.len()).filter(|&i| taken[i]).collect();
        let objective = chosen.iter().map(|&i| items[i].objective).sum();
        self.offer(&chosen);
        Some(objective)
    }

    /// Makes `chosen` (ascending) the incumbent if it satisfies every row, beats the incumbent
    /// and passes `verify`.
    fn offer(&mut self, chosen: &[usize]) {
        let items = &self.program.items;
        let objective: f64 = chosen.iter().map(|&i| items[i].objective).sum();
        let tie_break: f64 = chosen.iter().map(|&i| items[i].tie_break).sum();
        let fits = (0..self.rows).all(|row| {
            chosen
                .iter()
                .map(|&i| items[i].coefficients[row])
                .sum::<f64>()
                <= self.program.rhs[row]
        });
        let better = match &self.incumbent {
            None => true,
            Some(best) => {
                let tie = 1e-12 * best.objective.abs();
                objective > best.objective + tie
                    || (objective >= best.objective - tie && tie_break > best.tie_break)
            }
        };
        if fits && better && (self.verify)(chosen) {
            self.incumbent = Some(Candidate {
                items: chosen.to_vec(),
                objective,
                tie_break,
            });
        }
    }
}
