-- What a scenario set changed in the planner's scenarios and why (JSON array of strings).
ALTER TABLE scenario_sets ADD COLUMN notes TEXT;
