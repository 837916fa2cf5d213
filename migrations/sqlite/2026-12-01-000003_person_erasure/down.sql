DROP TABLE erased_persons;
