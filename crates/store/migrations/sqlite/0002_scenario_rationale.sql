-- Why the planner proposed a scenario, shown on the comparison cards.
ALTER TABLE runs ADD COLUMN scenario_rationale TEXT;
