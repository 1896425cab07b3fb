-- Reward features now read the hidden state at the end-of-turn token instead of the
-- chat template's trailing whitespace after it. Cached vectors of the old rule would
-- mix with new ones in one training run, so the cache is emptied; the next reward
-- training job recomputes it. Nothing else reads this column.
UPDATE `completions` SET `features` = NULL;
