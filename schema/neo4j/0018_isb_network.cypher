// The officers' network (#17): one profile per municipality, kept by its
// information security officers, seen only by officers and admins.
// (:IsbProfile {ags, function, shares, displayName, contact, updatedAt, updatedBy})
//   -[:OF]->(:Municipality), -[:WORKS_ON]->(:Topic)
CREATE CONSTRAINT isb_profile_ags IF NOT EXISTS FOR (p:IsbProfile) REQUIRE p.ags IS UNIQUE;
