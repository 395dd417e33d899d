-- 0003 typed columns: the values an enum in the code names (kinds, statuses, roles, places,
-- degrees, employment statuses, notification kinds) are checked by the database too, so a row
-- the code could not read back cannot be written. Kept in step with
-- ../sqlite/0003_typed_columns.sql; a test compares both schemas and checks that every list
-- below equals its enum in the code.

ALTER TABLE applications
    ADD CONSTRAINT applications_kind_check CHECK (kind IN ('jobseeker_registration', 'employment_certificate', 'traineeship', 'startup_training', 'startup_loan', 'startup_subsidy', 'incubation', 'skills_training', 'training_subsidy', 'flexible_insurance_subsidy')),
    ADD CONSTRAINT applications_status_check CHECK (status IN ('draft', 'submitted', 'in_review', 'needs_info', 'approved', 'rejected', 'completed', 'withdrawn')),
    ADD CONSTRAINT applications_household_place_check CHECK (household_place IN ('shizhong', 'shawan', 'wutongqiao', 'jinkouhe', 'qianwei', 'jingyan', 'jiajiang', 'muchuan', 'ebian', 'mabian', 'emeishan', 'other'));

ALTER TABLE application_events
    ADD CONSTRAINT application_events_actor_role_check CHECK (actor_role IN ('graduate', 'employer', 'case_worker', 'admin')),
    ADD CONSTRAINT application_events_from_status_check CHECK (from_status IN ('draft', 'submitted', 'in_review', 'needs_info', 'approved', 'rejected', 'completed', 'withdrawn')),
    ADD CONSTRAINT application_events_to_status_check CHECK (to_status IN ('draft', 'submitted', 'in_review', 'needs_info', 'approved', 'rejected', 'completed', 'withdrawn'));

ALTER TABLE profiles
    ADD CONSTRAINT profiles_degree_check CHECK (degree IN ('junior_college', 'bachelor', 'master', 'doctorate')),
    ADD CONSTRAINT profiles_household_place_check CHECK (household_place IN ('shizhong', 'shawan', 'wutongqiao', 'jinkouhe', 'qianwei', 'jingyan', 'jiajiang', 'muchuan', 'ebian', 'mabian', 'emeishan', 'other')),
    ADD CONSTRAINT profiles_employment_status_check CHECK (employment_status IN ('unemployed', 'employed', 'flexible', 'self_employed', 'studying'));

ALTER TABLE notifications
    ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('status_changed'));
