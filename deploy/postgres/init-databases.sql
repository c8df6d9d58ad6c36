-- One database per service: no service can read another's tables.
CREATE DATABASE mentornet_intake;
CREATE DATABASE mentornet_matching;
CREATE DATABASE mentornet_sessions;
CREATE DATABASE mentornet_reporting;
CREATE DATABASE mentornet_web;  -- the web app's sign-in sessions only
CREATE DATABASE mentornet_vault;  -- the key vault: one data key per person (shared/privacy)
