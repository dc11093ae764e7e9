-- Coverage benchmark data (bench/report/run.sh): __N__ published contributions in the demo
-- debate, spread over channels, questions, categories and quartiers; a draft section citing one
-- in ten of them, a cited theme holding every other one, and one in twenty marked "read, not
-- retained" — about 64 % covered. Plain SQL that runs on SQLite and PostgreSQL alike.
INSERT INTO contributions (debate_id, question_id, kind, channel, title, body, category_id,
    quartier_id, status, created_at, updated_at)
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < __N__)
SELECT d.id,
       (SELECT MIN(q.id) FROM debate_questions q WHERE q.debate_id = d.id) + (s.i % 3),
       'individual',
       CASE s.i % 5 WHEN 0 THEN 'paper' WHEN 1 THEN 'workshop' WHEN 2 THEN 'mediation' ELSE 'online' END,
       'Contribution ' || s.i, 'Texte de la contribution ' || s.i,
       (SELECT MIN(id) FROM categories) + (s.i % 7),
       (SELECT MIN(id) FROM quartiers) + (s.i % 11),
       'published', 1700000000 + s.i, 1700000000 + s.i
FROM s, debates d WHERE d.slug = 'solidarites';

INSERT INTO report_versions (debate_id, number, state, created_at)
SELECT d.id, 100, 'draft', 0 FROM debates d WHERE d.slug = 'solidarites'
AND NOT EXISTS (SELECT 1 FROM report_versions v WHERE v.debate_id = d.id AND v.state = 'draft');

INSERT INTO report_sections (version_id, key, kind, position, title, body, updated_at)
SELECT v.id, 0, 'finding', 999, 'Bench', '', 0 FROM report_versions v
JOIN debates d ON d.id = v.debate_id WHERE d.slug = 'solidarites' AND v.state = 'draft';
UPDATE report_sections SET key = id WHERE title = 'Bench' AND key = 0;

INSERT INTO report_citations (section_id, kind, contribution_id, excerpt, created_at)
SELECT s.id, 'contribution', c.id, '', 0 FROM contributions c, report_sections s
WHERE s.title = 'Bench' AND c.created_at BETWEEN 1700000001 AND 1700000000 + __N__ AND (c.created_at - 1700000000) % 10 = 0;

INSERT INTO report_theme_members (run_id, theme, contribution_id)
SELECT 999999, 0, c.id FROM contributions c
WHERE c.created_at BETWEEN 1700000001 AND 1700000000 + __N__ AND (c.created_at - 1700000000) % 2 = 1;
INSERT INTO report_citations (section_id, kind, run_id, theme, created_at)
SELECT s.id, 'theme', 999999, 0, 0 FROM report_sections s WHERE s.title = 'Bench';

INSERT INTO report_not_retained (contribution_id, debate_id, reason, marked_at)
SELECT c.id, c.debate_id, 'bench', 0 FROM contributions c
WHERE c.created_at BETWEEN 1700000001 AND 1700000000 + __N__ AND (c.created_at - 1700000000) % 20 = 2;
