DROP TABLE completions;
DROP SEQUENCE certificate_numbers;
