DROP TABLE sign_ins;
DROP TABLE sessions;
DROP TABLE tokens;
DROP TABLE guardians;
DROP TABLE consents;
DROP TABLE users;
