DROP TABLE lesson_positions;
