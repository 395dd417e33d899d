-- 0012 matching: graduates' saved vacancy searches with their daily email of new matches, and
-- the vacancies case workers send to graduates who fit them. Kept in step with
-- ../postgres/0012_matching.sql.

-- A saved search. `filters` is the /vacancies form's fields as JSON (q, category, place,
-- salary, education, kind; `matching::SearchFields`), searched by the same code as the page. `seen_event` is the last
-- vacancy timeline row (vacancy_events.id) the digest has looked at: a vacancy published by a
-- later row is new to this search. `checked_on` (YYYY-MM-DD, '' before the first pass) is
-- claimed by the daily pass, so a search is looked at, and mailed, once a day at most.
CREATE TABLE saved_searches (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    BIGINT  NOT NULL REFERENCES users (id),
    filters    TEXT    NOT NULL,
    seen_event BIGINT  NOT NULL,
    checked_on TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);
CREATE INDEX saved_searches_by_user ON saved_searches (user_id, id);
CREATE INDEX saved_searches_due ON saved_searches (checked_on, id);

-- A vacancy a case worker sent to a graduate ("recommend jobs", the follow-up half of case
-- work). The unique index refuses sending the same vacancy to the same graduate twice.
CREATE TABLE vacancy_recommendations (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    vacancy_id     BIGINT  NOT NULL REFERENCES vacancies (id),
    graduate_id    BIGINT  NOT NULL REFERENCES users (id),
    case_worker_id BIGINT  NOT NULL REFERENCES users (id),
    sent_at        BIGINT  NOT NULL
);
CREATE UNIQUE INDEX vacancy_recommendations_once ON vacancy_recommendations (vacancy_id, graduate_id);
CREATE INDEX vacancy_recommendations_by_graduate ON vacancy_recommendations (graduate_id, sent_at);

-- "Published since the digest last looked": the timeline rows that published a vacancy, by id.
CREATE INDEX vacancy_events_by_status ON vacancy_events (to_status, id);
