DROP TABLE theory_attendance;
DROP TABLE theory_sessions;
