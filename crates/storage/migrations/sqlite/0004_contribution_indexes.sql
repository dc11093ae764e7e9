-- Indexes for the contributions list: newest first within a debate, alone or with one filter,
-- so that every page, however deep, is an index range scan.
DROP INDEX IF EXISTS contributions_debate_new;
DROP INDEX IF EXISTS contributions_question_new;
CREATE INDEX contributions_list ON contributions(debate_id, status, created_at, id);
CREATE INDEX contributions_list_question ON contributions(debate_id, status, question_id, created_at, id);
CREATE INDEX contributions_list_channel ON contributions(debate_id, status, channel, created_at, id);
CREATE INDEX contributions_list_category ON contributions(debate_id, status, category_id, created_at, id);
CREATE INDEX contributions_list_quartier ON contributions(debate_id, status, quartier_id, created_at, id);
CREATE INDEX contributions_question ON contributions(question_id);
