DROP TABLE photo_objects;
DROP TABLE photos;
