-- Accounts of actors outside the fund say which party they act for (an employer or
-- occupational health service by enterprise number, a physician by RIZIV/INAMI number,
-- an employment service by name), in the form the domain writes it. A consent that
-- names a party goes to that party's accounts only.
ALTER TABLE users ADD COLUMN party TEXT;
