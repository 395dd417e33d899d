-- 0006 ID masks that give nothing away beside a birth date; the certificate keeps its own.
-- Kept in step with ../sqlite/0006_masks.sql; a test compares both schemas.

-- Masks were the first 4 and the last 4 characters (5111**********1234); beside the birth date
-- and gender that left the 3-digit sequence to guess. They are now the 6-digit area code, stars
-- and the last character (511102***********4), made by `mask_resident_id` when a profile is
-- saved. Rows stored before keep only what both formats share: the first 4 characters and the
-- last one. The area code's digits 5-6 are not in the old mask, and the sealed number can only
-- be opened with the key, which a migration does not have; they come back with the profile's
-- next save. (A one-off re-seal at startup could restore them, at the cost of a second code
-- path that runs once; stars are the simplest correct answer.)
UPDATE profiles
    SET resident_id_masked = substr(resident_id_masked, 1, 4) || '*************' || substr(resident_id_masked, 18, 1)
    WHERE length(resident_id_masked) = 18 AND substr(resident_id_masked, 5, 2) = '**';

-- The certificate shows the holder's masked ID as it was when it was issued, not the live
-- profile's. Certificates issued before take it from the profile as it is now (re-masked above).
ALTER TABLE certificates ADD COLUMN holder_id_masked TEXT NOT NULL DEFAULT '';
UPDATE certificates
    SET holder_id_masked = COALESCE((SELECT p.resident_id_masked FROM profiles p WHERE p.user_id = certificates.holder_id), '');
