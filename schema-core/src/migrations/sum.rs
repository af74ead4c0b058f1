//! `schema.sum`: the recorded checksum of every migration file and of the whole history.
