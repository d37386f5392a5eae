DROP TABLE enrolments;
DROP TABLE training_groups;
DROP TABLE school_staff;
DROP TABLE school_branches;
DROP TABLE schools;
