-- A funding's partners by organisation: an organisation that comes back (restored) brings
-- the fundings that name it as carrier or co-applicant into the graph (issue 12).
CREATE INDEX funding_partners_organisation ON funding_partners (organisation_id);
