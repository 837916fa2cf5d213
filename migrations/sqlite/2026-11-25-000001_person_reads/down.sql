DROP TABLE person_reads;
