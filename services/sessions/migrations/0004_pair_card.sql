-- What a pair's two members see of each other: names (participants), companies and whom to contact
-- there. Companies come from intake's CompanyRegistered (name and HR contact travel in that event);
-- a pair's two companies from matching's PairMatched.
CREATE TABLE companies (
    company_id       uuid PRIMARY KEY,
    name             text NOT NULL,
    hr_contact_name  text NOT NULL DEFAULT '',
    hr_contact_email text NOT NULL DEFAULT '',
    stated_at        timestamptz NOT NULL
);

ALTER TABLE pairs ADD COLUMN mentee_company_id uuid, ADD COLUMN mentor_company_id uuid;
